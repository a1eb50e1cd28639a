package server_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/gameserver/client"
	"github.com/psobox/psobox/gameserver/wire"
)

// mixedBots are a Dreamcast v2, a PC and a Japanese GameCube: three
// layouts and three text encodings (Latin-1, UTF-16, Shift-JIS).
var mixedBots = []struct {
	v          wire.Version
	name, lang string
	says       string
}{
	{wire.DCV2, "Dré", "en", "Bonjour à tous"},
	{wire.PCV2, "Wïndy", "en", "hi from PC"},
	{wire.GCV3, "ユキ", "ja", "こんにちは"},
}

// TestMixedVersionsMeetChatAndTradeCards is issue 4's first whole-server
// test: a DC v2, a PC and a GC psobot meet in one lobby, see each other in
// their rosters, chat, and exchange guild cards, each receiving everything
// in its own layout and encoding.
func TestMixedVersionsMeetChatAndTradeCards(t *testing.T) {
	srv := socialServer(t, nil)
	ctx := testCtx(t)
	var bots []*client.Client
	var names []string
	for _, b := range mixedBots {
		bots = append(bots, bot(t, ctx, srv, b.v, b.name, b.lang))
		names = append(names, b.name)
	}
	slices.Sort(names)
	for _, c := range bots {
		waitRoster(t, ctx, c, len(bots))
		var got []string
		for _, p := range c.CurrentLobby().Players {
			got = append(got, p.Name)
		}
		slices.Sort(got)
		if diff := cmp.Diff(names, got); diff != "" {
			t.Errorf("%v roster names (-want +got):\n%s", c.Version(), diff)
		}
	}
	checkChat(t, ctx, bots)
	checkGuildCards(t, ctx, bots)
}

// waitRoster waits until c's roster has n players (the reader goroutine
// applies each 68 as it arrives).
func waitRoster(t *testing.T, ctx context.Context, c *client.Client, n int) {
	t.Helper()
	for len(c.CurrentLobby().Players) != n {
		if ctx.Err() != nil {
			t.Fatalf("%s roster: %d players, want %d", c.Config().Name, len(c.CurrentLobby().Players), n)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// checkChat: each bot speaks; every bot (the speaker too) reads the line
// with the speaker's name and text in its own encoding. A chat line has no
// room for a language marker before the name, so on DC and GameCube the
// name is in the reader's own character set: a Japanese name reads as
// question marks on a European console, and an accented one on a Japanese
// console.
func checkChat(t *testing.T, ctx context.Context, bots []*client.Client) {
	for i, speaker := range bots {
		if err := speaker.Chat(mixedBots[i].says); err != nil {
			t.Fatal(err)
		}
		for _, r := range bots {
			got := waitChat(t, ctx, r, speaker.GuildCard())
			want := client.Chat{GuildCard: speaker.GuildCard(), From: mixedBots[i].name, Text: mixedBots[i].says}
			switch {
			case r.Version() == wire.DCV2 && speaker.Version() == wire.GCV3:
				want.From = "??"
			case r.Version() == wire.GCV3 && speaker.Version() != wire.GCV3:
				want.From = strings.ReplaceAll(strings.ReplaceAll(want.From, "é", "?"), "ï", "?")
			}
			if diff := cmp.Diff(want, *got); diff != "" {
				t.Errorf("%v reads %v's chat (-want +got):\n%s", r.Version(), speaker.Version(), diff)
			}
		}
	}
}

// checkGuildCards: every bot sends its card to every other one, which
// receives it in its own layout with the sender's name and number.
func checkGuildCards(t *testing.T, ctx context.Context, bots []*client.Client) {
	for i, from := range bots {
		for j, to := range bots {
			if i == j {
				continue
			}
			desc := "card of " + mixedBots[i].name
			if err := from.SendGuildCard(slotOf(t, from, to.GuildCard()), desc); err != nil {
				t.Fatal(err)
			}
			got := waitEvent[*client.GuildCardReceived](t, ctx, to, "guild card")
			p := from.Player()
			want := wire.GuildCardInfo{Number: from.GuildCard(), Name: mixedBots[i].name, Description: desc,
				Language: p.Language, SectionID: p.SectionID, Class: p.Class}
			if diff := cmp.Diff(want, got.Card); diff != "" {
				t.Errorf("%v's card to %v (-want +got):\n%s", from.Version(), to.Version(), diff)
			}
		}
	}
}

// TestGameRostersShowNamesInEachReadersLanguage: a game's rosters (the
// joiner's 64, the others' 65) re-encode names for each receiver's
// language, as the lobby's do: a Japanese and a European GameCube each read
// the other's name, not bytes in the wrong character set.
func TestGameRostersShowNamesInEachReadersLanguage(t *testing.T) {
	srv := socialServer(t, nil)
	ctx := testCtx(t)
	yuki := bot(t, ctx, srv, wire.GCV3, "ユキ", "ja")
	dre := bot(t, ctx, srv, wire.GCV3, "Dré", "en")
	if _, err := yuki.CreateGame(ctx, client.GameSpec{Name: "Forest", Episode: 1}); err != nil {
		t.Fatal(err)
	}
	joined, err := dre.JoinGame(ctx, "Forest", "")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Dré", "ユキ"}
	if diff := cmp.Diff(want, names(joined.Players)); diff != "" {
		t.Errorf("the joiner's 64 (-want +got):\n%s", diff)
	}
	host, err := yuki.WaitGame(ctx, func(g *client.Game) bool { return len(g.Players) == 2 })
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, names(host.Players)); diff != "" {
		t.Errorf("the creator's 65 (-want +got):\n%s", diff)
	}
	dre.Chat("$info") // in a game, $info names the game, not a lobby
	waitMessage(t, ctx, dre, "Game Forest, 2 players")
}
