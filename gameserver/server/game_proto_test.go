package server_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/client"
	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// until reads up to the next command cmd, skipping the others.
func (c *testClient) until(cmd uint16) wire.Command {
	c.t.Helper()
	for {
		got, err := c.recv()
		if err != nil {
			c.t.Fatalf("waiting for %02X: %v", cmd, err)
		}
		if got.Header.Command == cmd {
			return got
		}
	}
}

// quiet checks that nothing arrives for a moment.
func (c *testClient) quiet(what string) {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	if got, err := c.f.ReadCommand(); err == nil {
		c.t.Fatalf("%s: got %02X %X", what, got.Header.Command, got.Payload)
	} else if !errors.Is(err, os.ErrDeadlineExceeded) {
		c.t.Fatalf("%s: %v", what, err)
	}
}

// createGame creates a game from the lobby and finishes loading it.
func (c *testClient) createGame(name string) *wire.JoinGame {
	c.t.Helper()
	m := &wire.CreateGame{Cmd: 0xC1, Episode: 1}
	m.SetName(c.v, name, text.English)
	c.sendMsg(m)
	j := c.joinGame()
	c.finishLoading()
	return j
}

// joinGame reads the 64 and the ping after it (not answered yet).
func (c *testClient) joinGame() *wire.JoinGame {
	c.t.Helper()
	r := c.until(0x64)
	var j wire.JoinGame
	if err := wire.DecodeInto(c.v, r.Header, r.Payload, &j); err != nil {
		c.t.Fatal(err)
	}
	c.expect(0x1D)
	return &j
}

// finishLoading answers the ping after the 64 and says 6F.
func (c *testClient) finishLoading() {
	c.t.Helper()
	c.sendMsg(&wire.Empty{Cmd: 0x1D})
	c.sendMsg(&wire.Empty{Cmd: 0x6F})
	c.until(0xB1)
}

// selectGame picks the first game of the game list.
func (c *testClient) selectGame() {
	c.t.Helper()
	c.sendMsg(&wire.Empty{Cmd: 0x08})
	r := c.until(0x08)
	var list wire.Menu
	if err := wire.DecodeInto(c.v, r.Header, r.Payload, &list); err != nil || len(list.Items) < 2 {
		c.t.Fatalf("game list: %+v, %v", list.Items, err)
	}
	c.sendMsg(&wire.MenuSelection{MenuID: list.Items[1].MenuID, ItemID: list.Items[1].ItemID})
}

// twoInAGame logs two GameCubes in; the first creates a game, the second
// joins it and finishes loading.
func twoInAGame(t *testing.T, srv *servertest.Server) (a, b *testClient) {
	addr := srv.Addr(9103)
	a, _ = loginGC(t, addr, gcLicence(1), "Alice")
	a.toLobby()
	b, _ = loginGC(t, addr, gcLicence(2), "Bob")
	b.toLobby()
	a.createGame("Test")
	b.selectGame()
	b.joinGame()
	a.until(0x65)
	b.finishLoading()
	return a, b
}

// While a joiner loads, what others relay to it is held until it answers
// the ping sent after its 64 (the reference server's join queue: a client
// must not see the game's state on the same frame as its 64), then
// delivered in order; others cannot join until it said 6F.
func TestJoinerGetsHeldCommandsAfterItsPing(t *testing.T) {
	o := servertest.Options()
	failOnPanic(t, &o)
	srv := servertest.Start(t, o)
	addr := srv.Addr(9103)
	a, _ := loginGC(t, addr, gcLicence(1), "Alice")
	a.toLobby()
	b, _ := loginGC(t, addr, gcLicence(2), "Bob")
	b.toLobby()
	c, _ := loginGC(t, addr, gcLicence(3), "Carol")
	c.toLobby()
	a.createGame("Test")
	b.selectGame()
	join := b.joinGame()
	if join.ClientID != 1 || join.LeaderID != 0 || join.Flag != 2 {
		t.Errorf("Bob's 64: client %d, leader %d, %d players", join.ClientID, join.LeaderID, join.Flag)
	}
	a.until(0x65)

	sync := [][]byte{
		{0x6D, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0}, // 6x6D, empty
		{0x6B, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0}, // 6x6B, empty
		{0x71, 0x01, 0x00, 0x00},
		{0x72, 0x01, 0x00, 0x00},
	}
	a.send(0x6D, 1, sync[0])
	a.send(0x6D, 1, sync[1])
	a.send(0x62, 1, sync[2])
	a.send(0x60, 0, sync[3])
	b.quiet("Bob, before answering his ping")
	c.selectGame()
	if got := messageText(t, c.until(0x01)); got != "Another player is\njoining this game.\nTry again in a moment." {
		t.Errorf("Carol's refusal while Bob loads: %q", got)
	}

	b.sendMsg(&wire.Empty{Cmd: 0x1D})
	for i, want := range []uint16{0x6D, 0x6D, 0x62, 0x60} {
		r := b.expect(want)
		if !bytes.Equal(r.Payload, sync[i]) {
			t.Errorf("held command %d: %X, want %X", i, r.Payload, sync[i])
		}
	}
	b.sendMsg(&wire.Empty{Cmd: 0x6F})
	b.until(0xB1)
	c.selectGame()
	c.joinGame()
}

