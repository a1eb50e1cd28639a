package lobbyreplay

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/client"
	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/wire"
)

// Expectation is a command one bot must receive next, Noise aside.
type Expectation struct {
	Bot     int
	Cmd     uint16
	Payload []byte // nil: any payload
}

// Rule says what the bots receive after bot from sent cmd (as replayed:
// client IDs translated). Rules run before the command is sent.
type Rule func(r *Replay, from int, cmd wire.Command) []Expectation

// Replay is one session replayed against a server.
type Replay struct {
	T       testing.TB
	Srv     *servertest.Server
	Session *Session
	Rules   map[uint16]Rule  // by command; commands without a rule expect nothing
	Noise   map[uint16]bool  // commands bots may receive at any time, not checked
	Wait    time.Duration    // how long a bot waits for an expected command
	Bots    []*client.Client // nil until the player first enters a lobby
	away    []bool           // the bot's session was closed when its player left

	Sent, Checked int      // commands sent, deliveries checked
	Skipped       []string // commands not sent, and why
}

// New prepares a replay with the lobby rules and noise.
func New(t testing.TB, srv *servertest.Server, s *Session) *Replay {
	return &Replay{T: t, Srv: srv, Session: s, Rules: LobbyRules(), Noise: LobbyNoise(), Wait: 5 * time.Second}
}

// Run replays the commands with the players' moves between them, logging
// a bot in when its player first enters a lobby, and checks every
// delivery; failures are reported on T.
func (r *Replay) Run(ctx context.Context) {
	r.Bots = make([]*client.Client, len(r.Session.Players))
	r.away = make([]bool, len(r.Session.Players))
	moves := r.Session.Moves
	for _, c := range r.Session.Commands {
		for ; len(moves) > 0 && moves[0].Line < c.Line; moves = moves[1:] {
			if !r.move(ctx, moves[0]) {
				return
			}
		}
		if !r.step(ctx, c) {
			return
		}
	}
	for i, b := range r.Bots {
		if b == nil || r.away[i] {
			continue
		}
		r.drain(i)
		if err := b.Err(); err != nil {
			r.T.Errorf("%s: bot %d (%v) ended: %v", r.Session.File, i, b.Version(), err)
		}
	}
}

// move brings a player's bot into a lobby, or takes it away (closing its
// session) when the recorded player left for a game, the menus or the
// door: the bots present are those the recorded server had in lobbies.
func (r *Replay) move(ctx context.Context, m Move) bool {
	b := r.Bots[m.Player]
	switch {
	case !m.Enter && b != nil && !r.away[m.Player]:
		r.drain(m.Player)
		b.Close()
		r.away[m.Player] = true
	case m.Enter && (b == nil || r.away[m.Player]):
		return r.login(ctx, m.Player) && r.seat(ctx, m)
	case m.Enter && b.CurrentLobby() == nil:
		return r.rejoin(ctx, m.Player) && r.seat(ctx, m)
	}
	return true
}

// seat moves a bot that just entered a lobby to the one its player
// entered, with the lobby teleporter (84): servers seat newcomers by
// rules of their own.
func (r *Replay) seat(ctx context.Context, m Move) bool {
	b := r.Bots[m.Player]
	if l := b.CurrentLobby(); l == nil || l.Number == m.Lobby || b.Version() == wire.DCNTE {
		return true
	}
	if _, err := b.ChangeLobby(ctx, uint32(m.Lobby)+1); err != nil {
		r.T.Errorf("%s: bot %d to lobby %d: %v", r.Session.File, m.Player, m.Lobby+1, err)
		return false
	}
	r.settleAll()
	return true
}

