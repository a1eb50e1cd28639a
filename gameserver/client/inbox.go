package client

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/psobox/psobox/gameserver/wire"
)

// deliver queues r for Next, failing the session if nobody reads.
func (c *Client) deliver(r Received) error {
	if c.cfg.OnReceive != nil {
		c.traceMu.Lock()
		c.cfg.OnReceive(r)
		c.traceMu.Unlock()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.inbox) >= c.cfg.InboxLimit {
		return ErrInboxFull
	}
	c.inbox = append(c.inbox, r)
	c.broadcast()
	return nil
}

// Next returns the next command received from the server, in order. Once
// the session has ended and everything received was read, it returns the
// reason the session ended.
func (c *Client) Next(ctx context.Context) (Received, error) {
	return c.next(ctx, "the next command")
}

func (c *Client) next(ctx context.Context, waiting string) (Received, error) {
	for {
		c.mu.Lock()
		if len(c.inbox) > 0 {
			r := c.inbox[0]
			c.inbox[0] = Received{}
			c.inbox = c.inbox[1:]
			c.mu.Unlock()
			return r, nil
		}
		err, ch := c.err, c.notify
		c.mu.Unlock()
		if err != nil {
			return Received{}, err
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return Received{}, c.waitError(ctx.Err(), waiting)
		}
	}
}

// Expect returns the next received command that is one of cmds, skipping
// (and dropping) the others. A deadline on ctx bounds the wait; the error
// then says what was awaited and what came last.
func (c *Client) Expect(ctx context.Context, cmds ...uint16) (Received, error) {
	var labels []string
	for _, cmd := range cmds {
		labels = append(labels, cmdLabel(wire.ServerToClient, cmd))
	}
	waiting := strings.Join(labels, " or ")
	for {
		r, err := c.next(ctx, waiting)
		if err != nil {
			return r, err
		}
		if slices.Contains(cmds, r.Header.Command) {
			return r, nil
		}
	}
}

// Send sends one command to the server in the client's version layout.
func (c *Client) Send(m wire.Msg) error {
	h, payload, err := wire.Encode(c.cfg.Version, m)
	if err != nil {
		return err
	}
	return c.SendRaw(h.Command, h.Flag, payload)
}

// SendRaw sends a command given as its number, flag and payload, e.g. one
// read from a recorded session.
func (c *Client) SendRaw(cmd uint16, flag uint32, payload []byte) error {
	label := cmdLabel(wire.ClientToServer, cmd)
	size := c.cfg.Version.HeaderFormat().Len() + len(payload)
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.fr == nil || c.ctx.Err() != nil {
		return fmt.Errorf("sending %s: %w", label, ErrClosed)
	}
	// Traced before writing: once written, the answer may be traced by the
	// reader at any moment, and the steps should read in order.
	c.trace(StepSent, wire.Header{Command: cmd, Flag: flag, Size: uint16(size)}, "sent %s%s", label, flagSuffix(flag))
	if err := c.fr.WriteCommand(cmd, flag, payload); err != nil {
		c.info("sending %s failed: %v", label, err)
		return &writeError{label, err}
	}
	return nil
}

// writeError is a command that could not be written to the connection.
type writeError struct {
	label string
	err   error
}

func (e *writeError) Error() string { return fmt.Sprintf("sending %s: %v", e.label, e.err) }
func (e *writeError) Unwrap() error { return e.err }

func flagSuffix(flag uint32) string {
	if flag == 0 {
		return ""
	}
	return fmt.Sprintf(" flag %02X", flag)
}
