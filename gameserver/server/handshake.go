package server

import (
	"crypto/rand"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net"
	"net/netip"
	"time"

	"github.com/psobox/psobox/gameserver/crypt"
	"github.com/psobox/psobox/gameserver/wire"
)

// greet sends the server init (17) in plaintext, works out the client's
// cipher family from its first header and switches both directions to it.
func (c *Client) greet() error {
	serverKey, clientKey := mrand.Uint32(), mrand.Uint32()
	if err := c.Send(wire.NewServerInit(0x17, serverKey, clientKey)); err != nil {
		return err
	}
	c.conn.SetReadDeadline(c.readDeadline())
	var hdr [4]byte
	if _, err := io.ReadFull(c.rd.r, hdr[:]); err != nil {
		return err
	}
	family, err := c.detectFamily(clientKey, hdr)
	if err != nil {
		return err
	}
	in, err := crypt.NewStream(family, clientKey)
	if err != nil {
		return err
	}
	out, err := crypt.NewStream(family, serverKey)
	if err != nil {
		return err
	}
	c.rd.prefix = append([]byte(nil), hdr[:]...) // the Framer decrypts it again from the start
	c.sess.family, c.sess.phase = family, phaseLogin
	return c.setVersion(c.port.provisionalVersion(family), in, out)
}

// detectFamily: PC and Xbox ports have one family; console ports carry both
// and the first header decides.
func (c *Client) detectFamily(clientKey uint32, hdr [4]byte) (wire.CipherFamily, error) {
	switch c.port.Kind {
	case PortPC:
		return wire.CipherV2, nil
	case PortXbox:
		return wire.CipherV3, nil
	}
	_, family, err := crypt.DetectV2V3(clientKey, hdr[:])
	if err != nil {
		return 0, fmt.Errorf("cipher detection: %w", err)
	}
	return family, nil
}

// provisionalVersion is the version assumed from the port and cipher until
// the login command identifies the client exactly.
func (p Port) provisionalVersion(f wire.CipherFamily) wire.Version {
	switch {
	case p.Kind == PortPC:
		return wire.PCV2
	case p.Kind == PortXbox:
		return wire.XBV3
	case f == wire.CipherV2:
		return wire.DCV2
	}
	return wire.GCV3
}

// serveSplit sends the split reconnect of 9100: PC clients read a 19 to the
// PC port, consoles read a 19 to the console port inside it. Then it waits
// for the client to go (at most SplitCloseDelay), because GameCubes lose
// data that arrives together with the end of the connection.
func (c *Client) serveSplit() error {
	local, ok := localIPv4(c.conn)
	if !ok {
		return fmt.Errorf("split reconnect: local address %v is not IPv4", c.conn.LocalAddr())
	}
	pc := netip.AddrPortFrom(local, c.srv.boundPort(splitPCPort))
	gc := netip.AddrPortFrom(local, c.srv.boundPort(splitConsolePort))
	if err := c.Send(wire.NewReconnectSplit(pc, gc)); err != nil {
		return err
	}
	c.conn.SetReadDeadline(time.Now().Add(c.srv.opts.SplitCloseDelay))
	io.Copy(io.Discard, io.LimitReader(c.rd.r, 1<<16))
	return ended{fmt.Sprintf("split reconnect sent (PC to %v, consoles to %v)", pc, gc)}
}

func localIPv4(conn net.Conn) (netip.Addr, bool) {
	ap, err := netip.ParseAddrPort(conn.LocalAddr().String())
	if err != nil {
		return netip.Addr{}, false
	}
	a := ap.Addr().Unmap()
	return a, a.Is4()
}

// bbUnsupported is the BB client-init error code for "server under
// maintenance" (the client shows its No906 message).
const bbUnsupported = 0x04

// serveBB greets a Blue Burst client, finds its key table and reads its
// login, then refuses it: BB's data server (characters, system and guild
// card files) is not implemented, and the client says so with its own
// "under maintenance" message rather than hanging.
func (c *Client) serveBB() error {
	var serverSeed, clientSeed [crypt.BBSeedSize]byte
	rand.Read(serverSeed[:])
	rand.Read(clientSeed[:])
	if err := c.Send(wire.NewServerInitBB(0x03, serverSeed, clientSeed)); err != nil {
		return err
	}
	if err := c.detectBB(serverSeed[:], clientSeed[:]); err != nil {
		return err
	}
	cmd, err := c.readCommand()
	if err != nil {
		return err
	}
	var login wire.BBLogin
	if err := c.decode(cmd, &login); err != nil {
		return err
	}
	c.Send(&wire.BBClientInit{ErrorCode: bbUnsupported})
	return refusal{fmt.Sprintf("Blue Burst login of %q: Blue Burst is not supported yet", login.UsernameString())}
}

func (c *Client) detectBB(serverSeed, clientSeed []byte) error {
	c.conn.SetReadDeadline(c.readDeadline())
	var first [8]byte
	if _, err := io.ReadFull(c.rd.r, first[:]); err != nil {
		return err
	}
	probe := first
	_, key, err := crypt.DetectBB(c.srv.bbKeys, clientSeed, probe[:])
	if err != nil {
		return fmt.Errorf("BB key detection: %w", err)
	}
	in, err := crypt.NewBB(key, clientSeed)
	if err != nil {
		return err
	}
	out, err := crypt.NewBB(key, key.ServerStreamSeed(serverSeed, clientSeed))
	if err != nil {
		return err
	}
	c.rd.prefix = append([]byte(nil), first[:]...)
	c.sess.phase = phaseLogin
	return c.setVersion(wire.BBV4, in, out)
}
