package server_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/gameserver/client"
	"github.com/psobox/psobox/gameserver/server"
	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/wire"
)

// gameBot logs a psobot of version v in on its usual port and takes it to a
// lobby; bots are level 100, enough for every difficulty.
func gameBot(ctx context.Context, t *testing.T, srv *servertest.Server, v wire.Version, name string) *client.Client {
	t.Helper()
	return gameBotAt(ctx, t, srv, v, name, 100)
}

func gameBotAt(ctx context.Context, t *testing.T, srv *servertest.Server, v wire.Version, name string, level uint32) *client.Client {
	t.Helper()
	port := map[wire.Version]int{wire.DCNTE: 9000, wire.DCV1: 9200, wire.DCV2: 9200, wire.PCV2: 9300, wire.XBV3: 9500}[v]
	if port == 0 {
		port = 9103
	}
	c, err := client.Dial(ctx, srv.Addr(port), client.Config{Version: v, Name: name, Level: level})
	if err != nil {
		t.Fatalf("%s: login: %v", name, err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.Lobby(ctx); err != nil {
		t.Fatalf("%s: lobby: %v", name, err)
	}
	return c
}

// marker is a 6x3F position update from slot, with a byte to tell markers
// apart: valid for every relay rule, so it always reaches the others.
func marker(slot, n uint8) []byte {
	sub := make([]byte, 0x18)
	sub[0], sub[1], sub[2], sub[0x17] = 0x3F, 0x06, slot, n
	return sub
}

// nextRelay returns the next relayed command c received, skipping the join
// state players exchange when someone joins.
func nextRelay(ctx context.Context, t *testing.T, c *client.Client) client.Received {
	t.Helper()
	for {
		r, err := c.Expect(ctx, 0x60, 0x62, 0x6C, 0x6D)
		if err != nil {
			t.Fatalf("%s waiting for a relayed command: %v", c.Config().Name, err)
		}
		if n := r.Payload[0]; n < 0x6B || n > 0x72 {
			return r
		}
	}
}

func names(ps []client.LobbyPlayer) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	slices.Sort(out)
	return out
}

func TestGameCubesPlayAGame(t *testing.T) {
	o := servertest.Options()
	failOnPanic(t, &o)
	srv := servertest.Start(t, o)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	alice := gameBot(ctx, t, srv, wire.GCV3, "Alice")
	bob := gameBot(ctx, t, srv, wire.GCV3, "Bob")
	carol := gameBot(ctx, t, srv, wire.GCV3, "Carol")

	g, err := alice.CreateGame(ctx, client.GameSpec{Name: "Forest", Password: "pw", Difficulty: 1, Episode: 2})
	if err != nil {
		t.Fatal(err)
	}
	if g.ClientID != 0 || g.LeaderID != 0 || g.Difficulty != 1 || g.Episode != 2 || len(g.Players) != 1 {
		t.Errorf("Alice's 64: %+v", g)
	}
	waitFor(t, "Alice's 6F", func() bool { gs := srv.Games(); return len(gs) == 1 && !gs[0].Loading })
	want := []server.GameSummary{{Name: "Forest", Group: "GC/Xbox", Players: []string{"Alice"}, Episode: 2,
		Difficulty: "Hard", Mode: "Normal", Password: true}}
	if diff := cmp.Diff(want, srv.Games(), ignoreGameIdentity); diff != "" {
		t.Errorf("status (-want +got):\n%s", diff)
	}
	list, err := bob.ListGames(ctx)
	if err != nil || len(list) != 1 || list[0].Name != "Forest" || !list[0].Locked || list[0].Players != 1 || list[0].Episode != 2 {
		t.Fatalf("Bob's game list: %+v, %v", list, err)
	}
	gb, err := bob.JoinGame(ctx, "Forest", "pw")
	if err != nil {
		t.Fatal(err)
	}
	if gb.ClientID != 1 || gb.LeaderID != 0 || gb.Loading || !slices.Equal(names(gb.Players), []string{"Alice", "Bob"}) {
		t.Errorf("Bob's game after the handshake: %+v", gb)
	}
	if _, err := carol.JoinGame(ctx, "Forest", "pw"); err != nil {
		t.Fatal(err)
	}
	ga, err := alice.WaitGame(ctx, func(g *client.Game) bool { return len(g.Players) == 3 })
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(ga.Players, func(p client.LobbyPlayer) bool { return p.Name == "Bob" }); i < 0 || ga.Players[i].GuildCard != bob.GuildCard() {
		t.Errorf("Alice's roster after the 65s: %+v (Bob is %d)", ga.Players, bob.GuildCard())
	}

	// 62 reaches its target only; 60 everyone else.
	alice.SendGameCommand(0x62, 2, marker(0, 1))
	alice.SendGameCommand(0x60, 0, marker(0, 2))
	expectMarker(ctx, t, carol, 0x62, 1)
	expectMarker(ctx, t, carol, 0x60, 2)
	expectMarker(ctx, t, bob, 0x60, 2) // not the 62 first

	// The leader leaves: Bob leads, and Bob and Carol play on.
	if _, err := alice.LeaveGame(ctx); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*client.Client{bob, carol} {
		if _, err := c.WaitGame(ctx, func(g *client.Game) bool { return g.LeaderID == 1 && len(g.Players) == 2 }); err != nil {
			t.Fatalf("%s never saw Bob lead: %v", c.Config().Name, err)
		}
	}
	bob.SendGameCommand(0x60, 0, marker(1, 3))
	expectMarker(ctx, t, carol, 0x60, 3)

	// The game closes when the last player has gone.
	if _, err := bob.LeaveGame(ctx); err != nil {
		t.Fatal(err)
	}
	carol.Close()
	waitFor(t, "the empty game to close", func() bool { return len(srv.Games()) == 0 })
	if list, err := alice.ListGames(ctx); err != nil || len(list) != 0 {
		t.Errorf("game list after everyone left: %+v, %v", list, err)
	}
}

var ignoreGameIdentity = cmp.FilterPath(func(p cmp.Path) bool {
	f := p.Last().String()
	return f == ".ID" || f == ".Created"
}, cmp.Ignore())

// expectMarker checks that the next relayed command c got is marker n.
func expectMarker(ctx context.Context, t *testing.T, c *client.Client, cmd uint16, n uint8) {
	t.Helper()
	r := nextRelay(ctx, t, c)
	if r.Header.Command != cmd || len(r.Payload) != 0x18 || r.Payload[0x17] != n {
		t.Errorf("%s: got %02X %X, want %02X with marker %d", c.Config().Name, r.Header.Command, r.Payload, cmd, n)
	}
}

func TestGameRefusals(t *testing.T) {
	o := servertest.Options()
	failOnPanic(t, &o)
	srv := servertest.Start(t, o)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dcv2 := gameBot(ctx, t, srv, wire.DCV2, "Dreamy")
	if _, err := dcv2.CreateGame(ctx, client.GameSpec{Name: "Ruins", Difficulty: 3}); err != nil {
		t.Fatal(err)
	}
	gc := gameBot(ctx, t, srv, wire.GCV3, "Cubey")
	if _, err := gc.CreateGame(ctx, client.GameSpec{Name: "Cave", Password: "secret", Episode: 1}); err != nil {
		t.Fatal(err)
	}
	ruins, cave := gameID(t, srv, "Ruins"), gameID(t, srv, "Cave")

	v1 := gameBot(ctx, t, srv, wire.DCV1, "Oldie")
	refused(ctx, t, v1, ruins, "", "This game is in Ultimate mode:\nDC v1 cannot join.")
	gc2 := gameBot(ctx, t, srv, wire.GCV3, "Cubette")
	refused(ctx, t, gc2, ruins, "", "Your version of PSO\ncannot join this game.\nIt is for DC/PC.")
	refused(ctx, t, gc2, cave, "wrong", "Wrong password.")
	rookie := gameBotAt(ctx, t, srv, wire.DCV2, "Rookie", 1)
	refused(ctx, t, rookie, ruins, "", "This game needs\nlevel 80 or above.")
	var ge *client.GameRefusedError
	if _, err := rookie.CreateGame(ctx, client.GameSpec{Name: "Too hard", Difficulty: 1}); !errors.As(err, &ge) || ge.Message != "Hard needs level 20 / or above." {
		t.Errorf("a level 1 player creating a Hard game: %v", err)
	}
	for i, name := range []string{"P2", "P3", "P4"} {
		c := gameBot(ctx, t, srv, wire.XBV3, name)
		if _, err := c.JoinGame(ctx, "Cave", "secret"); err != nil {
			t.Fatalf("player %d: %v", i+2, err)
		}
	}
	refused(ctx, t, gc2, cave, "secret", "This game is full.")
	if list, _ := v1.ListGames(ctx); len(list) != 1 || list[0].Name != "Ruins" {
		t.Errorf("DC v1 lists %+v: want the DC/PC group's game only", list)
	}
}

func gameID(t *testing.T, srv *servertest.Server, name string) string {
	for _, g := range srv.Games() {
		if g.Name == name {
			return strconv.Itoa(int(g.ID))
		}
	}
	t.Fatalf("no game %q", name)
	return ""
}

// refused checks that joining game id is refused with message want (the
// message box text, colour codes and line breaks as sent) and that the
// player stays in its lobby.
func refused(ctx context.Context, t *testing.T, c *client.Client, id, password, want string) {
	t.Helper()
	_, err := c.JoinGame(ctx, id, password)
	var ge *client.GameRefusedError
	if !errors.As(err, &ge) {
		t.Fatalf("%s joining %s: %v, want a refusal", c.Config().Name, id, err)
	}
	if flat := strings.ReplaceAll(want, "\n", " / "); ge.Message != flat {
		t.Errorf("%s refused with %q, want %q", c.Config().Name, ge.Message, flat)
	}
	if c.CurrentLobby() == nil || c.CurrentGame() != nil {
		t.Errorf("%s left its lobby after a refusal", c.Config().Name)
	}
}

// DC NTE numbers subcommands its own way: what it relays reaches others in
// the final numbering, what they relay reaches it in its own, and what it
// has no equivalent for does not reach it.
func TestPrototypeNumberingIsTranslated(t *testing.T) {
	o := servertest.Options()
	failOnPanic(t, &o)
	srv := servertest.Start(t, o)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	nte := gameBot(ctx, t, srv, wire.DCNTE, "Proto")
	gc := gameBot(ctx, t, srv, wire.GCV3, "Cubey")
	ns, gs := nte.CurrentLobby().ClientID, gc.CurrentLobby().ClientID
	if _, err := nte.Expect(ctx, 0x68); err != nil {
		t.Fatal(err)
	}

	nte.SendGameCommand(0x60, 0, []byte{0x1B, 0x02, ns, 0, 1, 0, 0, 0}) // NTE 6x1B: change floor (final 6x1F)
	if r := nextRelay(ctx, t, gc); !bytes.Equal(r.Payload, []byte{0x1F, 0x02, ns, 0, 1, 0, 0, 0}) {
		t.Errorf("GameCube got %X, want the final number 1F", r.Payload)
	}
	stop := append([]byte{0x3E, 0x06, gs, 0}, make([]byte, 20)...) // 6x3E: no NTE equivalent
	gc.SendGameCommand(0x60, 0, stop)
	move := marker(gs, 2) // 6x3F: NTE 6x36
	gc.SendGameCommand(0x60, 0, move)
	r := nextRelay(ctx, t, nte)
	if want := append([]byte{0x36}, move[1:]...); !bytes.Equal(r.Payload, want) {
		t.Errorf("NTE got %X first, want its 6x36 %X", r.Payload, want)
	}
}
