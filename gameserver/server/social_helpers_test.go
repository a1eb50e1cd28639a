package server_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/client"
	"github.com/psobox/psobox/gameserver/server"
	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/wire"
)

// botPort is the port a console of version v dials.
func botPort(v wire.Version) int {
	switch {
	case v == wire.DCNTE:
		return 9000
	case v.IsDC():
		return 9200
	case v.IsPC():
		return 9300
	case v == wire.XBV3:
		return 9500
	}
	return 9103
}

// socialServer starts a server for the social tests; a panic fails the
// test.
func socialServer(t testing.TB, edit func(o *server.Options)) *servertest.Server {
	o := servertest.Options()
	failOnPanic(t, &o)
	if edit != nil {
		edit(&o)
	}
	return servertest.Start(t, o)
}

// testCtx bounds one test's waits.
func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// bot logs a psobot of version v in and takes it to a lobby.
func bot(t testing.TB, ctx context.Context, srv *servertest.Server, v wire.Version, name, lang string) *client.Client {
	t.Helper()
	c := botAt(t, ctx, srv.Addr(botPort(v)), client.Config{Version: v, Name: name, Lang: lang})
	if _, err := c.Lobby(ctx); err != nil {
		t.Fatalf("%s (%v) lobby: %v", name, v, err)
	}
	return c
}

// botAt logs a psobot in at addr; it is closed when the test ends.
func botAt(t testing.TB, ctx context.Context, addr string, cfg client.Config) *client.Client {
	t.Helper()
	c, err := client.Dial(ctx, addr, cfg)
	if err != nil {
		t.Fatalf("%s (%v) login: %v", cfg.Name, cfg.Version, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// waitChat waits for a chat line from guild card from.
func waitChat(t testing.TB, ctx context.Context, c *client.Client, from uint32) *client.Chat {
	t.Helper()
	e, err := c.WaitEvent(ctx, "chat", func(e client.Event) bool {
		ch, ok := e.(*client.Chat)
		return ok && ch.GuildCard == from
	})
	if err != nil {
		t.Fatalf("%s waiting for chat from %d: %v", c.Config().Name, from, err)
	}
	return e.(*client.Chat)
}

// waitEvent waits for an event of type T.
func waitEvent[T client.Event](t testing.TB, ctx context.Context, c *client.Client, what string) T {
	t.Helper()
	e, err := c.WaitEvent(ctx, what, func(e client.Event) bool { _, ok := e.(T); return ok })
	if err != nil {
		t.Fatalf("%s waiting for %s: %v", c.Config().Name, what, err)
	}
	return e.(T)
}

// noEvent checks that no event of type T arrives within a short time.
func noEvent[T client.Event](t testing.TB, c *client.Client, what string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	e, err := c.WaitEvent(ctx, what, func(e client.Event) bool { _, ok := e.(T); return ok })
	var we *client.WaitError
	if err == nil {
		t.Errorf("%s got %s %+v, want none", c.Config().Name, what, e)
	} else if !errors.As(err, &we) {
		t.Errorf("%s: %v", c.Config().Name, err)
	}
}

// slotOf is the lobby slot of guild card gc as c's roster shows it.
func slotOf(t testing.TB, c *client.Client, gc uint32) uint8 {
	t.Helper()
	for _, p := range c.CurrentLobby().Players {
		if p.GuildCard == gc {
			return uint8(p.ClientID)
		}
	}
	t.Fatalf("%s: guild card %d is not in the lobby", c.Config().Name, gc)
	return 0
}

// waitMessage waits for a server message containing substr.
func waitMessage(t testing.TB, ctx context.Context, c *client.Client, substr string) *client.ServerMessage {
	t.Helper()
	e, err := c.WaitEvent(ctx, "message "+substr, func(e client.Event) bool {
		m, ok := e.(*client.ServerMessage)
		return ok && strings.Contains(m.Text, substr)
	})
	if err != nil {
		t.Fatalf("%s waiting for a message with %q: %v", c.Config().Name, substr, err)
	}
	return e.(*client.ServerMessage)
}
