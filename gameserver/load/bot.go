package load

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/psobox/psobox/gameserver/client"
)

// bot is one simulated player.
type bot struct {
	r        *runner
	i        int
	con      Console
	c        *client.Client
	slot     uint8 // client ID in the lobby or game
	inGame   bool
	sends    int
	probe    []byte // the probe's buffer, Options.RelayBytes long
	stopping atomic.Bool
	drained  chan struct{}
	slow     bool       // stalls its reads during the measurement (slow.go)
	stall    *stallConn // a slow bot's connection
}

// setUp logs the bot in at its start time and seats it in a lobby, then
// in its group's game; it reports whether the bot got there.
func (b *bot) setUp(ctx context.Context, start time.Time) bool {
	select {
	case <-time.After(time.Until(start)):
	case <-ctx.Done():
		return false
	}
	if err := b.login(ctx); err != nil {
		b.r.st.errs.add(b.i, "login", err)
		return false
	}
	b.drained = make(chan struct{})
	go b.drain()
	if err := b.place(ctx); err != nil {
		b.close()
		return false
	}
	return true
}

func (b *bot) login(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, b.r.o.Timeout)
	defer cancel()
	st := &b.r.st
	t0 := b.r.now()
	storeMin(&st.firstDial, t0)
	c, err := client.Dial(ctx, b.r.addr(b.con), b.config())
	if err != nil {
		return err
	}
	b.c = c
	t1 := b.r.now()
	st.loginTime.record(time.Duration(t1 - t0))
	st.logins.Add(1)
	storeMax(&st.lastLogin, t1)
	return nil
}

func (b *bot) config() client.Config {
	cfg := client.Config{
		Version:    b.con.Version,
		SubVersion: b.con.SubVersion,
		Name:       "L" + strconv.Itoa(b.i),
		Level:      20,
	}
	d := &net.Dialer{}
	if b.r.o.Sources.IsValid() {
		d.LocalAddr = &net.TCPAddr{IP: b.r.o.sourceAddr(b.i).AsSlice()}
	}
	cfg.Dial = d.DialContext
	if b.slow {
		cfg.Dial = b.slowDial(d)
	}
	return cfg
}

// place takes the bot to its lobby, then to its game if its group plays.
func (b *bot) place(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, b.r.o.Timeout)
	defer cancel()
	st := &b.r.st
	l, err := b.c.Lobby(ctx)
	if err != nil {
		st.errs.add(b.i, "lobby", err)
		return err
	}
	st.lobbies.Add(1)
	b.slot = l.ClientID
	if !b.r.o.playsGame(b.i) {
		st.inLobby.Add(1)
		return nil
	}
	g, err := b.enterGame(ctx)
	if err != nil {
		return err
	}
	b.slot, b.inGame = g.ClientID, true
	st.inGame.Add(1)
	return nil
}

// enterGame creates the group's game (the group's first bot) or joins it,
// retrying while it does not exist yet or another player is joining.
func (b *bot) enterGame(ctx context.Context) (*client.Game, error) {
	st := &b.r.st
	name := fmt.Sprintf("load%d", b.i/groupSize)
	if b.i%groupSize == 0 {
		g, err := b.c.CreateGame(ctx, client.GameSpec{Name: name, Episode: 1})
		if err != nil {
			st.errs.add(b.i, "create game", err)
			return nil, err
		}
		st.gamesCreated.Add(1)
		return g, nil
	}
	for {
		g, err := b.c.JoinGame(ctx, name, "")
		if err == nil {
			st.gameJoins.Add(1)
			return g, nil
		}
		if ctx.Err() != nil || !retryJoin(err) {
			st.errs.add(b.i, "join game", err)
			return nil, err
		}
		select {
		case <-time.After(time.Duration(50+rand.IntN(200)) * time.Millisecond):
		case <-ctx.Done():
		}
	}
}

