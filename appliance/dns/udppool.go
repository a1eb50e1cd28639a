package dns

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"sync"
	"time"

	miekg "github.com/miekg/dns"
)

const (
	// udpPoolSize is how many idle sockets are kept per upstream. More are
	// opened under load and closed when they are not needed any more.
	udpPoolSize = 16
	// upstreamBufSize is the largest UDP answer read from an upstream. We
	// advertise ednsSize, so only a misbehaving upstream sends more.
	upstreamBufSize = 4096
	// fallbackTimeout bounds an exchange whose context has no deadline.
	fallbackTimeout = 2 * time.Second
)

// udpConn is a connected UDP socket to one upstream with its read buffer.
// One query uses it at a time.
type udpConn struct {
	net.Conn
	buf []byte
}

// udpPool reuses connected sockets to one upstream, which saves a socket, a
// bind and a connect per forwarded query.
type udpPool struct {
	server netip.AddrPort
	dial   DialFunc

	mu     sync.Mutex
	idle   []*udpConn
	closed bool
}

// exchange sends q over a pooled socket and waits for its answer. A socket
// that failed or timed out is closed rather than reused, so that a late
// answer can never be read by the next query.
func (p *udpPool) exchange(ctx context.Context, q *miekg.Msg) (*miekg.Msg, error) {
	c, err := p.get(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := exchangeUDP(ctx, c, q)
	if err != nil {
		_ = c.Close()
		return nil, err
	}
	p.put(c)
	return resp, nil
}

func (p *udpPool) get(ctx context.Context) (*udpConn, error) {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return c, nil
	}
	p.mu.Unlock()
	c, err := p.dial(ctx, "udp", p.server.String())
	if err != nil {
		return nil, fmt.Errorf("dial udp: %w", err)
	}
	return &udpConn{Conn: c, buf: make([]byte, upstreamBufSize)}, nil
}

func (p *udpPool) put(c *udpConn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || len(p.idle) >= udpPoolSize {
		_ = c.Close()
		return
	}
	p.idle = append(p.idle, c)
}

func (p *udpPool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	for _, c := range p.idle {
		_ = c.Close()
	}
	p.idle = nil
}

// exchangeUDP sends q with a fresh random ID and reads until its answer
// arrives or the deadline passes. Datagrams that are not the answer (garbage,
// spoofing attempts) are skipped, not trusted.
func exchangeUDP(ctx context.Context, c *udpConn, q *miekg.Msg) (*miekg.Msg, error) {
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(fallbackTimeout)
	}
	if err := c.SetDeadline(deadline); err != nil {
		return nil, err
	}
	q.Id = uint16(rand.Uint32())
	packed, err := q.Pack()
	if err != nil {
		return nil, fmt.Errorf("pack query: %w", err)
	}
	if _, err := c.Write(packed); err != nil {
		return nil, fmt.Errorf("write udp: %w", err)
	}
	for {
		resp, err := readAnswer(c, q)
		if resp != nil || err != nil {
			return resp, err
		}
	}
}

// readAnswer reads one datagram: the answer to q, a network error, or
// (nil, nil) for a datagram to skip.
func readAnswer(c *udpConn, q *miekg.Msg) (*miekg.Msg, error) {
	n, err := c.Read(c.buf)
	if err != nil {
		return nil, fmt.Errorf("read udp: %w", err)
	}
	resp := new(miekg.Msg)
	if resp.Unpack(c.buf[:n]) != nil || !answers(resp, q) {
		return nil, nil
	}
	return resp, nil
}
