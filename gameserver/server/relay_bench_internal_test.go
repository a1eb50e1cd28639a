package server

import (
	"log/slog"
	"testing"

	"github.com/psobox/psobox/gameserver/wire"
)

// benchGame seats four GameCube clients without connections in a game and
// returns them, the sender first. Their outboxes are drained by the
// caller, standing in for the writers.
func benchGame(b testing.TB) []*Client {
	s, err := New(Options{StateDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	g := s.games.create(gameSettings{name: "Bench", episode: 1, allowV1: true, creator: wire.GCV3}, s.opts.Now())
	var cs []*Client
	for range gamePlayers {
		c := &Client{srv: s, log: slog.New(slog.DiscardHandler), out: newOutbox(wire.GCV3, s.opts.SendQueueBytes)}
		c.version.Store(uint32(wire.GCV3))
		if why := g.join(c, "", false); why != "" {
			b.Fatal(why)
		}
		g.release(c, c.sess.lobbySlot)
		g.doneLoading(c, c.sess.lobbySlot)
		cs = append(cs, c)
	}
	return cs
}

func drain(cs []*Client) {
	for _, c := range cs {
		items, data, _ := c.out.take()
		c.out.recycle(items, data)
	}
}

// BenchmarkRelayInGame is one 60 (a 6x3F position update) relayed from one
// player to the three others of a game: judging, the game's lock and three
// pushes, without the sockets. Steady state allocates nothing.
func BenchmarkRelayInGame(b *testing.B) {
	cs := benchGame(b)
	sub := make([]byte, 0x18)
	sub[0], sub[1], sub[2] = 0x3F, 0x06, cs[0].sess.lobbySlot
	cmd := wire.Command{Header: wire.Header{Command: 0x60, Size: 0x1C}, Payload: sub}
	drain(cs)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := onRelay(cs[0], cmd); err != nil {
			b.Fatal(err)
		}
		if i%256 == 255 {
			drain(cs)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(gamePlayers-1), "ns/receiver")
	if relayed, dropped := cs[0].srv.RelayStats(); dropped != 0 || relayed == 0 {
		b.Fatalf("%d relayed, %d dropped", relayed, dropped)
	}
}

// TestRelayInGameDoesNotAllocate holds the relay to its zero-allocation
// target (allocations are deterministic, unlike timings).
func TestRelayInGameDoesNotAllocate(t *testing.T) {
	cs := benchGame(t)
	sub := make([]byte, 0x18)
	sub[0], sub[1], sub[2] = 0x3F, 0x06, cs[0].sess.lobbySlot
	cmd := wire.Command{Header: wire.Header{Command: 0x60, Size: 0x1C}, Payload: sub}
	i := 0
	allocs := testing.AllocsPerRun(2000, func() {
		onRelay(cs[0], cmd)
		if i++; i%256 == 0 {
			drain(cs)
		}
	})
	if allocs != 0 {
		t.Errorf("relaying a 60 in a game allocates %.2f times", allocs)
	}
}

// The relay in a full lobby (twelve players) does not allocate either.
func TestRelayInLobbyDoesNotAllocate(t *testing.T) {
	s, err := New(Options{StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	l := s.lobbies.lookup(lobbyRef{block: 1, lobby: 1})
	var cs []*Client
	for range lobbyPlayers {
		c := &Client{srv: s, log: slog.New(slog.DiscardHandler), out: newOutbox(wire.GCV3, s.opts.SendQueueBytes)}
		c.version.Store(uint32(wire.GCV3))
		if !l.add(c) {
			t.Fatal("lobby full")
		}
		cs = append(cs, c)
	}
	drain(cs)
	sub := make([]byte, 0x18)
	sub[0], sub[1], sub[2] = 0x3F, 0x06, cs[0].sess.lobbySlot
	cmd := wire.Command{Header: wire.Header{Command: 0x60, Size: 0x1C}, Payload: sub}
	i := 0
	allocs := testing.AllocsPerRun(2000, func() {
		onRelay(cs[0], cmd)
		if i++; i%64 == 0 {
			drain(cs)
		}
	})
	if allocs != 0 {
		t.Errorf("relaying a 60 in a lobby allocates %.2f times", allocs)
	}
}
