package gamereplay

import (
	"fmt"

	"github.com/psobox/psobox/gameserver/sessionlog"
	"github.com/psobox/psobox/gameserver/wire"
)

// logClient is one client of a recorded session.
type logClient struct {
	name    string
	port    int
	version wire.Version // the version it ended up speaking: its cipher and layouts
	split   bool         // connected to the 9100 split: gets one redirect, then the server closes
}

// step is one event of the log, in order, as the replay uses it.
type step struct {
	kind   sessionlog.Kind
	client int // index into model.clients
	line   int
	header wire.Header
	data   []byte // the whole command, header included (From*)
	relay  *relayEvent
}

// relayEvent is a relayed command a client sent (60, 62, 6C, 6D, C9, CB).
type relayEvent struct {
	line   int
	sender int
	cmd    uint16
	flag   uint32
	inGame bool
	subs   []*relaySub
}

// relaySub is one subcommand of a relayEvent and where the reference
// server delivered it, as the log shows.
type relaySub struct {
	ev      *relayEvent
	bytes   []byte
	final   uint8
	known   bool
	newserv uint64 // bit per client index: the reference server delivered it there
}

// model is a parsed log.
type model struct {
	name    string
	clients []logClient
	steps   []step
	subs    []*relaySub // every relayed subcommand clients sent, in order
}

func isRelay(cmd uint16) bool {
	switch cmd {
	case 0x60, 0x62, 0x6C, 0x6D, 0xC9, 0xCB:
		return true
	}
	return false
}

// newModel parses a log and works out where the reference server
// delivered each relayed subcommand.
func newModel(name string, evs []sessionlog.Event) (*model, error) {
	m := &model{name: name}
	byName := map[string]int{}
	for _, e := range evs {
		if e.Kind == sessionlog.Connect {
			byName[e.Client] = len(m.clients)
			m.clients = append(m.clients, logClient{name: e.Client, port: e.Port, split: e.Port == 9100})
		}
		if i, ok := byName[e.Client]; ok && (e.Kind == sessionlog.FromClient || e.Kind == sessionlog.FromServer) {
			m.clients[i].version = e.Version
		}
	}
	if len(m.clients) > 64 {
		return nil, fmt.Errorf("%s: %d clients, at most 64 supported", name, len(m.clients))
	}
	a := newAttributor(len(m.clients))
	inGame := make([]bool, len(m.clients))
	for _, e := range evs {
		i, ok := byName[e.Client]
		if !ok || (e.Kind != sessionlog.FromClient && e.Kind != sessionlog.FromServer && e.Kind != sessionlog.Disconnect && e.Kind != sessionlog.Connect) {
			continue
		}
		st, err := m.step(e, i, inGame)
		if err != nil {
			return nil, err
		}
		if st.relay != nil {
			m.subs = append(m.subs, st.relay.subs...)
			a.sent(st.relay)
		} else if st.kind == sessionlog.FromServer && isRelay(st.header.Command) {
			a.delivered(m.clients[i].version, i, st.header, st.data[m.clients[i].version.HeaderFormat().Len():])
		} else if st.kind == sessionlog.FromServer && (st.header.Command == 0x64 || st.header.Command == 0x67) {
			a.entered[i] = st.line
		}
		m.steps = append(m.steps, st)
	}
	return m, nil
}

// step makes the step of event e of client i, tracking who is in a game.
func (m *model) step(e sessionlog.Event, i int, inGame []bool) (step, error) {
	st := step{kind: e.Kind, client: i, line: e.Line, data: e.Data}
	if e.Kind != sessionlog.FromClient && e.Kind != sessionlog.FromServer {
		if e.Kind == sessionlog.Disconnect {
			inGame[i] = false
		}
		return st, nil
	}
	v := m.clients[i].version
	h, err := v.HeaderFormat().Decode(e.Data)
	if err != nil || int(h.Size) > len(e.Data) || int(h.Size) < v.HeaderFormat().Len() {
		return st, fmt.Errorf("%s line %d: bad command header: %v", m.name, e.Line, err)
	}
	st.header, st.data = h, e.Data[:h.Size]
	switch {
	case e.Kind == sessionlog.FromServer && h.Command == 0x64:
		inGame[i] = true
	case e.Kind == sessionlog.FromClient && h.Command == 0x98:
		inGame[i] = false
	case e.Kind == sessionlog.FromClient && isRelay(h.Command):
		st.relay = newRelayEvent(v, i, e.Line, h, st.data[v.HeaderFormat().Len():], inGame[i])
	}
	return st, nil
}