// retryJoin: the game is not listed yet (its leader is still creating it)
// or the server refused because someone else is joining it.
func retryJoin(err error) bool {
	var refused *client.GameRefusedError
	var step *client.StepError
	return errors.As(err, &refused) || (errors.As(err, &step) && step.Phase != client.PhaseJoinGame)
}

// traffic chats and relays probes at the set rates until stop.
func (b *bot) traffic(ctx context.Context, stop <-chan struct{}) {
	o := &b.r.o
	rng := rand.New(rand.NewPCG(uint64(b.i), 7))
	relay := newSchedule(o.RelayRate, rng, b.r.now())
	chat := newSchedule(o.ChatRate, rng, b.r.now())
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		timer.Reset(time.Duration(min(relay.next, chat.next) - b.r.now()))
		select {
		case <-stop:
			return
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		now := b.r.now()
		if relay.due(now) && !b.send("relay", b.sendProbe(now)) {
			return
		}
		if chat.due(now) && !b.send("chat", b.sendChat(now)) {
			return
		}
	}
}

// send counts a failed send; the session is over then.
func (b *bot) send(step string, err error) bool {
	if err != nil && !b.stopping.Load() && !b.slow {
		b.r.st.errs.add(b.i, step, err)
	}
	return err == nil
}

func (b *bot) sendProbe(now int64) error {
	st := &b.r.st
	cmd, target := uint16(0x60), uint8(0)
	if b.sends++; b.inGame && b.sends%4 == 0 {
		if t, ok := b.nextPlayer(); ok {
			cmd, target = 0x62, t
		}
	}
	st.sent(&st.relaySent, now)
	return b.c.SendGameCommand(cmd, target, putProbe(b.probe, b.slot, b.i, now))
}

// nextPlayer is the game member after this bot, for a private 62.
func (b *bot) nextPlayer() (uint8, bool) {
	g := b.c.CurrentGame()
	if g == nil {
		return 0, false
	}
	best, found := uint8(0), false
	for _, p := range g.Players {
		id := uint8(p.ClientID)
		if id != b.slot && (!found || (id-b.slot-1)%groupSize < (best-b.slot-1)%groupSize) {
			best, found = id, true
		}
	}
	return best, found
}

func (b *bot) sendChat(now int64) error {
	st := &b.r.st
	st.sent(&st.chatSent, now)
	return b.c.Chat(chatLine(now))
}

// drain reads everything the bot receives and times the probes and chat
// lines among it.
func (b *bot) drain() {
	defer close(b.drained)
	st := &b.r.st
	for {
		rc, err := b.c.Next(context.Background())
		if err != nil {
			if !b.stopping.Load() && !b.slow {
				st.errs.add(b.i, "session", err)
			}
			return
		}
		t := int64(rc.Time.Sub(b.r.base))
		switch rc.Header.Command {
		case 0x60, 0x62:
			if sent, ok := readProbe(rc.Payload); ok {
				st.received(&st.relayRecv, &st.relayLat, sent, t)
			}
		case 0x06:
			if chat, ok := b.c.DecodeEvent(rc).(*client.Chat); ok {
				if sent, ok := readChatLine(chat.Text); ok {
					st.received(&st.chatRecv, &st.chatLat, sent, t)
				}
			}
		}
	}
}

// close ends the session and waits for the drain.
func (b *bot) close() {
	b.stopping.Store(true)
	b.c.Close()
	<-b.drained
}

// schedule spaces events at a rate, starting at a random phase so bots do
// not send in lockstep.
type schedule struct {
	next, every int64
}

func newSchedule(rate float64, rng *rand.Rand, now int64) schedule {
	if rate <= 0 {
		return schedule{next: 1<<63 - 1}
	}
	every := int64(float64(time.Second) / rate)
	return schedule{next: now + rng.Int64N(every), every: every}
}

// due reports whether the event is due at now and schedules the next; a
// schedule that fell behind skips what it missed rather than bursting.
func (s *schedule) due(now int64) bool {
	if now < s.next {
		return false
	}
	s.next += s.every
	if s.next <= now {
		s.next = now + s.every
	}
	return true
}
