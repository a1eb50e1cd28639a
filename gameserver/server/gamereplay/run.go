package gamereplay

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/psobox/psobox/gameserver/sessionlog"
	"github.com/psobox/psobox/gameserver/wire"
)

// Options configure a replay.
type Options struct {
	// Addr returns the address of the server's listener for a port number
	// clients use (9103, 9300...).
	Addr func(port int) (string, error)
	// Wait bounds the wait for a command the log shows the server sending
	// (a join, a game list); 5 s when zero.
	Wait time.Duration
	// LobbyWait bounds the wait for a lobby join or leave (67-69) outside
	// games, which only orders lobby traffic; 1 s when zero.
	LobbyWait time.Duration
	// Settle is how long relayed commands may take to arrive before the
	// replay gives them up as missing; 1 s when zero.
	Settle time.Duration
}

// syncCommands are the server commands the replay waits for before it
// sends the next logged command: they change who is in which lobby or
// game, or carry the game list a later selection refers to.
var syncCommands = map[uint16]bool{0x08: true, 0x64: true, 0x65: true, 0x66: true, 0x67: true, 0x68: true, 0x69: true}

// movesPlayers are client commands after which players may be somewhere
// else: relayed commands sent before them must have arrived first.
var movesPlayers = map[uint16]bool{0x05: true, 0x0C: true, 0x10: true, 0x84: true, 0x98: true, 0xC1: true, 0xEC: true}

const gameMenuID = 0x44000044

type run struct {
	m        *model
	opts     Options
	conns    []*conn
	match    *matcher
	rep      *Report
	inQuest  []bool
	playing  []bool // in a game, as the log shows
	slots    []uint8
	loggedIn []bool              // the log shows the client past its login: it may ask for the time
	nsGames  []map[uint32]string // per client: the reference server's game IDs, by the log's game lists
}

// Replay plays every client of a logged session against the server at
// opts.Addr, concurrently and in the log's order, and reports how the
// server treated what they sent. It fails only when the log cannot be
// read; what the server does wrong is in the report.
func Replay(ctx context.Context, name string, evs []sessionlog.Event, opts Options) (*Report, error) {
	m, err := newModel(name, evs)
	if err != nil {
		return nil, err
	}
	if opts.Wait == 0 {
		opts.Wait = 5 * time.Second
	}
	if opts.Settle == 0 {
		opts.Settle = time.Second
	}
	if opts.LobbyWait == 0 {
		opts.LobbyWait = time.Second
	}
	r := &run{m: m, opts: opts, conns: make([]*conn, len(m.clients)), match: newMatcher(m.clients),
		rep: newReport(m), inQuest: make([]bool, len(m.clients)), playing: make([]bool, len(m.clients)), slots: make([]uint8, len(m.clients)), loggedIn: make([]bool, len(m.clients))}
	for range m.clients {
		r.nsGames = append(r.nsGames, map[uint32]string{})
	}
	for i := range m.steps {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		r.step(ctx, &m.steps[i])
	}
	r.match.settle(ctx, opts.Settle, nil)
	r.finish()
	return r.rep, nil
}

func (r *run) step(ctx context.Context, st *step) {
	switch st.kind {
	case sessionlog.Connect:
		r.connect(ctx, st)
	case sessionlog.FromServer:
		r.fromServer(ctx, st)
	case sessionlog.FromClient:
		r.fromClient(ctx, st)
	case sessionlog.Disconnect:
		if c := r.conns[st.client]; c != nil {
			r.fence(ctx)
			r.match.settle(ctx, r.opts.Settle, nil)
			r.checkOpen(c, st.line)
			c.close()
		}
	}
}

func (r *run) connect(ctx context.Context, st *step) {
	lc := r.m.clients[st.client]
	addr, err := r.opts.Addr(lc.port)
	if err == nil {
		r.conns[st.client], err = dialConn(ctx, addr, st.client, lc, r.match.arrived)
	}
	if err != nil {
		r.rep.failf("%s (line %d): connecting to port %d: %v", lc.name, st.line, lc.port, err)
	}
}

// fromServer waits, where it matters, until the server under test sent
// what the reference server sent.
func (r *run) fromServer(ctx context.Context, st *step) {
	c := r.conns[st.client]
	cmd := st.header.Command
	if cmd == 0x08 {
		r.noteGameList(st)
	}
	if cmd == 0x64 {
		r.playing[st.client] = true
	}
	if cmd == 0x07 || cmd == 0x67 || cmd == 0x64 {
		r.loggedIn[st.client] = true
	}
	if cmd == 0x44 && !r.playing[st.client] {
		r.inQuest[st.client] = true // quests in games are not in these logs
	}
	r.noteSlot(st)
	if c == nil || !syncCommands[cmd] || r.selfLeave(st) {
		return
	}
	lobby := cmd >= 0x67 && !r.playing[st.client]
	wait := r.opts.Wait
	if lobby {
		wait = r.opts.LobbyWait
	}
	wctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	if _, err := c.await(wctx, cmd); err != nil {
		what := fmt.Sprintf("%s (line %d): the server never sent %02X: %v", c.client.name, st.line, cmd, err)
		if lobby {
			r.rep.LobbyNotes = append(r.rep.LobbyNotes, what) // lobbies are another harness's subject
		} else {
			r.rep.Failures = append(r.rep.Failures, what)
		}
	}
}

// noteSlot records the client's slot from a logged 64 or 67.
func (r *run) noteSlot(st *step) {
	hl := r.m.clients[st.client].version.HeaderFormat().Len()
	switch {
	case st.header.Command == 0x67 && len(st.data) > hl:
		r.slots[st.client] = st.data[hl]
	case st.header.Command == 0x64 && len(st.data) > hl+0x104:
		r.slots[st.client] = st.data[hl+0x100] // after the variations and four roster entries (DC/GC layout)
	}
}

