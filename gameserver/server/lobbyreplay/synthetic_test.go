package lobbyreplay

import (
	"context"
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
	}}
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
