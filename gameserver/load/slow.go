package load

import (
	"context"
	"net"
	"sync/atomic"
	"syscall"
	"time"
)

// Slow bots stop reading when the measurement starts, as a console whose
// link stalls: what the server sends them backs up, and the server must
// drop them rather than let their lobby wait. They dial with a small
// receive buffer so the backlog reaches the server's queue sooner, stay
// in the lobby, and read again when the measurement ends; a bot whose
// session is then over was dropped.

// slowBufferBytes is a slow bot's socket receive buffer.
const slowBufferBytes = 4096

// stallConn is a connection whose reads can be held.
type stallConn struct {
	net.Conn
	stalled atomic.Bool
	resume  chan struct{} // closed when reads may go on
}

func (c *stallConn) Read(b []byte) (int, error) {
	if c.stalled.Load() {
		<-c.resume
	}
	return c.Conn.Read(b)
}

// slowDial dials like d with a small receive buffer and keeps the
// connection so the bot can stall it.
func (b *bot) slowDial(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	d.Control = func(_, _ string, rc syscall.RawConn) error {
		return rc.Control(func(fd uintptr) {
			syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, slowBufferBytes)
		})
	}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		b.stall = &stallConn{Conn: conn, resume: make(chan struct{})}
		return b.stall, nil
	}
}

// slowPhase stalls the bot's reads from the start of the measurement until
// stop, then reads again and reports whether the server had dropped it.
func (b *bot) slowPhase(ctx context.Context, windowOpen, stop <-chan struct{}) {
	select {
	case <-windowOpen:
	case <-ctx.Done():
		return
	}
	b.stall.stalled.Store(true)
	select {
	case <-stop:
	case <-ctx.Done():
	}
	b.stall.stalled.Store(false)
	close(b.stall.resume)
	select {
	case <-b.drained: // the session ended: the server had closed it
		b.r.st.slowDropped.Add(1)
	case <-time.After(time.Second):
	}
}
