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
	Rules   map[uint16]Rule // by command; commands without a rule expect nothing
	Noise   map[uint16]bool // commands bots may receive at any time, not checked
	Wait    time.Duration   // how long a bot waits for an expected command
	Bots    []*client.Client

	Sent, Checked int      // commands sent, deliveries checked
	Skipped       []string // commands not sent, and why
}

// New prepares a replay with the lobby rules and noise.
func New(t testing.TB, srv *servertest.Server, s *Session) *Replay {
	return &Replay{T: t, Srv: srv, Session: s, Rules: LobbyRules(), Noise: LobbyNoise(), Wait: 5 * time.Second}
}

// Run logs a bot in for each player, replays the commands and checks
// every delivery; failures are reported on T.
func (r *Replay) Run(ctx context.Context) {
	r.login(ctx)
	for _, c := range r.Session.Commands {
		if !r.step(ctx, c) {
			return
		}
	}
	for i, b := range r.Bots {
		r.drain(i)
		if err := b.Err(); err != nil {
			r.T.Errorf("%s: bot %d (%v) ended: %v", r.Session.File, i, b.Version(), err)
		}
	}
}

// login brings one bot per player to a lobby and reads what they were
// sent on the way.
func (r *Replay) login(ctx context.Context) {
	for i, p := range r.Session.Players {
		addr, ok := r.Srv.Addrs[p.Port]
		if !ok {
			r.T.Fatalf("%s: no listener for port %d", r.Session.File, p.Port)
		}
		b, err := client.Dial(ctx, addr.String(), client.Config{Version: p.Version, Name: fmt.Sprintf("P%d", i+1)})
		if err == nil {
			_, err = b.Lobby(ctx)
		}
		if err != nil {
			r.T.Fatalf("%s: bot for %s (%v): %v", r.Session.File, p.Name, p.Version, err)
		}
		r.T.Cleanup(func() { b.Close() })
		r.Bots = append(r.Bots, b)
	}
	for i := range r.Bots {
		r.settle(i)
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
	b := r.Bots[c.Player]
	if b.CurrentLobby() == nil && !r.rejoin(ctx, c.Player) {
		return false
	}
	cmd, why := r.translate(c)
	if why != "" {
		r.Skipped = append(r.Skipped, fmt.Sprintf("line %d %02X: %s", c.Line, c.Header.Command, why))
		return true
	}
	var want []Expectation
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
