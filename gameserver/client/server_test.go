package client_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/client"
	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/wire"
)

// botVersions are the seven console versions psobot speaks, with the port a
// real console of that version dials.
var botVersions = []struct {
	name    string
	version wire.Version
	sub     uint32
	port    int
}{
	{"DC NTE", wire.DCNTE, 0, 9000},
	{"DC v1", wire.DCV1, 0, 9200},
	{"DC v2", wire.DCV2, 0, 9200},
	{"PC v2 via the 9100 split", wire.PCV2, 0, 9100},
	{"GC Ep1&2", wire.GCV3, 0, 9103},
	{"GC Ep1&2 Plus", wire.GCV3, client.SubVersionGCPlus, 9064},
	{"GC Ep3", wire.GCEp3, 0, 9103},
	{"Xbox", wire.XBV3, 0, 9500},
}

// TestEveryVersionLogsInToPsobox is the whole-server test of issue 3: psobot
// of each console version logs in to the real game server on loopback and
// joins the lobby, where it finds itself on the roster.
func TestEveryVersionLogsInToPsobox(t *testing.T) {
	srv := servertest.Start(t, servertest.Options())
	for i, bv := range botVersions {
		t.Run(bv.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			c, err := client.Dial(ctx, srv.Addr(bv.port), client.Config{
				Version: bv.version, SubVersion: bv.sub, Name: fmt.Sprintf("bot%d", i),
			})
			if err != nil {
				t.Fatalf("login: %v", err)
			}
			defer c.Close()
			lobby, err := c.Lobby(ctx)
			if err != nil {
				t.Fatalf("lobby: %v", err)
			}
			if c.GuildCard() == 0 {
				t.Error("no guild card number after login")
			}
			if !onRoster(lobby, c.GuildCard(), fmt.Sprintf("bot%d", i)) {
				t.Errorf("own entry missing from the lobby roster: %+v", lobby.Players)
			}
		})
	}
}

// TestMixedVersionsShareALobby: a DC v2, a PC and a GC bot see each other
// in one lobby, each roster built in its receiver's format.
func TestMixedVersionsShareALobby(t *testing.T) {
	srv := servertest.Start(t, servertest.Options())
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var bots []*client.Client
	for _, bv := range []struct {
		v    wire.Version
		port int
		name string
	}{{wire.DCV2, 9200, "Dreamy"}, {wire.PCV2, 9300, "Windy"}, {wire.GCV3, 9103, "Cubey"}} {
		c, err := client.Dial(ctx, srv.Addr(bv.port), client.Config{Version: bv.v, Name: bv.name})
		if err != nil {
			t.Fatalf("%s login: %v", bv.name, err)
		}
		defer c.Close()
		if _, err := c.Lobby(ctx); err != nil {
			t.Fatalf("%s lobby: %v", bv.name, err)
		}
		bots = append(bots, c)
	}
	deadline := time.Now().Add(10 * time.Second)
	for _, c := range bots {
		for {
			lobby := c.CurrentLobby()
			if len(lobby.Players) == len(bots) && onRoster(lobby, 0, "Dreamy") && onRoster(lobby, 0, "Windy") && onRoster(lobby, 0, "Cubey") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%v never saw all three players: %+v", c.Version(), lobby.Players)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

func onRoster(l *client.Lobby, guildCard uint32, name string) bool {
	for _, p := range l.Players {
		if p.Name == name && (guildCard == 0 || p.GuildCard == guildCard) {
			return true
		}
	}
	return false
}
