package lobbyreplay

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// A session made by hand exercises what the recordings lack: searches,
// mail and info boards, with the recorded guild card numbers and client
// IDs translated to the bots'.
func TestSyntheticLobbySession(t *testing.T) {
	enc := func(p int, v wire.Version, m wire.Msg) Command {
		h, payload, err := wire.Encode(v, m)
		if err != nil {
			t.Fatal(err)
		}
		return Command{Player: p, Header: h, Payload: payload, Slot: uint8(p), Targets: map[uint8]int{0: 0, 1: 1}}
	}
	mail := &wire.SimpleMail{FromCard: 1111, ToCard: 2222}
	mail.SetText(wire.GCV3, "see you", text.English)
	relay := enc(0, wire.GCV3, &wire.GameCommand{Cmd: 0x62, Flag: 1, Data: []byte{0x22, 0x01, 0x00, 0x00}})
	relay.Deliveries = []Delivery{{Player: 1, Verbatim: true}}
	s := &Session{File: "synthetic", Players: []Player{
		{Name: "C-1", Version: wire.GCV3, Port: 9103, GuildCard: 1111},
		{Name: "C-2", Version: wire.PCV2, Port: 9300, GuildCard: 2222},
	}, Commands: []Command{
		enc(0, wire.GCV3, wire.NewTextMessage(0x06, wire.GCV3, 0, "\tEhello", text.English)),
		enc(1, wire.PCV2, &wire.GuildCardSearch{SearcherCard: 2222, TargetGuildCard: 1111}),
		enc(0, wire.GCV3, mail),
		enc(1, wire.PCV2, &wire.Empty{Cmd: 0xD8}),
		enc(0, wire.GCV3, wire.NewTextMessage(0x06, wire.GCV3, 0, "\tE$who", text.English)),
		relay,
		enc(0, wire.GCV3, &wire.MenuItemRef{Cmd: 0x84, MenuID: 0x33000033, ItemID: 2}),
		enc(1, wire.PCV2, &wire.GuildCardSearch{SearcherCard: 2222, TargetGuildCard: 1111}),
	}, Moves: []Move{{Line: -1, Player: 0, Enter: true}, {Line: -1, Player: 1, Enter: true}}}
	o := servertest.Options()
	o.OnPanic = func(v any) { t.Errorf("server panicked: %v", v) }
	srv := servertest.Start(t, o)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r := New(t, srv, s)
	r.Run(ctx)
	if r.Sent != 8 || r.Checked != 9 || len(r.Skipped) != 0 {
		t.Errorf("sent %d, checked %d deliveries, skipped %v; want 8, 9, none", r.Sent, r.Checked, r.Skipped)
	}
}

// errorsTB records what a replay reports instead of failing the test.
type errorsTB struct {
	testing.TB
	errs []string
}

func (e *errorsTB) Errorf(format string, args ...any) {
	e.errs = append(e.errs, fmt.Sprintf(format, args...))
}

// The replay fails when the server routes a relayed command elsewhere than
// the log shows, both ways: a delivery the recorded server did not make,
// and one it made that the server under test drops.
func TestReplayCatchesMisrouting(t *testing.T) {
	position := append([]byte{0x3F, 0x06, 0x00, 0x00}, make([]byte, 20)...)
	gameOnly := append([]byte{0x0D, 0x03, 0x00, 0x00}, make([]byte, 8)...)
	for _, tc := range []struct {
		name       string
		sub        []byte
		deliveries []Delivery
		want       string
	}{
		{"extra delivery", position, nil, "unexpected 60"},
		{"missing delivery", gameOnly, []Delivery{{Player: 1, Verbatim: true}}, "waited for 60"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, payload, err := wire.Encode(wire.GCV3, &wire.GameCommand{Cmd: 0x60, Data: tc.sub})
			if err != nil {
				t.Fatal(err)
			}
			s := &Session{File: tc.name, Players: []Player{
				{Name: "C-1", Version: wire.GCV3, Port: 9103}, {Name: "C-2", Version: wire.GCV3, Port: 9103},
			}, Commands: []Command{{Player: 0, Line: 1, Header: h, Payload: payload, Deliveries: tc.deliveries}},
				Moves: []Move{{Player: 0, Enter: true}, {Player: 1, Enter: true}}}
			srv := servertest.Start(t, servertest.Options())
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			tb := &errorsTB{TB: t}
			r := New(tb, srv, s)
			r.Wait = 300 * time.Millisecond
			r.Run(ctx)
			if len(tb.errs) != 1 || !strings.Contains(tb.errs[0], tc.want) {
				t.Errorf("replay reported %q, want one error about %q", tb.errs, tc.want)
			}
		})
	}
}
