package app

import (
	"errors"
	"net"
	"os"
	"sync"
	"time"
)

// idlePacketConn and idleListener stand in for the DNS sockets of a
// reloaded DNS configuration (see liveDNS). They report the real sockets'
// addresses, so that the new settings know which resolvers are psobox
// itself, and never receive anything: queries keep arriving on the real
// sockets and are routed to the new settings' handler.
type idlePacketConn struct {
	addr      net.Addr
	closeOnce sync.Once
	closed    chan struct{}

	mu       sync.Mutex
	deadline time.Time
	moved    chan struct{} // closed when the deadline changes
}

func newIdlePacketConn(addr net.Addr) *idlePacketConn {
	return &idlePacketConn{addr: addr, closed: make(chan struct{}), moved: make(chan struct{})}
}

// ReadFrom waits for the read deadline or Close; nothing ever arrives. A
// deadline moved while it waits counts at once (miekg/dns stops its read
// loop by moving the deadline into the past).
func (c *idlePacketConn) ReadFrom([]byte) (int, net.Addr, error) {
	for {
		c.mu.Lock()
		d, moved := c.deadline, c.moved
		c.mu.Unlock()
		if err := c.wait(d, moved); err != nil {
			return 0, nil, err
		}
	}
}

// wait returns the error that ends a read, or nil when the deadline moved.
func (c *idlePacketConn) wait(deadline time.Time, moved <-chan struct{}) error {
	var expired <-chan time.Time
	if !deadline.IsZero() {
		t := time.NewTimer(time.Until(deadline))
		defer t.Stop()
		expired = t.C
	}
	select {
	case <-c.closed:
		return net.ErrClosed
	case <-expired:
		return os.ErrDeadlineExceeded
	case <-moved:
		return nil
	}
}

var errIdleWrite = errors.New("a standby DNS socket sends nothing")

func (c *idlePacketConn) WriteTo([]byte, net.Addr) (int, error) { return 0, errIdleWrite }
func (c *idlePacketConn) LocalAddr() net.Addr                   { return c.addr }
func (c *idlePacketConn) SetDeadline(t time.Time) error         { return c.SetReadDeadline(t) }
func (c *idlePacketConn) SetWriteDeadline(time.Time) error      { return nil }

func (c *idlePacketConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.deadline = t
	close(c.moved)
	c.moved = make(chan struct{})
	return nil
}

func (c *idlePacketConn) Close() error {
	c.closeOnce.Do(func() { close(c.closed) })
	return nil
}

// idleListener accepts nothing until it is closed.
type idleListener struct {
	addr      net.Addr
	closeOnce sync.Once
	closed    chan struct{}
}

func newIdleListener(addr net.Addr) *idleListener {
	return &idleListener{addr: addr, closed: make(chan struct{})}
}

func (l *idleListener) Accept() (net.Conn, error) {
	<-l.closed
	return nil, net.ErrClosed
}

func (l *idleListener) Addr() net.Addr { return l.addr }

func (l *idleListener) Close() error {
	l.closeOnce.Do(func() { close(l.closed) })
	return nil
}
