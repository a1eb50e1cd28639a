package server_test

import (
	"errors"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/crypt"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// testClient is a minimal console built on wire and crypt: enough to log
// in, replay recorded commands and misbehave on purpose. (psobot is the
// full client; these tests must not depend on it.)
type testClient struct {
	t    testing.TB
	conn net.Conn
	f    *wire.Framer
	v    wire.Version
}

const ioTimeout = 5 * time.Second

// dial connects to addr; v is the version whose header format the port's
// first command uses (PC header on 9300 and 9100, DC header elsewhere).
func dial(t testing.TB, addr string, v wire.Version) *testClient {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, ioTimeout)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return &testClient{t: t, conn: conn, f: wire.NewFramer(conn, conn, v), v: v}
}

// start reads the server init and switches to version v's ciphers.
func (c *testClient) start(v wire.Version) {
	c.t.Helper()
	cmd := c.expect(0x17)
	var init wire.ServerInit
	if err := wire.DecodeInto(c.v, cmd.Header, cmd.Payload, &init); err != nil {
		c.t.Fatal(err)
	}
	c.useCiphers(v, init.ServerKey, init.ClientKey)
}

func (c *testClient) useCiphers(v wire.Version, serverKey, clientKey uint32) {
	c.t.Helper()
	in, err := crypt.NewStream(v.Cipher(), serverKey)
	if err != nil {
		c.t.Fatal(err)
	}
	out, _ := crypt.NewStream(v.Cipher(), clientKey)
	c.v = v
	c.f.SetVersion(v)
	c.f.SetCiphers(in, out)
}

func (c *testClient) send(cmd uint16, flag uint32, payload []byte) {
	c.t.Helper()
	c.conn.SetWriteDeadline(time.Now().Add(ioTimeout))
	if err := c.f.WriteCommand(cmd, flag, payload); err != nil {
		c.t.Fatalf("sending %02X: %v", cmd, err)
	}
}

func (c *testClient) sendMsg(m wire.Msg) {
	c.t.Helper()
	c.conn.SetWriteDeadline(time.Now().Add(ioTimeout))
	if err := c.f.WriteMsg(m); err != nil {
		c.t.Fatalf("sending %02X: %v", m.Command(), err)
	}
}

// recv reads the next command (err on timeout or close).
func (c *testClient) recv() (wire.Command, error) {
	c.conn.SetReadDeadline(time.Now().Add(ioTimeout))
	return c.f.ReadCommand()
}

// expect reads the next command and fails unless it is cmd. Pings (1D)
// in between are skipped: tests with short ping intervals get them at any
// point.
func (c *testClient) expect(cmd uint16) wire.Command {
	c.t.Helper()
	got, err := c.recv()
	for err == nil && got.Header.Command == 0x1D && cmd != 0x1D {
		got, err = c.recv()
	}
	if err != nil {
		c.t.Fatalf("waiting for %02X: %v", cmd, err)
	}
	if got.Header.Command != cmd {
		c.t.Fatalf("got command %02X flag %X (0x%X bytes), want %02X", got.Header.Command, got.Header.Flag, len(got.Payload), cmd)
	}
	return got
}

// expectClosed reads until the server ends the connection; it fails if
// that does not happen within ioTimeout. It returns the commands received.
func (c *testClient) expectClosed() []uint16 {
	c.t.Helper()
	var got []uint16
	for {
		cmd, err := c.recv()
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) || isReset(err) {
			return got
		}
		if err != nil {
			c.t.Fatalf("waiting for the server to close: %v (got %X so far)", err, got)
		}
		got = append(got, cmd.Header.Command)
	}
}

func isReset(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && !op.Timeout()
}

// gcCredentials are a GameCube licence for tests.
type gcCredentials struct {
	serial, key, password string
	sub                   uint32
}

func gcLicence(n int) gcCredentials {
	return gcCredentials{serial: fmt.Sprintf("%08X", 0x1000+n), key: "123456789012", password: "pw", sub: 0x31}
}

// verifyAccount is GameCube's DB.
func (g gcCredentials) verifyAccount() *wire.VerifyAccount {
	m := &wire.VerifyAccount{SubVersion: g.sub}
	text.Put(m.Serial[:], text.ASCII, g.serial, text.English)
	text.Put(m.AccessKey[:], text.ASCII, g.key, text.English)
	text.Put(m.Password[:], text.ASCII, g.password, text.English)
	return m
}

// login is GameCube's 9E.
func (g gcCredentials) login() *wire.LoginWithConfig {
	m := &wire.LoginWithConfig{Flag: 1}
	m.GuildCard, m.SubVersion, m.Language = 0xFFFFFFFF, g.sub, uint8(text.English)
	text.Put(m.Serial[:], text.ASCII, g.serial, text.English)
	text.Put(m.AccessKey[:], text.ASCII, g.key, text.English)
	return m
}

func testPlayer(name string) *wire.Player {
	p := &wire.Player{Name: name, Language: text.English}
	p.Inventory[3] = byte(text.English)
	text.Put(p.Disp[0x24:0x34], text.Marked, name, text.English)
	return p
}

// loginGC logs a GameCube in on a console port up to the main menu and
// returns its guild card number. The server must have a welcome message.
func loginGC(t testing.TB, addr string, g gcCredentials, name string) (*testClient, uint32) {
	t.Helper()
	return loginOn(t, dial(t, addr, wire.GCV3), g, name)
}

// loginOn logs in on a connected client (see loginGC).
func loginOn(t testing.TB, c *testClient, g gcCredentials, name string) (*testClient, uint32) {
	t.Helper()
	c.start(wire.GCV3)
	c.sendMsg(g.verifyAccount())
	if r := c.expect(0x9A); r.Header.Flag != wire.LicenseOKSave {
		t.Fatalf("licence check answered %02X", r.Header.Flag)
	}
	c.sendMsg(g.login())
	var cfg wire.UpdateClientConfig
	r := c.expect(0x04)
	if err := wire.DecodeInto(wire.GCV3, r.Header, r.Payload, &cfg); err != nil {
		t.Fatal(err)
	}
	c.expect(0xB1)
	c.expect(0x95)
	c.sendMsg(&wire.CharSaveInfo{})
	c.sendMsg(&wire.Empty{Cmd: 0x99})
	c.sendMsg(testPlayer(name).CharacterData(wire.GCV3, 0x61))
	c.expect(0xD5)
	c.sendMsg(&wire.Empty{Cmd: 0xD6})
	c.expect(0x07)
	return c, cfg.GuildCard
}

// toLobby chooses "Go to lobby" and reads up to the 67.
func (c *testClient) toLobby() *wire.JoinLobby {
	c.t.Helper()
	c.sendMsg(&wire.MenuSelection{MenuID: 0x11000011, ItemID: 0x11222211})
	c.expect(0x97)
	c.sendMsg(&wire.Empty{Cmd: 0x99})
	c.expect(0x83)
	c.expect(0xC5)
	r := c.expect(0x67)
	var j wire.JoinLobby
	if err := wire.DecodeInto(c.v, r.Header, r.Payload, &j); err != nil {
		c.t.Fatal(err)
	}
	return &j
}

func streamFor(v wire.Version, key uint32) (crypt.Cipher, error) {
	return crypt.NewStream(v.Cipher(), key)
}
