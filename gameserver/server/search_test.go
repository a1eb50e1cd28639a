package server_test

import (
	"context"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/psobox/psobox/gameserver/client"
	"github.com/psobox/psobox/gameserver/wire"
)

// TestSearchFindsPlayerInLobby: a guild card search answers with the
// lobby the player is in, in the searcher's layout, with a reconnect to
// the port the searcher uses; nobody answers for a player who is not on.
func TestSearchFindsPlayerInLobby(t *testing.T) {
	srv := socialServer(t, nil)
	ctx := testCtx(t)
	pc := bot(t, ctx, srv, wire.PCV2, "Seeker", "en")
	gc := bot(t, ctx, srv, wire.GCV3, "Hider", "en")
	if _, err := gc.ChangeLobby(ctx, 7); err != nil {
		t.Fatal(err)
	}
	got, err := pc.Search(ctx, gc.GuildCard())
	if err != nil {
		t.Fatal(err)
	}
	want := &client.SearchResult{GuildCard: gc.GuildCard(), Name: "Hider", Location: "BLOCK01-07,,BLOCK01,psobox",
		Block: 1, Lobby: 7, Server: srv.Addrs[9300]}
	if diff := cmp.Diff(want, got, cmpopts.EquateComparable(netip.AddrPort{})); diff != "" {
		t.Errorf("search result (-want +got):\n%s", diff)
	}
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if r, err := pc.Search(short, 12345); err == nil {
		t.Errorf("search for a card nobody has: %+v", r)
	}
}

// TestInfoBoardRoundTrip: a player's board is read by others in its
// lobby, and stays with the account when the console sends none.
func TestInfoBoardRoundTrip(t *testing.T) {
	srv := socialServer(t, nil)
	ctx := testCtx(t)
	writer := bot(t, ctx, srv, wire.GCV3, "Writer", "ja")
	reader := bot(t, ctx, srv, wire.PCV2, "Reader", "en")
	if err := writer.SetInfoBoard("Looking for a team: Forest"); err != nil {
		t.Fatal(err)
	}
	writer.InfoBoards(ctx) // a round trip: the D9 is handled
	want := []client.InfoBoard{{Name: "Writer", Text: "Looking for a team: Forest"}, {Name: "Reader"}}
	boards, err := reader.InfoBoards(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, boards); diff != "" {
		t.Errorf("boards (-want +got):\n%s", diff)
	}
	writer.Close()
	waitPlayers(t, ctx, srv, 1)
	bot(t, ctx, srv, wire.GCV3, "Writer", "ja") // psobot's player data carries no board
	waitRoster(t, ctx, reader, 2)
	boards, err = reader.InfoBoards(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(boards, want[0]) || len(boards) != 2 {
		t.Errorf("after the writer came back: %+v", boards)
	}
}
