package client

import (
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// joinLobby builds a 67 (or 68) listing players by name; the client's own
// entry is the first.
func joinLobby(v wire.Version, cmd uint16, clientID uint8, names ...string) *wire.JoinLobby {
	m := &wire.JoinLobby{Cmd: cmd, ClientID: clientID, LobbyNumber: 2, BlockNumber: 1}
	for i, name := range names {
		p := NewPlayer(name, uint8(i), uint8(i), text.English)
		p.GuildCard = uint32(100 + i)
		m.Entries = append(m.Entries, p.LobbyEntry(v, uint32(clientID)+uint32(i), [4]byte{10, 0, 0, 1}))
	}
	return m
}

func TestLobbyJoinAnswersPingsAndTracksTheRoster(t *testing.T) {
	p := newPeer(t, wire.GCV3)
	checked := make(chan struct{})
	p.play(func() {
		p.loginGC(55)
		sel := p.expect(0x10)
		m, err := wire.Decode(wire.GCV3, wire.ClientToServer, sel.Header, sel.Payload)
		if err != nil || m.(*wire.MenuSelection).ItemID != 1 {
			t.Errorf("menu selection %v (%v), want item 1", m, err)
		}
		p.send(0x1D, 0, nil)
		p.expect(0x1D)
		p.sendMsg(joinLobby(wire.GCV3, 0x67, 0, "psobot", "Alice"))
		<-checked
		p.sendMsg(joinLobby(wire.GCV3, 0x68, 2, "Bob"))
		p.sendMsg(&wire.LeaveLobby{Cmd: 0x69, Flag: 1, ClientID: 1, LeaderID: 2})
	})
	ctx := testContext(t)
	c, err := dialTest(t, ctx, p, Config{Version: wire.GCV3})
	if err != nil {
		t.Fatal(err)
	}
	l, err := c.Lobby(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := &Lobby{Number: 2, Block: 1, Players: []LobbyPlayer{
		{ClientID: 0, GuildCard: 100, Name: "psobot"},
		{ClientID: 1, GuildCard: 101, Name: "Alice", Class: 1, SectionID: 1},
	}}
	if diff := cmp.Diff(want, l); diff != "" {
		t.Errorf("lobby (-want +got):\n%s", diff)
	}
	close(checked)
	if _, err := c.Expect(ctx, 0x69); err != nil {
		t.Fatal(err)
	}
	got := c.CurrentLobby()
	if len(got.Players) != 2 || got.Players[1].Name != "Bob" || got.LeaderID != 2 {
		t.Errorf("after 68 and 69: %+v", got)
	}
}

// Manual mode sets up the ciphers and nothing else: what is sent is up to
// the caller, and everything received is queued in order.
func TestManualModeOnlyConnects(t *testing.T) {
	p := newPeer(t, wire.GCV3)
	got := make(chan wire.Command, 1)
	p.play(func() {
		p.accept(0x17)
		got <- p.expect(0xDB)
		p.send(0x9A, wire.LicenseOKSave, nil)
		p.send(0x1D, 0, nil)
	})
	ctx := testContext(t)
	c, err := dialTest(t, ctx, p, Config{Version: wire.GCV3, Manual: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SendRaw(0xDB, 0, make([]byte, 0xDC)); err != nil {
		t.Fatal(err)
	}
	if cmd := <-got; cmd.Header.Size != 0xE0 {
		t.Errorf("peer got DB of size %X", cmd.Header.Size)
	}
	var cmds []uint16
	for range 3 {
		r, err := c.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, r.Header.Command)
	}
	if diff := cmp.Diff([]uint16{0x17, 0x9A, 0x1D}, cmds); diff != "" {
		t.Errorf("received (-want +got):\n%s", diff)
	}
	p.conn.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	if cmd, err := p.fr.ReadCommand(); err == nil {
		t.Errorf("manual client answered by itself with %02X", cmd.Header.Command)
	}
}

func TestUnreadCommandsEndTheSession(t *testing.T) {
	p := newPeer(t, wire.GCV3)
	p.play(func() {
		p.accept(0x17)
		for range 10 {
			p.fr.WriteCommand(0xB0, 0, make([]byte, 8)) // the client hangs up partway
		}
	})
	ctx := testContext(t)
	c, err := dialTest(t, ctx, p, Config{Version: wire.GCV3, Manual: true, InboxLimit: 4})
	if err != nil {
		t.Fatal(err)
	}
	c.waitFor(ctx, func(*sharedState) bool { return false }) // returns when the session fails
	var n int
	for {
		if _, err = c.Next(ctx); err != nil {
			break
		}
		n++
	}
	if !errors.Is(err, ErrInboxFull) || n != 4 {
		t.Errorf("read %d commands, then %v; want 4 and ErrInboxFull", n, err)
	}
}

func TestCloseEndsEverything(t *testing.T) {
	p := newPeer(t, wire.GCV3)
	p.play(func() { p.accept(0x17) })
	ctx := testContext(t)
	c, err := dialTest(t, ctx, p, Config{Version: wire.GCV3, Manual: true})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	c.Close()
	if _, err := c.Expect(ctx, 0x67); !errors.Is(err, ErrClosed) {
		t.Errorf("Expect after Close: %v", err)
	}
	if err := c.SendRaw(0x1D, 0, nil); !errors.Is(err, ErrClosed) {
		t.Errorf("SendRaw after Close: %v", err)
	}
}

func TestChooseLobbyItem(t *testing.T) {
	newserv := mainMenu(wire.GCV3, "Information", "Enter", "Disconnect")
	newserv.Items[2].ItemID = newservGoToLobby
	ships := mainMenu(wire.GCV3, "Ship 1", "Ship 2")
	ships.Cmd = 0xA0
	tests := []struct {
		name string
		v    wire.Version
		menu *wire.Menu
		want uint32 // item ID; 0: no choice
	}{
		{"newserv item ID", wire.GCV3, newserv, newservGoToLobby},
		{"by text", wire.GCV3, mainMenu(wire.GCV3, "Info", "LOBBY", "Bye"), 2},
		{"by text on PC", wire.PCV2, mainMenu(wire.PCV2, "Info", "Go to lobby"), 2},
		{"first ship", wire.GCV3, ships, 1},
		{"nothing fits", wire.GCV3, mainMenu(wire.GCV3, "Info", "Quests"), 0},
		{"empty menu", wire.GCV3, &wire.Menu{Cmd: 0x07}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			item, _, err := chooseLobbyItem(tc.v, text.English, tc.menu)
			if tc.want == 0 {
				if err == nil {
					t.Errorf("chose %v, want an error", item)
				}
				return
			}
			if err != nil || item.ItemID != tc.want {
				t.Errorf("chose item %X (%v), want %X", item.ItemID, err, tc.want)
			}
		})
	}
}

func TestOneLine(t *testing.T) {
	for in, want := range map[string]string{
		"\tEHello":                "Hello",
		"\tC6Red\tC7 and white\n": "Red and white",
		"a\nb":                    "a / b",
		"\x01bell":                "bell",
	} {
		if got := oneLine(in); got != want {
			t.Errorf("oneLine(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLogSteps(t *testing.T) {
	var buf strings.Builder
	trace := LogSteps(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	trace(Step{Kind: StepInfo, Phase: PhaseConnect, Text: "connected to 127.0.0.1:9103"})
	trace(Step{Kind: StepSent, Phase: PhaseLicence, Text: "sent DB (verify account)"})
	for _, want := range []string{`level=INFO msg="connected to 127.0.0.1:9103" phase=connect`,
		`level=DEBUG msg="sent DB (verify account)" phase="licence check"`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, buf.String())
		}
	}
}

// A server that keeps answering the menu choice with a message and the menu
// again does not keep psobot looping; the error quotes the server.
func TestLobbyGivesUpOnARefusingServer(t *testing.T) {
	p := newPeer(t, wire.GCV3)
	p.play(func() {
		p.loginGC(1)
		for range maxMenuHops {
			p.expect(0x10)
			p.sendMsg(wire.NewTextMessage(0x01, wire.GCV3, 0, "All lobbies are full.", text.English))
			p.sendMsg(mainMenu(wire.GCV3, "Go to lobby"))
		}
	})
	ctx := testContext(t)
	c, err := dialTest(t, ctx, p, Config{Version: wire.GCV3})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Lobby(ctx)
	if err == nil || !strings.Contains(err.Error(), `server said "All lobbies are full."`) {
		t.Errorf("Lobby error = %v", err)
	}
}
