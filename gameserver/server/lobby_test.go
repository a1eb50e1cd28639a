package server_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/gameserver/server"
	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

func failOnPanic(t testing.TB, o *server.Options) {
	o.OnPanic = func(v any) { t.Errorf("server panicked: %v", v) }
}

func TestTwoGameCubesMeetInALobby(t *testing.T) {
	o := servertest.Options()
	failOnPanic(t, &o)
	srv := servertest.Start(t, o)
	addr := srv.Addr(9103)

	a, gcA := loginGC(t, addr, gcLicence(1), "Alice")
	joinA := a.toLobby()
	b, gcB := loginGC(t, addr, gcLicence(2), "Bob")
	joinB := b.toLobby()
	if gcA == gcB || gcA == 0 {
		t.Errorf("guild card numbers %d and %d", gcA, gcB)
	}
	if len(joinA.Entries) != 1 || joinA.Entries[0].Lobby.GuildCard != gcA {
		t.Errorf("Alice's 67 lists %+v", joinA.Entries)
	}
	var names []string
	for _, e := range joinB.Entries {
		names = append(names, e.Lobby.NameString(wire.GCV3, text.English))
	}
	if diff := cmp.Diff([]string{"Alice", "Bob"}, names); diff != "" {
		t.Errorf("Bob's 67 roster (-want +got):\n%s", diff)
	}
	// Alice hears of Bob: his records, then the 68 with his entry.
	a.expect(0xC5)
	r := a.expect(0x68)
	var j wire.JoinLobby
	if err := wire.DecodeInto(wire.GCV3, r.Header, r.Payload, &j); err != nil {
		t.Fatal(err)
	}
	if len(j.Entries) != 1 || j.Entries[0].Lobby.GuildCard != gcB || j.ClientID != joinA.ClientID {
		t.Errorf("68 to Alice: %+v", j)
	}
	// Bob chats; both see it.
	b.sendMsg(wire.NewTextMessage(0x06, wire.GCV3, 0, "hello", text.English))
	for _, c := range []*testClient{a, b} {
		r := c.expect(0x06)
		var m wire.TextMessage
		wire.DecodeInto(wire.GCV3, r.Header, r.Payload, &m)
		// As the reference server sends it: name, tab, language marker, text.
		if got := m.String(wire.GCV3, text.English); got != "Bob\t\tEhello" || m.GuildCard != gcB {
			t.Errorf("chat received %q from %d", got, m.GuildCard)
		}
	}
	// Bob leaves; Alice gets 69 for his slot.
	b.conn.Close()
	r = a.expect(0x69)
	if r.Header.Flag != uint32(joinB.ClientID) {
		t.Errorf("69 flag %d, want Bob's slot %d", r.Header.Flag, joinB.ClientID)
	}
}

func TestRelayInLobby(t *testing.T) {
	o := servertest.Options()
	failOnPanic(t, &o)
	srv := servertest.Start(t, o)
	addr := srv.Addr(9103)
	a, _ := loginGC(t, addr, gcLicence(1), "Alice")
	joinA := a.toLobby()
	b, _ := loginGC(t, addr, gcLicence(2), "Bob")
	joinB := b.toLobby()
	a.expect(0xC5)
	a.expect(0x68)

	// 6x23 "I am visible" from Bob: Alice gets the 60, both get arrows.
	visible := []byte{0x23, 0x01, joinB.ClientID, 0x00}
	b.send(0x60, 0, visible)
	if r := a.expect(0x60); string(r.Payload) != string(visible) {
		t.Errorf("relayed %X, want %X", r.Payload, visible)
	}
	a.expect(0x88)
	b.expect(0x88)
	// 62 goes to the target only.
	b.send(0x62, uint32(joinA.ClientID), []byte{0x22, 0x01, joinB.ClientID, 0x00}) // 6x22 about Bob himself
	if r := a.expect(0x62); r.Header.Flag != uint32(joinA.ClientID) {
		t.Errorf("62 flag %d", r.Header.Flag)
	}
	// A broken subcommand frame drops the sender only.
	b.send(0x60, 0, []byte{0x23, 0x05, 0, 0})
	b.expectClosed()
	a.expect(0x69)
}
