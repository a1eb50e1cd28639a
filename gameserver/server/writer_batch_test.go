package server

import (
	"net"
	"net/netip"
	"sync"
	"testing"

	"github.com/psobox/psobox/gameserver/wire"
)

// countingConn counts the Write calls on a connection: each is one write
// syscall on a TCP socket.
type countingConn struct {
	net.Conn
	mu     sync.Mutex
	writes int
	bytes  int
}

func (c *countingConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	c.writes++
	c.bytes += len(b)
	c.mu.Unlock()
	return c.Conn.Write(b)
}

// Commands queued while the writer is busy go out in one Write: a lobby's
// fan-out to a client costs one syscall per batch, not one per command.
func TestWriterSendsABatchInOneWrite(t *testing.T) {
	s, err := New(Options{StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	server, peer := net.Pipe()
	defer peer.Close()
	conn := &countingConn{Conn: server}
	c := s.newClient(conn, Port{Number: 9103, Kind: PortConsole}, netip.MustParseAddrPort("127.0.0.1:1"))
	defer c.pingTimer.Stop()
	if _, err := c.out.setVersion(wire.GCV3, nil, nil); err != nil {
		t.Fatal(err)
	}
	const commands = 50
	sub := make([]byte, 0x14)
	for range commands {
		if err := c.SendRaw(0x60, 0, sub); err != nil {
			t.Fatal(err)
		}
	}
	c.out.close()
	received := make(chan int)
	go func() {
		n, buf := 0, make([]byte, 4096)
		for {
			k, err := peer.Read(buf)
			n += k
			if err != nil {
				received <- n
				return
			}
		}
	}()
	c.writeLoop()
	server.Close()
	want := commands * (4 + len(sub))
	if got := <-received; got != want || conn.writes != 1 {
		t.Errorf("%d commands of %d bytes: %d Write calls carrying %d bytes; want 1 call of %d", commands, 4+len(sub), conn.writes, got, want)
	}
}
