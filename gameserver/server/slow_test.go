package server_test

import (
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/wire"
)

// dialSmallBuffer connects with a tiny receive buffer, so that a client
// that stops reading backs up into the server quickly.
func dialSmallBuffer(t *testing.T, addr string) *testClient {
	d := net.Dialer{Timeout: ioTimeout, Control: func(_, _ string, rc syscall.RawConn) error {
		return rc.Control(func(fd uintptr) {
			syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
		})
	}}
	conn, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return &testClient{t: t, conn: conn, f: wire.NewFramer(conn, conn, wire.GCV3), v: wire.GCV3}
}

// A player who stops reading must not hold the lobby up: once their queue
// is full they are dropped, and the others carry on.
func TestSlowClientIsDropped(t *testing.T) {
	o := servertest.Options()
	o.SendQueueBytes = 64 << 10
	failOnPanic(t, &o)
	srv := servertest.Start(t, o)
	addr := srv.Addr(9103)

	slow := dialSmallBuffer(t, addr)
	loginOn(t, slow, gcLicence(1), "Slow")
	joinSlow := slow.toLobby()
	fast, gcFast := loginGC(t, addr, gcLicence(2), "Fast")
	joinFast := fast.toLobby()

	// 6x3E-style movement, padded to the 0x400 a 60 may carry.
	sub := make([]byte, 0x400)
	sub[0], sub[1] = 0x3E, 0 // extended form: size in the next word
	sub[2] = joinFast.ClientID
	sub[4], sub[5] = 0x00, 0x04
	dropped := false
	deadline := time.Now().Add(10 * time.Second)
	for i := 0; !dropped && time.Now().Before(deadline); i++ {
		fast.send(0x60, 0, sub)
		if i%64 == 63 {
			dropped = sawLeave(fast, joinSlow.ClientID)
		}
	}
	if !dropped {
		t.Fatal("the client that stopped reading was never dropped")
	}
	chatRoundTrip(t, fast, gcFast, "still here")
	waitFor(t, "the slow client's session to end", func() bool { return srv.Clients() == 1 })
}

// sawLeave drains what the fast client was sent and reports a 69 for slot.
func sawLeave(c *testClient, slot uint8) bool {
	for {
		c.conn.SetReadDeadline(time.Now().Add(10 * time.Millisecond))
		cmd, err := c.f.ReadCommand()
		if err != nil {
			return false
		}
		if cmd.Header.Command == 0x69 && cmd.Header.Flag == uint32(slot) {
			return true
		}
	}
}