// selfLeave: the reference server tells a player leaving for the ship
// select that it left (69 for its own slot), twice; psobox once.
func (r *run) selfLeave(st *step) bool {
	hl := r.m.clients[st.client].version.HeaderFormat().Len()
	return st.header.Command == 0x69 && len(st.data) > hl && st.data[hl] == r.slots[st.client]
}

// noteGameList records the reference server's game IDs from a logged 08.
func (r *run) noteGameList(st *step) {
	v := r.m.clients[st.client].version
	var m wire.Menu
	payload := st.data[v.HeaderFormat().Len():]
	if wire.DecodeInto(v, st.header, payload, &m) != nil {
		return
	}
	for _, it := range m.Items {
		r.nsGames[st.client][it.ItemID] = it.NameString(v, 0)
	}
}

func (r *run) fromClient(ctx context.Context, st *step) {
	c, h := r.conns[st.client], st.header
	if why, ok := r.skip(st.client, h.Command); ok {
		r.rep.Skipped[why]++
		return
	}
	if c == nil {
		return
	}
	if closed, _ := c.status(); closed != nil {
		r.rep.NotSent++
		return
	}
	// The client sent this after it had received what the log shows it
	// received; and a command that moves players must come after the
	// server handled everything sent before it.
	r.match.settle(ctx, r.opts.Settle, []int{st.client})
	if movesPlayers[h.Command] {
		r.fence(ctx)
		r.match.settle(ctx, r.opts.Settle, nil)
	}
	payload := r.rewrite(st.client, h, st.data[c.client.version.HeaderFormat().Len():])
	if st.relay != nil {
		r.match.expect(st.relay)
	}
	if err := c.send(h, payload); err != nil {
		r.rep.failf("%s (line %d): sending %02X: %v", c.client.name, st.line, h.Command, err)
		return
	}
	r.rep.Commands++
	if h.Command == 0x98 {
		r.playing[st.client] = false
	}
	if quits(h, payload) {
		c.expectClose()
	}
}

// quits reports a command after which the server ends the session: 05, or
// "Disconnect" chosen in the main menu.
func quits(h wire.Header, payload []byte) bool {
	const mainMenu, quitItem = 0x11000011, 0x11888811
	return h.Command == 0x05 || (h.Command == 0x10 && len(payload) >= 8 &&
		binary.LittleEndian.Uint32(payload) == mainMenu && binary.LittleEndian.Uint32(payload[4:]) == quitItem)
}

// fence makes sure the server has handled every command sent so far: it
// asks each logged-in client's session for the time (B1) and waits for
// the answers, which come after everything queued before.
func (r *run) fence(ctx context.Context) {
	type waiting struct {
		c    *conn
		want int
	}
	var ws []waiting
	for i, c := range r.conns {
		if c == nil || !r.loggedIn[i] || r.m.clients[i].version == wire.DCNTE {
			continue // the prototypes do not know B1
		}
		if err, expected := c.status(); err != nil || expected {
			continue
		}
		n := c.count(0xB1)
		if c.send(wire.Header{Command: 0xB1}, nil) == nil {
			ws = append(ws, waiting{c, n + 1})
		}
	}
	for _, w := range ws {
		wctx, cancel := context.WithTimeout(ctx, r.opts.Wait)
		w.c.awaitCount(wctx, 0xB1, w.want)
		cancel()
	}
}

// skip leaves out what a client sent only because of something the
// reference server does and psobox does not, counting it by reason.
func (r *run) skip(client int, cmd uint16) (string, bool) {
	if cmd == 0xB3 {
		return skipB3, true
	}
	if !r.inQuest[client] {
		return "", false
	}
	switch cmd {
	case 0x44, 0x13, 0xAC, 0xBA, 0x98:
		return skipQuest, true
	case 0x84:
		r.inQuest[client] = false
		return skipQuest, true
	}
	return "", false
}

// rewrite points a game selection (10) or game info request (09) at the
// game of the same name in the server's own list: game IDs are the
// server's to choose.
func (r *run) rewrite(client int, h wire.Header, payload []byte) []byte {
	if (h.Command != 0x10 && h.Command != 0x09) || len(payload) < 8 || binary.LittleEndian.Uint32(payload) != gameMenuID {
		return payload
	}
	name, ok := r.nsGames[client][binary.LittleEndian.Uint32(payload[4:])]
	list := r.conns[client].lastGameList()
	if !ok || list == nil {
		return payload
	}
	v := r.m.clients[client].version
	for _, it := range list.Items[min(1, len(list.Items)):] {
		if it.NameString(v, 0) == name {
			out := append([]byte(nil), payload...)
			binary.LittleEndian.PutUint32(out[4:], it.ItemID)
			r.rep.Rewritten++
			return out
		}
	}
	return payload
}

// checkOpen records a connection the server closed although the client
// had not said goodbye.
func (r *run) checkOpen(c *conn, line int) {
	if err, expected := c.status(); err != nil && !expected {
		r.rep.failf("%s: the server closed the connection before the log's end of session (line %d): %v", c.client.name, line, err)
	}
}

func (r *run) finish() {
	for _, c := range r.conns {
		if c != nil {
			r.checkOpen(c, 0)
			c.close()
		}
	}
	r.rep.tally(r.m, r.match)
}

// Skip reasons.
const (
	skipB3    = "B3: answers the reference server's B2 (client code); psobox sends none"
	skipQuest = "the reference server's function-call quest at login (44/13/AC, BA, and the 98 and 84 that end it)"
)
