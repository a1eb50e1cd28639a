package server_test

import (
	"sync/atomic"
	"testing"

	"github.com/psobox/psobox/gameserver/server"
	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/wire"
)

func TestPanicDropsOnlyThatClient(t *testing.T) {
	var panics atomic.Int32
	o := servertest.Options()
	o.OnPanic = func(any) { panics.Add(1) }
	srv := servertest.Start(t, o)
	server.PanicOnCommand(srv.Server, 0x89) // lobby arrow

	alice, gcA := loginGC(t, srv.Addr(9103), gcLicence(1), "Alice")
	alice.toLobby()
	bob, _ := loginGC(t, srv.Addr(9103), gcLicence(2), "Bob")
	bob.toLobby()
	alice.expect(0xC5)
	alice.expect(0x68)

	bob.sendMsg(&wire.Empty{Cmd: 0x89, Flag: 2})
	bob.expectClosed()
	alice.expect(0x69)
	if n := panics.Load(); n != 1 {
		t.Errorf("OnPanic called %d times, want 1", n)
	}
	chatRoundTrip(t, alice, gcA, "still here")
	carol, _ := loginGC(t, srv.Addr(9103), gcLicence(3), "Carol")
	carol.toLobby()
}