// login brings a bot for a player to a lobby, with the licence it had if
// it was there before, and reads what they were sent on the way.
func (r *Replay) login(ctx context.Context, i int) bool {
	p := r.Session.Players[i]
	addr, ok := r.Srv.Addrs[p.Port]
	if !ok {
		r.T.Errorf("%s: no listener for port %d", r.Session.File, p.Port)
		return false
	}
	cfg := client.Config{Version: p.Version, Name: fmt.Sprintf("P%d", i+1)}
	if r.Bots[i] != nil {
		cfg = r.Bots[i].Config()
	}
	b, err := client.Dial(ctx, addr.String(), cfg)
	if err == nil {
		_, err = b.Lobby(ctx)
	}
	if err != nil {
		r.T.Errorf("%s: bot for %s (%v): %v", r.Session.File, p.Name, p.Version, err)
		return false
	}
	r.T.Cleanup(func() { b.Close() })
	r.Bots[i], r.away[i] = b, false
	r.settleAll()
	return true
}

// settleAll reads every present bot's inbox until it is quiet.
func (r *Replay) settleAll() {
	for j, o := range r.Bots {
		if o != nil && !r.away[j] {
			r.settle(j)
		}
	}
}

// settle reads a bot's inbox until it has been quiet for a moment.
func (r *Replay) settle(bot int) []client.Received {
	var got []client.Received
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		rc, err := r.Bots[bot].Next(ctx)
		cancel()
		if err != nil {
			return got
		}
		got = append(got, rc)
	}
}

// drain fails on anything but noise left for a bot at the end.
func (r *Replay) drain(bot int) {
	for _, rc := range r.settle(bot) {
		if !r.Noise[rc.Header.Command] {
			r.T.Errorf("%s: bot %d (%v) received an unexpected %02X (flag %X): %X", r.Session.File, bot,
				r.Bots[bot].Version(), rc.Header.Command, rc.Header.Flag, rc.Payload)
		}
	}
}

// step sends one recorded command and checks the deliveries.
func (r *Replay) step(ctx context.Context, c Command) bool {
	if !r.move(ctx, Move{Player: c.Player, Enter: true}) {
		return false
	}
	b := r.Bots[c.Player]
	cmd, why := r.translate(c)
	if why != "" {
		r.Skipped = append(r.Skipped, fmt.Sprintf("line %d %02X: %s", c.Line, c.Header.Command, why))
		return true
	}
	want := relayed(c, cmd)
	if rule := r.Rules[cmd.Header.Command]; rule != nil {
		want = rule(r, c.Player, cmd)
	}
	if err := b.SendRaw(cmd.Header.Command, cmd.Header.Flag, cmd.Payload); err != nil {
		r.T.Errorf("%s line %d: sending %02X: %v", r.Session.File, c.Line, cmd.Header.Command, err)
		return false
	}
	r.Sent++
	for _, w := range want {
		if !r.check(ctx, c, w) {
			return false
		}
	}
	return true
}

// rejoin takes a bot that left for the menus back to a lobby, as the
// recorded client did before its next lobby phase.
func (r *Replay) rejoin(ctx context.Context, bot int) bool {
	b := r.Bots[bot]
	if _, err := b.Lobby(ctx); err != nil {
		r.T.Errorf("%s: bot %d back to a lobby: %v", r.Session.File, bot, err)
		return false
	}
	r.settle(bot)
	return true
}

// check reads bot w.Bot's next command that is not noise.
func (r *Replay) check(ctx context.Context, c Command, w Expectation) bool {
	wctx, cancel := context.WithTimeout(ctx, r.Wait)
	defer cancel()
	b := r.Bots[w.Bot]
	for {
		got, err := b.Next(wctx)
		if err != nil {
			r.T.Errorf("%s line %d: after %02X from bot %d, bot %d (%v) waited for %02X: %v",
				r.Session.File, c.Line, c.Header.Command, c.Player, w.Bot, b.Version(), w.Cmd, err)
			return false
		}
		if r.Noise[got.Header.Command] && got.Header.Command != w.Cmd {
			continue
		}
		if got.Header.Command != w.Cmd || (w.Payload != nil && !bytes.Equal(got.Payload, w.Payload)) {
			r.T.Errorf("%s line %d: after %02X from bot %d, bot %d (%v) received %02X %X, want %02X %X",
				r.Session.File, c.Line, c.Header.Command, c.Player, w.Bot, b.Version(), got.Header.Command, got.Payload, w.Cmd, w.Payload)
			return false
		}
		r.Checked++
		return true
	}
}
