package server_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/psobox/psobox/gameserver/client"
	"github.com/psobox/psobox/gameserver/server"
	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/wire"
)

// TestLobbyChangeUpdatesRosters: a player using the teleporter (84) leaves
// the old lobby's rosters (69) and joins the new one's (68); a full lobby
// refuses with a message and the player stays where it was.
func TestLobbyChangeUpdatesRosters(t *testing.T) {
	srv := socialServer(t, nil)
	ctx := testCtx(t)
	a := bot(t, ctx, srv, wire.GCV3, "Anna", "en")
	b := bot(t, ctx, srv, wire.DCV2, "Bert", "en")
	c := bot(t, ctx, srv, wire.PCV2, "Cleo", "en")
	waitRoster(t, ctx, a, 3)

	l, err := a.ChangeLobby(ctx, 4)
	if err != nil {
		t.Fatal(err)
	}
	if l.Number != 3 || len(l.Players) != 1 {
		t.Errorf("after 84: lobby index %d with %d players, want 3 (lobby 4) alone", l.Number, len(l.Players))
	}
	waitRoster(t, ctx, b, 2)
	waitRoster(t, ctx, c, 2)
	if _, err := c.ChangeLobby(ctx, 4); err != nil {
		t.Fatal(err)
	}
	waitRoster(t, ctx, a, 2)
	waitRoster(t, ctx, b, 1)
	if got := playersIn(srv, 1, 4); got != "Anna,Cleo" {
		t.Errorf("server's lobby 4: %s", got)
	}

	fillLobby(t, ctx, srv, 4, 10)
	_, err = b.ChangeLobby(ctx, 4)
	if err == nil || !strings.Contains(err.Error(), "full") {
		t.Errorf("84 to a full lobby: %v, want a refusal saying it is full", err)
	}
	if got := playersIn(srv, 1, 1); got != "Bert" {
		t.Errorf("after the refusal lobby 1 holds %q, want Bert still", got)
	}
}

// fillLobby brings n more GameCubes into lobby number id of block 1.
func fillLobby(t *testing.T, ctx context.Context, srv interface{ Addr(int) string }, id uint32, n int) {
	for i := range n {
		f := botAt(t, ctx, srv.Addr(9103), client.Config{Version: wire.GCV3, Name: fmt.Sprintf("fill%d-%d", id, i)})
		if _, err := f.Lobby(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := f.ChangeLobby(ctx, id); err != nil {
			t.Fatalf("filler %d into lobby %d: %v", i, id, err)
		}
	}
}

// playersIn lists the names the server has in a lobby, in slot order.
func playersIn(srv interface{ Lobbies() []server.LobbyStatus }, block, number int) string {
	for _, l := range srv.Lobbies() {
		if l.Block == block && l.Number == number {
			return strings.Join(l.Players, ",")
		}
	}
	return "(no such lobby)"
}

// TestOverflowOpensBlocks: more players than block 1's public lobbies
// hold (15 x 12 = 180) are all seated; the rest go to block 2, which
// opens on demand; DC v1 players fill only lobbies 1-10 of each block.
func TestOverflowOpensBlocks(t *testing.T) {
	srv := socialServer(t, func(o *server.Options) { o.MaxClients = 400 })
	ctx := testCtx(t)
	const players = 210
	var wg sync.WaitGroup
	var mu sync.Mutex
	bots := map[uint32]*client.Client{}
	sem := make(chan struct{}, 8)
	for i := range players {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			c, err := client.Dial(ctx, srv.Addr(9103), client.Config{Version: wire.GCV3, Name: fmt.Sprintf("p%03d", i)})
			if err == nil {
				_, err = c.Lobby(ctx)
			}
			if err != nil {
				t.Errorf("player %d: %v", i, err)
				return
			}
			t.Cleanup(func() { c.Close() })
			mu.Lock()
			bots[c.GuildCard()] = c
			mu.Unlock()
		}()
	}
	wg.Wait()
	perBlock := map[int]int{}
	for _, p := range srv.Players() {
		if p.Lobby == 0 || p.Lobby > 15 {
			t.Errorf("%s is in lobby %d", p.Name, p.Lobby)
		}
		perBlock[p.Block]++
	}
	if perBlock[1] != 180 || perBlock[2] != players-180 {
		t.Errorf("players per block: %v, want 180 in block 1 and %d in block 2", perBlock, players-180)
	}
	checkBlockChange(t, ctx, srv, bots)
}

// The block counter moves a player to another block: a seat freed in
// block 1 is taken by a player from block 2.
func checkBlockChange(t *testing.T, ctx context.Context, srv *servertest.Server, bots map[uint32]*client.Client) {
	var leaving, mover *client.Client
	for _, p := range srv.Players() {
		switch {
		case p.Block == 1 && leaving == nil:
			leaving = bots[p.GuildCard]
		case p.Block == 2 && mover == nil:
			mover = bots[p.GuildCard]
		}
	}
	leaving.Close()
	waitPlayers(t, ctx, srv, len(bots)-1)
	if _, err := mover.ChangeBlock(ctx, 1); err != nil {
		t.Fatal(err)
	}
	for _, p := range srv.Players() {
		if p.GuildCard == mover.GuildCard() && p.Block != 1 {
			t.Errorf("after choosing block 1 the player is in block %d", p.Block)
		}
	}
}