func newRelayEvent(v wire.Version, sender, line int, h wire.Header, payload []byte, inGame bool) *relayEvent {
	ev := &relayEvent{line: line, sender: sender, cmd: h.Command, flag: h.Flag, inGame: inGame}
	for sub, err := range wire.Subcommands(payload) {
		if err != nil {
			break // the server must reject the command; nothing of it is relayed
		}
		fin, known := wire.SubcommandToFinal(v, sub.Number())
		ev.subs = append(ev.subs, &relaySub{ev: ev, bytes: sub, final: fin, known: known})
	}
	return ev
}

// normalKey is a subcommand in the final numbering with the fields a
// server may rewrite cleared, so what was sent and what was delivered
// compare equal.
func normalKey(cmd uint16, flag uint32, final uint8, known bool, b []byte) string {
	if cmd == 0xCB {
		cmd = 0xC9 // the Episode III trial gets CB as C9
	}
	n := append([]byte(nil), b...)
	if known && len(n) > 0 {
		n[0] = final
	}
	if known && (final == 0x71 || final == 0x72) && len(n) >= 4 {
		n[2], n[3] = 0, 0
	}
	if known && (final == 0x06 || final == 0x6F || final == 0x70) {
		n = []byte{final} // laid out per receiver version by the servers
	}
	return fmt.Sprintf("%02X/%X/%X", cmd, flag, n)
}

// looseKey matches a delivery the reference server rewrote (entity IDs of
// another version, Episode III's masking): same number and size.
func looseKey(final uint8, size int) string { return fmt.Sprintf("%02X/%d", final, size) }

// attributor works out which sent subcommand each logged delivery was: the
// earliest one not yet delivered there with the same bytes, or failing
// that the latest one with the same number and size.
type attributor struct {
	entered []int // per client: log line of its latest 64 or 67 (it joined a room)
	exact   map[string][]*relaySub
	cursor  []map[string]int // per receiver: next candidate in exact
	loose   map[string][]*relaySub
}

func newAttributor(clients int) *attributor {
	a := &attributor{exact: map[string][]*relaySub{}, loose: map[string][]*relaySub{}, entered: make([]int, clients)}
	for range clients {
		a.cursor = append(a.cursor, map[string]int{})
	}
	return a
}

func (a *attributor) sent(ev *relayEvent) {
	for _, s := range ev.subs {
		k := normalKey(ev.cmd, ev.flag, s.final, s.known, s.bytes)
		a.exact[k] = append(a.exact[k], s)
		lk := looseKey(s.final, len(s.bytes))
		a.loose[lk] = append(a.loose[lk], s)
	}
}

func (a *attributor) delivered(v wire.Version, to int, h wire.Header, payload []byte) {
	for sub, err := range wire.Subcommands(payload) {
		if err != nil {
			return
		}
		fin, known := wire.SubcommandToFinal(v, sub.Number())
		if s := a.byBytes(to, normalKey(h.Command, h.Flag, fin, known, sub)); s != nil {
			s.newserv |= 1 << to
			continue
		}
		if s := a.bySize(to, looseKey(fin, len(sub))); s != nil {
			s.newserv |= 1 << to
		}
	}
}

func (a *attributor) byBytes(to int, k string) *relaySub {
	cands := a.exact[k]
	for i := a.cursor[to][k]; i < len(cands); i++ {
		s := cands[i]
		if s.ev.line < a.entered[to] {
			a.cursor[to][k] = i + 1 // sent before the receiver came: not for it
			continue
		}
		if s.newserv&(1<<to) == 0 && (s.ev.sender != to || isPrivate(s.ev.cmd)) {
			a.cursor[to][k] = i + 1
			return s
		}
	}
	return nil
}

func (a *attributor) bySize(to int, k string) *relaySub {
	cands := a.loose[k]
	for i := len(cands) - 1; i >= 0; i-- {
		s := cands[i]
		if s.ev.line < a.entered[to] {
			return nil
		}
		if s.newserv&(1<<to) == 0 && s.ev.sender != to {
			return s
		}
	}
	return nil
}

func isPrivate(cmd uint16) bool { return cmd == 0x62 || cmd == 0x6D }
