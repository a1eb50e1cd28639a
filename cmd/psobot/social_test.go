package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/client"
	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/wire"
)

// listener is a bot in the lobby that psobot talks to.
func listener(t *testing.T, srv *servertest.Server) (*client.Client, context.Context) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	c, err := client.Dial(ctx, srv.Addr(9300), client.Config{Version: wire.PCV2, Name: "Listener"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.Lobby(ctx); err != nil {
		t.Fatal(err)
	}
	return c, ctx
}

// psobot chat says its text and prints what others answer while it
// listens.
func TestChatVerbSaysAndListens(t *testing.T) {
	srv := servertest.Start(t, servertest.Options())
	l, ctx := listener(t, srv)
	go func() {
		e, err := l.WaitEvent(ctx, "psobot's chat", func(e client.Event) bool { c, ok := e.(*client.Chat); return ok && c.From == "Talker" })
		if err == nil {
			l.Chat("hi " + e.(*client.Chat).Text)
		}
	}()
	stdout, _, err := runPsobot(t, "-q", "-name", "Talker", "-server", srv.Addr(9103), "-listen", "500ms", "chat", "good", "evening")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"chat: Talker (", "): good evening", "chat: Listener (", "): hi good evening", "ok: listened for 500ms"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}

// psobot mail and search find the player by name in the lobby or by
// guild card number.
func TestMailAndSearchVerbs(t *testing.T) {
	srv := servertest.Start(t, servertest.Options())
	l, ctx := listener(t, srv)
	if _, err := l.ChangeLobby(ctx, 2); err != nil {
		t.Fatal(err)
	}
	card := fmt.Sprint(l.GuildCard())
	if _, _, err := runPsobot(t, "-q", "-pso", "dcv2", "-server", srv.Addr(9200), "-listen", "0s", "mail", card, "see", "you"); err != nil {
		t.Fatal(err)
	}
	e, err := l.WaitEvent(ctx, "mail", func(e client.Event) bool { _, ok := e.(*client.MailReceived); return ok })
	if err != nil || e.(*client.MailReceived).Text != "see you" {
		t.Errorf("mail received: %+v, %v", e, err)
	}
	stdout, _, err := runPsobot(t, "-q", "-server", srv.Addr(9103), "search", card)
	if err != nil || !strings.Contains(stdout, "is at BLOCK01-02,,BLOCK01,psobox (block 1, lobby 2)") {
		t.Errorf("search: %v\n%s", err, stdout)
	}
	_, _, err = runPsobot(t, "-q", "-server", srv.Addr(9103), "-listen", "100ms", "search", "99999")
	if err == nil || !strings.Contains(err.Error(), "no answer") {
		t.Errorf("search for nobody: %v", err)
	}
	_, _, err = runPsobot(t, "-q", "-server", srv.Addr(9103), "mail", "Nobody", "hi")
	if err == nil || !strings.Contains(err.Error(), `"Nobody" is neither`) {
		t.Errorf("mail to an unknown name: %v", err)
	}
}
