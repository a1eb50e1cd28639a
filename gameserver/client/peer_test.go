package client

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/crypt"
	"github.com/psobox/psobox/gameserver/wire"
)

// peer is a hand-scripted server for unit tests: each test drives it
// step by step from a goroutine.
type peer struct {
	t    *testing.T
	v    wire.Version
	ln   net.Listener
	conn net.Conn
	fr   *wire.Framer
}

func newPeer(t *testing.T, v wire.Version) *peer {
	return &peer{t: t, v: v, ln: listen(t)}
}

func (p *peer) addr() string { return p.ln.Addr().String() }

// play runs a script in its own goroutine. The test waits for it before it
// ends (after the peer's connection is closed), so that a script never
// reports into a finished test.
func (p *peer) play(script func()) {
	done := make(chan struct{})
	p.t.Cleanup(func() { <-done })
	go func() {
		defer close(done)
		script()
	}()
}

// acceptConn takes the next connection, with no init command.
func (p *peer) acceptConn() bool {
	conn, err := acceptWithin(p.ln, 5*time.Second)
	if err != nil {
		p.t.Error(err)
		return false
	}
	p.conn, p.fr = conn, wire.NewFramer(conn, conn, p.v)
	p.t.Cleanup(func() { conn.Close() })
	return true
}

// accept takes the next connection and sends the init command cmd (17 or
// 02), switching the ciphers on.
func (p *peer) accept(cmd uint16) {
	if !p.acceptConn() {
		return
	}
	init := wire.NewServerInit(cmd, 0x11111111, 0x22222222)
	p.sendMsg(init)
	in, _ := crypt.NewStream(p.v.Cipher(), init.ClientKey)
	out, _ := crypt.NewStream(p.v.Cipher(), init.ServerKey)
	p.fr.SetCiphers(in, out)
}

func (p *peer) send(cmd uint16, flag uint32, payload []byte) {
	if err := p.fr.WriteCommand(cmd, flag, payload); err != nil {
		p.t.Errorf("peer: sending %02X: %v", cmd, err)
	}
}

func (p *peer) sendMsg(m wire.Msg) {
	if err := p.fr.WriteMsg(m); err != nil {
		p.t.Errorf("peer: sending %02X: %v", m.Command(), err)
	}
}

// expect reads the client's next command and checks its number.
func (p *peer) expect(cmd uint16) wire.Command {
	got, err := p.fr.ReadCommand()
	if err != nil {
		p.t.Errorf("peer: waiting for %02X: %v", cmd, err)
		return wire.Command{}
	}
	if got.Header.Command != cmd {
		p.t.Errorf("peer: got %02X from the client, want %02X", got.Header.Command, cmd)
	}
	return got
}

// loginGC plays a minimal GC login: 17, DB -> 9A 02, 9E -> 04, then the
// main menu.
func (p *peer) loginGC(guildCard uint32) {
	p.accept(0x17)
	p.expect(0xDB)
	p.send(0x9A, wire.LicenseOKSave, nil)
	p.expect(0x9E)
	p.sendMsg(&wire.UpdateClientConfig{PlayerTag: playerTag, GuildCard: guildCard})
	p.expect(0x96)
	p.sendMsg(mainMenu(p.v, "Go to lobby"))
}

// mainMenu is a menu with a title and the given items (item IDs 1, 2...).
func mainMenu(v wire.Version, items ...string) *wire.Menu {
	m := &wire.Menu{Cmd: 0x07, Items: make([]wire.MenuItem, len(items)+1)}
	m.Items[0] = wire.MenuItem{MenuID: 0x7, ItemID: 0xFFFFFFFF}
	m.Items[0].SetName(v, "Test ship", 1)
	for i, name := range items {
		m.Items[i+1] = wire.MenuItem{MenuID: 0x7, ItemID: uint32(i + 1)}
		m.Items[i+1].SetName(v, name, 1)
	}
	return m
}

// testContext bounds a test's waits.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// dialTest dials p with cfg, tracing into the test log.
func dialTest(t *testing.T, ctx context.Context, p *peer, cfg Config) (*Client, error) {
	cfg.Trace = func(s Step) { t.Logf("%-13s %s", s.Phase, s.Text) }
	c, err := Dial(ctx, p.addr(), cfg)
	if err == nil {
		t.Cleanup(func() { c.Close() })
	}
	return c, err
}
