package client

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"

	"github.com/psobox/psobox/gameserver/crypt"
	"github.com/psobox/psobox/gameserver/wire"
)

// readBufferBytes buffers reads: a batch of small commands (lobby traffic)
// then costs one read syscall, not two per command, which matters when a
// load test runs a thousand clients beside the server.
const readBufferBytes = 4096

// connect opens a connection to addr and installs a plaintext framer for it:
// every connection starts with the server's unencrypted init command.
func (c *Client) connect(ctx context.Context, addr string) error {
	dctx, cancel := context.WithTimeout(ctx, c.cfg.DialTimeout)
	defer cancel()
	conn, err := c.cfg.Dial(dctx, "tcp", addr)
	if err != nil {
		return err
	}
	c.wmu.Lock()
	c.conn, c.fr = conn, wire.NewFramer(bufio.NewReaderSize(conn, readBufferBytes), conn, c.cfg.Version)
	c.wmu.Unlock()
	c.update(func(s *sharedState) {
		s.initDone = false
		s.phase, s.waiting = PhaseInit, "17 or 02 (server init)"
	})
	c.info("connected to %s (%s, %s header)", remoteName(conn, addr), c.cfg.Version, c.cfg.Version.HeaderFormat())
	return nil
}

func remoteName(conn net.Conn, addr string) string {
	if ra := conn.RemoteAddr(); ra != nil && ra.Network() == "tcp" {
		return ra.String()
	}
	return addr
}

// run is the reader goroutine: it reads every command, lets the handlers
// answer it, and queues it for Next.
func (c *Client) run() {
	defer close(c.done)
	for {
		c.wmu.Lock()
		fr := c.fr
		c.wmu.Unlock()
		cmd, err := fr.ReadCommand()
		if err != nil {
			c.fail(c.readError(err))
			return
		}
		r := c.received(cmd)
		if err := c.dispatch(&r); err != nil {
			var we *writeError
			if errors.As(err, &we) {
				err = c.readError(we.err) // the server hung up: say so, not "broken pipe"
			}
			c.fail(err)
			return
		}
		if err := c.deliver(r); err != nil {
			c.fail(err)
			return
		}
	}
}

// received copies and decodes a command and notes it as the last one seen.
func (c *Client) received(cmd wire.Command) Received {
	r := Received{Time: c.cfg.Now(), Header: cmd.Header, Payload: append([]byte(nil), cmd.Payload...)}
	r.Msg, r.Err = wire.Decode(c.cfg.Version, wire.ServerToClient, cmd.Header, r.Payload)
	if errors.Is(r.Err, wire.ErrUnknownCommand) {
		r.Err = nil // no codec: nothing went wrong, psobot just does not model it
	}
	label := cmdLabel(wire.ServerToClient, cmd.Header.Command)
	last := label + flagSuffix(cmd.Header.Flag) + codeDetail(&r)
	c.update(func(s *sharedState) { s.lastCmd, s.lastAt = last, r.Time })
	c.trace(StepReceived, cmd.Header, "received %s%s%s", label, flagSuffix(cmd.Header.Flag), c.detail(&r))
	return r
}

// readError turns a failed read into the reason the session ended.
func (c *Client) readError(err error) error {
	if c.ctx.Err() != nil {
		return ErrClosed
	}
	var fe *wire.FrameError
	if errors.As(err, &fe) {
		return fmt.Errorf("server sent a malformed command: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	ce := &ClosedError{Waiting: c.sh.waiting, LastCmd: c.sh.lastCmd, LastMessage: c.sh.lastMessage}
	if err != io.EOF {
		ce.Err = err
	}
	return ce
}

// onServerInit sets up the ciphers from 17/02 (and their legacy forms 91/9B)
// and, like a console, starts logging in: after 17 with a licence check,
// after 02 (a later connection) directly with the login command.
func onServerInit(c *Client, r *Received) error {
	m, ok := r.Msg.(*wire.ServerInit)
	if !ok {
		return badCommand(r)
	}
	if err := c.installCiphers(m.ServerKey, m.ClientKey); err != nil {
		return err
	}
	if c.cfg.Manual {
		return nil
	}
	if r.Header.Command == 0x02 {
		return c.sendLogin()
	}
	return c.sendLicenceCheck()
}

// installCiphers switches the connection to the version's cipher family as
// the client: what the server sends is keyed by the server key, what the
// client sends by the client key.
func (c *Client) installCiphers(serverKey, clientKey uint32) error {
	family := c.cfg.Version.Cipher()
	in, err := crypt.NewStream(family, serverKey)
	if err != nil {
		return err
	}
	out, err := crypt.NewStream(family, clientKey)
	if err != nil {
		return err
	}
	c.wmu.Lock()
	c.fr.SetCiphers(in, out)
	c.wmu.Unlock()
	c.info("server keys: server %08X, client %08X", serverKey, clientKey)
	c.info("cipher %s both ways", familyName(family))
	c.update(func(s *sharedState) { s.initDone = true })
	return nil
}

func familyName(f wire.CipherFamily) string {
	switch f {
	case wire.CipherV2:
		return "PSO V2"
	case wire.CipherV3:
		return "PSO V3"
	}
	return "Blue Burst"
}

// onReconnect follows 19: close this connection and open one to the address
// given. On a port shared by PC and consoles the server sends a command that
// a PC reads as a 19 to the PC port and a console as a short text message
// followed by a 19 to the console port, so each version reads its own view.
func onReconnect(c *Client, r *Received) error {
	to, err := reconnectAddr(r.Payload)
	if err != nil {
		return err
	}
	c.info("server sends us to %s", to)
	c.wmu.Lock()
	c.conn.Close()
	c.wmu.Unlock()
	if err := c.connect(c.ctx, to.String()); err != nil {
		return fmt.Errorf("reconnecting to %s: %w", to, err)
	}
	return nil
}

// reconnectAddr reads the IPv4 address and port at the start of a 19.
func reconnectAddr(payload []byte) (netip.AddrPort, error) {
	if len(payload) < 6 {
		return netip.AddrPort{}, fmt.Errorf("reconnect command too short (%d bytes)", len(payload))
	}
	addr := netip.AddrFrom4([4]byte(payload[:4]))
	port := binary.LittleEndian.Uint16(payload[4:])
	if port == 0 {
		return netip.AddrPort{}, fmt.Errorf("reconnect to port 0")
	}
	return netip.AddrPortFrom(addr, port), nil
}

// badCommand is a command psobot must understand that did not decode.
func badCommand(r *Received) error {
	if r.Err != nil {
		return fmt.Errorf("bad %s from server: %w", cmdLabel(wire.ServerToClient, r.Header.Command), r.Err)
	}
	return fmt.Errorf("unexpected %s from server", cmdLabel(wire.ServerToClient, r.Header.Command))
}
