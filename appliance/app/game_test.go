package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/psobox/psobox/appliance/status"
	"github.com/psobox/psobox/gameserver/client"
	"github.com/psobox/psobox/gameserver/quest"
	"github.com/psobox/psobox/gameserver/server"
	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/wire"
)

// The status adapter lists the game server's players and lobbies as the
// page wants them: version labels, the address without port, lobbies
// numbered across blocks.
func TestGameStatusListsPlayersAndLobbies(t *testing.T) {
	srv := servertest.Start(t, servertest.Options())
	g := gameStatus{srv.Server}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, b := range []struct {
		v    wire.Version
		port int
		name string
	}{{wire.GCV3, 9103, "Cube"}, {wire.DCV2, 9200, "Dream"}} {
		c, err := client.Dial(ctx, srv.Addr(b.port), client.Config{Version: b.v, Name: b.name})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := c.Lobby(ctx); err != nil {
			t.Fatal(err)
		}
	}
	want := []status.PlayerInfo{
		{Name: "Cube", Version: "GC Ep1&2", GuildCard: 10000001, Address: "127.0.0.1", Lobby: 1},
		{Name: "Dream", Version: "DC v2", GuildCard: 10000002, Address: "127.0.0.1", Lobby: 1},
	}
	got := g.Players()
	for i := range got {
		if time.Since(got[i].Since) > time.Minute {
			t.Errorf("%s connected since %v", got[i].Name, got[i].Since)
		}
	}
	sortPlayers := cmpopts.SortSlices(func(a, b status.PlayerInfo) bool { return a.Name < b.Name })
	if diff := cmp.Diff(want, got, sortPlayers, cmpopts.IgnoreFields(status.PlayerInfo{}, "Since")); diff != "" {
		t.Errorf("players (-want +got):\n%s", diff)
	}
	lobbies := g.Lobbies()
	if len(lobbies) != 20 || lobbies[0].Number != 1 || len(lobbies[0].Players) != 2 || lobbies[19].Number != 20 {
		t.Errorf("lobbies: %+v", lobbies)
	}
	if gs := g.Games(); len(gs) != 0 {
		t.Errorf("games listed before anyone created one: %+v", gs)
	}
	if n := statusLobbyNumber(2, 3); n != 23 {
		t.Errorf("block 2 lobby 3 shown as %d, want 23", n)
	}
}

// Games reach the page one-to-one, and each player shows the game it is in.
func TestGameStatusListsGames(t *testing.T) {
	srv := servertest.Start(t, servertest.Options())
	g := gameStatus{srv.Server}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var bots []*client.Client
	for _, name := range []string{"Leader", "Joiner", "Waiting"} {
		c, err := client.Dial(ctx, srv.Addr(9103), client.Config{Version: wire.GCV3, Name: name, Level: 50})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := c.Lobby(ctx); err != nil {
			t.Fatal(err)
		}
		bots = append(bots, c)
	}
	spec := client.GameSpec{Name: "Forest run", Password: "pw", Difficulty: 1, Episode: 2, Mode: client.GameBattle}
	if _, err := bots[0].CreateGame(ctx, spec); err != nil {
		t.Fatal(err)
	}
	for len(g.Games()) == 0 || slices.ContainsFunc(srv.Games(), func(s server.GameSummary) bool { return s.Loading }) {
		time.Sleep(time.Millisecond) // the server has not read the creator's 6F yet: a join would be refused
	}
	if _, err := bots[1].JoinGame(ctx, "Forest run", "pw"); err != nil {
		t.Fatal(err)
	}
	want := []status.GameInfo{{Name: "Forest run", Group: "GC/Xbox", Players: []string{"Leader", "Joiner"},
		Episode: 2, Difficulty: "Hard", Mode: "Battle", Password: true}}
	if diff := cmp.Diff(want, g.Games()); diff != "" {
		t.Errorf("games (-want +got):\n%s", diff)
	}
	where := map[string]string{}
	for _, p := range g.Players() {
		where[p.Name] = p.Game
	}
	if diff := cmp.Diff(map[string]string{"Leader": "Forest run", "Joiner": "Forest run", "Waiting": ""}, where); diff != "" {
		t.Errorf("players' games (-want +got):\n%s", diff)
	}
}

// Skipped quest files are warnings on the page, the first few by name.
func TestQuestWarnings(t *testing.T) {
	var problems []quest.Problem
	for i := range 7 {
		problems = append(problems, quest.Problem{File: fmt.Sprintf("retrieval/q%03d-gc-e.bin", i), Err: errors.New("no map data")})
	}
	got := questWarnings(problems)
	if len(got) != 6 || got[0].Message != "Quest file retrieval/q000-gc-e.bin was skipped: no map data. Fix or remove it and restart psobox." ||
		got[5].Message != "2 more quest files were skipped; the log names them all" || got[0].Level != status.LevelWarning {
		t.Errorf("warnings: %+v", got)
	}
	if questWarnings(nil) != nil {
		t.Error("warnings without problems")
	}
}
