package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/gameserver/client"
	"github.com/psobox/psobox/gameserver/server"
	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/wire"
)

// TestMailToOnlinePlayerWithAutoReply: mail reaches a player in a lobby
// at once, in the recipient's layout; the recipient's auto-reply comes
// back to the sender.
func TestMailToOnlinePlayerWithAutoReply(t *testing.T) {
	srv := socialServer(t, nil)
	ctx := testCtx(t)
	a := bot(t, ctx, srv, wire.PCV2, "Penny", "en")
	b := bot(t, ctx, srv, wire.GCV3, "Gabe", "en")
	if err := a.Mail(b.GuildCard(), "Meet me in lobby 3"); err != nil {
		t.Fatal(err)
	}
	got := waitEvent[*client.MailReceived](t, ctx, b, "mail")
	want := client.MailReceived{From: a.GuildCard(), FromName: "Penny", Text: "Meet me in lobby 3"}
	if diff := cmp.Diff(want, *got); diff != "" {
		t.Errorf("mail (-want +got):\n%s", diff)
	}
	noEvent[*client.MailReceived](t, a, "auto-reply")

	if err := b.SetAutoReply("Away from the console"); err != nil {
		t.Fatal(err)
	}
	b.InfoBoards(ctx) // a round trip: the C7 is handled
	a.Mail(b.GuildCard(), "Still there?")
	reply := waitEvent[*client.MailReceived](t, ctx, a, "auto-reply")
	if reply.From != b.GuildCard() || reply.FromName != "Gabe" || reply.Text != "Away from the console" {
		t.Errorf("auto-reply: %+v", reply)
	}
	waitEvent[*client.MailReceived](t, ctx, b, "second mail")
}

// TestMailKeptForAbsentPlayer: mail to a player who is not online is kept
// in the accounts database, survives a server restart on the same state
// directory, and is delivered when the player next joins a lobby; the
// sender gets the absent player's stored auto-reply and a note.
func TestMailKeptForAbsentPlayer(t *testing.T) {
	dir := t.TempDir()
	stateIn := func(o *server.Options) { o.StateDir = dir }
	srv := socialServer(t, stateIn)
	ctx := testCtx(t)
	absent := bot(t, ctx, srv, wire.DCV2, "Dora", "en")
	absentCard := absent.GuildCard()
	sender := bot(t, ctx, srv, wire.GCV3, "Sam", "en")
	absent.Close()
	waitPlayers(t, ctx, srv, 1)

	if err := sender.Mail(absentCard, "See you at the party"); err != nil {
		t.Fatal(err)
	}
	waitMessage(t, ctx, sender, "not online")
	sender.Mail(absentCard, "Second one")
	waitMessage(t, ctx, sender, "not online")

	srv.Stop()
	srv2 := socialServer(t, stateIn)
	back := bot(t, ctx, srv2, wire.DCV2, "Dora", "en")
	if back.GuildCard() != absentCard {
		t.Fatalf("same licence, guild card %d then %d", absentCard, back.GuildCard())
	}
	for _, text := range []string{"See you at the party", "Second one"} {
		got := waitEvent[*client.MailReceived](t, ctx, back, "kept mail")
		want := client.MailReceived{From: sender.GuildCard(), FromName: "Sam", Text: text}
		if diff := cmp.Diff(want, *got); diff != "" {
			t.Errorf("kept mail (-want +got):\n%s", diff)
		}
	}
	back.Close()
	again := bot(t, ctx, srv2, wire.DCV2, "Dora", "en")
	noEvent[*client.MailReceived](t, again, "mail delivered twice")
}

// TestOfflineAutoReplyAndUnknownCard: the auto-reply a player set stays
// with the account and answers mail while the player is away; mail to a
// guild card nobody has is refused with a message.
func TestOfflineAutoReplyAndUnknownCard(t *testing.T) {
	srv := socialServer(t, nil)
	ctx := testCtx(t)
	away := bot(t, ctx, srv, wire.GCV3, "Wanda", "en")
	away.SetAutoReply("Back on Sunday")
	away.InfoBoards(ctx)
	awayCard := away.GuildCard()
	away.Close()
	waitPlayers(t, ctx, srv, 0)
	sender := bot(t, ctx, srv, wire.XBV3, "Xavi", "en")
	sender.Mail(awayCard, "hello")
	reply := waitEvent[*client.MailReceived](t, ctx, sender, "offline auto-reply")
	if reply.From != awayCard || reply.FromName != "Wanda" || reply.Text != "Back on Sunday" {
		t.Errorf("offline auto-reply: %+v", reply)
	}
	sender.Mail(99999999, "anyone?")
	waitMessage(t, ctx, sender, "No player has guild card")
}

// waitPlayers waits until the server has n clients.
func waitPlayers(t *testing.T, ctx context.Context, srv *servertest.Server, n int) {
	t.Helper()
	for srv.Clients() != n {
		if ctx.Err() != nil {
			t.Fatalf("%d clients, want %d", srv.Clients(), n)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
