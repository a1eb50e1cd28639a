package app

import (
	"errors"
	"net"
	"os"
	"testing"
	"time"
)

func TestIdlePacketConnEndsReadsOnDeadlineAndClose(t *testing.T) {
	addr := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 53}
	c := newIdlePacketConn(addr)
	if c.LocalAddr() != addr {
		t.Errorf("LocalAddr = %v, want the real socket's %v", c.LocalAddr(), addr)
	}
	errc := make(chan error, 1)
	go func() { _, _, err := c.ReadFrom(make([]byte, 1)); errc <- err }()
	// A read waiting without a deadline ends when one in the past is set,
	// the way miekg/dns stops its read loop.
	if err := c.SetReadDeadline(time.Unix(1, 0)); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("read after the deadline moved into the past = %v", err)
	}
	if err := c.SetReadDeadline(time.Time{}); err != nil {
		t.Fatal(err)
	}
	go func() { _, _, err := c.ReadFrom(make([]byte, 1)); errc <- err }()
	c.Close()
	c.Close() // twice is fine
	if err := <-errc; !errors.Is(err, net.ErrClosed) {
		t.Errorf("read after Close = %v, want net.ErrClosed", err)
	}
	if _, err := c.WriteTo([]byte("x"), addr); err == nil {
		t.Error("a standby socket sent something")
	}
}

func TestIdleListenerAcceptsNothing(t *testing.T) {
	addr := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 53}
	l := newIdleListener(addr)
	errc := make(chan error, 1)
	go func() { _, err := l.Accept(); errc <- err }()
	l.Close()
	if err := <-errc; !errors.Is(err, net.ErrClosed) || l.Addr() != addr {
		t.Errorf("Accept after Close = %v, Addr = %v", err, l.Addr())
	}
}