func messageText(t *testing.T, r wire.Command) string {
	var m wire.TextMessage
	if err := wire.DecodeInto(wire.GCV3, r.Header, r.Payload, &m); err != nil {
		t.Fatal(err)
	}
	return m.String(wire.GCV3, text.English)
}

// A subcommand about another player (here a position update with the
// other's client ID) is dropped and logged, and the sender stays.
func TestSpoofedSubcommandIsDropped(t *testing.T) {
	logs := &recordedLogs{}
	o := servertest.Options()
	o.Logger = slog.New(logs)
	failOnPanic(t, &o)
	srv := servertest.Start(t, o)
	a, b := twoInAGame(t, srv)

	spoof := []byte{0x3E, 0x06, 0x00, 0x00, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	b.send(0x60, 0, spoof) // Bob (slot 1) claims to be slot 0
	ok := append([]byte(nil), spoof...)
	ok[2] = 1
	b.send(0x60, 0, ok)
	if r := a.expect(0x60); !bytes.Equal(r.Payload, ok) {
		t.Errorf("Alice got %X, want only Bob's own update %X", r.Payload, ok)
	}
	if !logs.has("dropped subcommand", "carries another player's client ID") {
		t.Error("the spoofed subcommand was not logged")
	}
}

// recordedLogs keeps log records' messages and reasons.
type recordedLogs struct {
	mu    sync.Mutex
	lines []string
}

func (l *recordedLogs) Enabled(context.Context, slog.Level) bool { return true }
func (l *recordedLogs) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *recordedLogs) WithGroup(string) slog.Handler            { return l }
func (l *recordedLogs) Handle(_ context.Context, r slog.Record) error {
	line := r.Message
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "reason" {
			line += ": " + a.Value.String()
		}
		return true
	})
	l.mu.Lock()
	l.lines = append(l.lines, line)
	l.mu.Unlock()
	return nil
}

func (l *recordedLogs) has(msg, reason string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range l.lines {
		if line == msg+": "+reason {
			return true
		}
	}
	return false
}

// Episode III's C9 carries at most 0x400 bytes: a longer one ends the
// sender's session, after the shorter ones reached the others.
func TestOversizedC9IsRefused(t *testing.T) {
	o := servertest.Options()
	failOnPanic(t, &o)
	srv := servertest.Start(t, o)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	a := gameBot(ctx, t, srv, wire.GCEp3, "Ace")
	b := gameBot(ctx, t, srv, wire.GCEp3, "Bea")
	if _, err := a.Expect(ctx, 0x68); err != nil {
		t.Fatal(err)
	}
	sub := func(n int) []byte { // 6xBE (Episode III chat), extended form, n bytes
		s := make([]byte, n)
		s[0], s[4], s[5] = 0xBE, byte(n), byte(n>>8)
		return s
	}
	a.SendGameCommand(0xC9, 0, sub(0x400))
	if r, err := b.Expect(ctx, 0xC9); err != nil || len(r.Payload) != 0x400 {
		t.Fatalf("Bea: %v, %d bytes", err, len(r.Payload))
	}
	a.SendGameCommand(0xC9, 0, sub(0x404))
	if _, err := a.Expect(ctx, 0xFFFF); !errors.As(err, new(*client.ClosedError)) {
		t.Errorf("Ace after an oversized C9: %v, want the connection closed", err)
	}
	if _, err := b.Expect(ctx, 0x69); err != nil {
		t.Errorf("Bea never saw Ace leave: %v", err)
	}
}

// Chat works in games: the speaker's line reaches both players.
func TestChatInGame(t *testing.T) {
	o := servertest.Options()
	failOnPanic(t, &o)
	srv := servertest.Start(t, o)
	a, b := twoInAGame(t, srv)
	b.sendMsg(wire.NewTextMessage(0x06, wire.GCV3, 0, "hi", text.English))
	for _, c := range []*testClient{a, b} {
		if got := messageText(t, c.until(0x06)); !strings.HasPrefix(got, "Bob\t") || !strings.HasSuffix(got, "hi") {
			t.Errorf("chat in the game: %q", got)
		}
	}
}

// The game list's item info (09) names who plays a game.
func TestGameInfo(t *testing.T) {
	o := servertest.Options()
	failOnPanic(t, &o)
	srv := servertest.Start(t, o)
	a, _ := loginGC(t, srv.Addr(9103), gcLicence(1), "Alice")
	a.toLobby()
	a.createGame("Test")
	b, _ := loginGC(t, srv.Addr(9103), gcLicence(2), "Bob")
	b.toLobby()
	b.sendMsg(&wire.MenuItemRef{Cmd: 0x09, MenuID: 0x44000044, ItemID: 1})
	if got := messageText(t, b.until(0x11)); got != "Alice Lv.1\nNormal, Episode 1" {
		t.Errorf("game info: %q", got)
	}
}
