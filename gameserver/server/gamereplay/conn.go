package gamereplay

import (
	"context"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/psobox/psobox/gameserver/crypt"
	"github.com/psobox/psobox/gameserver/wire"
)

// conn is the replayed connection of one logged client: it sends what the
// client sent, with the real ciphers, and reads everything the server
// sends: relayed commands go to the matcher, the rest to its inbox.
type conn struct {
	idx     int
	client  logClient
	nc      net.Conn
	f       *wire.Framer
	onRelay func(to int, h wire.Header, payload []byte)

	mu       sync.Mutex
	inbox    []received
	notify   chan struct{}
	closed   error // why reading stopped
	closedAt time.Time
	quitting bool // the client said goodbye (05) or the log shows it leaving
	done     chan struct{}
}

// received is one command of the inbox.
type received struct {
	header   wire.Header
	payload  []byte
	consumed bool
}

// portVersion is the header layout of a port's first command.
func portVersion(port int) wire.Version {
	switch port {
	case 9100, 9300:
		return wire.PCV2
	case 9500:
		return wire.XBV3
	}
	return wire.GCV3
}

// dialConn connects, reads the plaintext server init and installs the
// ciphers of the client's version (not on the 9100 split, which only
// redirects).
func dialConn(ctx context.Context, addr string, idx int, lc logClient, onRelay func(int, wire.Header, []byte)) (*conn, error) {
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	c := &conn{idx: idx, client: lc, nc: nc, f: wire.NewFramer(nc, nc, portVersion(lc.port)),
		onRelay: onRelay, notify: make(chan struct{}), done: make(chan struct{})}
	if !lc.split {
		if err := c.start(); err != nil {
			nc.Close()
			return nil, fmt.Errorf("%s: server init: %w", lc.name, err)
		}
	}
	go c.read()
	return c, nil
}

func (c *conn) start() error {
	c.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	cmd, err := c.f.ReadCommand()
	if err != nil {
		return err
	}
	c.nc.SetReadDeadline(time.Time{})
	var init wire.ServerInit
	if err := wire.DecodeInto(portVersion(c.client.port), cmd.Header, cmd.Payload, &init); err != nil {
		return err
	}
	v := c.client.version
	in, err := crypt.NewStream(v.Cipher(), init.ServerKey)
	if err != nil {
		return err
	}
	out, _ := crypt.NewStream(v.Cipher(), init.ClientKey)
	c.f.SetVersion(v)
	c.f.SetCiphers(in, out)
	return nil
}

// read runs until the connection ends.
func (c *conn) read() {
	defer close(c.done)
	for {
		cmd, err := c.f.ReadCommand()
		if err != nil {
			c.mu.Lock()
			c.closed, c.closedAt = err, time.Now()
			c.wake()
			c.mu.Unlock()
			return
		}
		if isRelay(cmd.Header.Command) {
			c.onRelay(c.idx, cmd.Header, cmd.Payload)
			continue
		}
		c.mu.Lock()
		c.inbox = append(c.inbox, received{header: cmd.Header, payload: append([]byte(nil), cmd.Payload...)})
		c.wake()
		c.mu.Unlock()
	}
}

// wake tells waiters something changed; c.mu must be held.
func (c *conn) wake() {
	close(c.notify)
	c.notify = make(chan struct{})
}

func (c *conn) send(h wire.Header, payload []byte) error {
	c.nc.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.f.WriteCommand(h.Command, h.Flag, payload)
}

// await waits for the next command cmd in the inbox not consumed yet, and
// consumes it.
func (c *conn) await(ctx context.Context, cmd uint16) (received, error) {
	for {
		c.mu.Lock()
		for i := range c.inbox {
			if r := &c.inbox[i]; !r.consumed && r.header.Command == cmd {
				r.consumed = true
				c.mu.Unlock()
				return *r, nil
			}
		}
		ch, closed := c.notify, c.closed
		c.mu.Unlock()
		if closed != nil {
			return received{}, fmt.Errorf("connection closed: %w", closed)
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return received{}, ctx.Err()
		}
	}
}

// count is how many commands cmd the inbox holds.
func (c *conn) count(cmd uint16) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, r := range c.inbox {
		if r.header.Command == cmd {
			n++
		}
	}
	return n
}

// awaitCount waits until the inbox holds n commands cmd.
func (c *conn) awaitCount(ctx context.Context, cmd uint16, n int) error {
	for {
		ch := c.changed()
		if c.count(cmd) >= n {
			return nil
		}
		if err, _ := c.status(); err != nil {
			return err
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (c *conn) changed() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.notify
}

// lastGameList is the latest game list (08) the server sent.
func (c *conn) lastGameList() *wire.Menu {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := len(c.inbox) - 1; i >= 0; i-- {
		if r := c.inbox[i]; r.header.Command == 0x08 {
			var m wire.Menu
			if wire.DecodeInto(c.client.version, r.header, r.payload, &m) == nil {
				return &m
			}
		}
	}
	return nil
}

// status reports why the connection closed (nil while open) and whether
// that was expected.
func (c *conn) status() (error, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed, c.quitting || c.client.split
}

func (c *conn) expectClose() {
	c.mu.Lock()
	c.quitting = true
	c.mu.Unlock()
}

func (c *conn) close() {
	c.expectClose()
	c.nc.Close()
	<-c.done
}
