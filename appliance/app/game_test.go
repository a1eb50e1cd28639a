package app

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/psobox/psobox/appliance/status"
	"github.com/psobox/psobox/gameserver/client"
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
	if g.Games() != nil {
		t.Error("games listed before the server has games")
	}
	if n := statusLobbyNumber(2, 3); n != 23 {
		t.Errorf("block 2 lobby 3 shown as %d, want 23", n)
	}
}
