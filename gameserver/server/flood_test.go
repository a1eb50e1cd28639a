package server_test

import (
	"encoding/binary"
	"math/rand/v2"
	"net"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// floodKinds are the ways a flood connection misbehaves.
var floodKinds = []struct {
	name string
	run  func(conn net.Conn, f *wire.Framer, v wire.Version, rng *rand.Rand)
}{
	{"random bytes", func(conn net.Conn, _ *wire.Framer, _ wire.Version, rng *rand.Rand) {
		conn.Write(randomBytes(rng, 1+rng.IntN(4096)))
	}},
	{"connect and leave", func(net.Conn, *wire.Framer, wire.Version, *rand.Rand) {}},
	{"garbage after the init", func(conn net.Conn, f *wire.Framer, _ wire.Version, rng *rand.Rand) {
		if readInit(f) {
			conn.Write(randomBytes(rng, 1+rng.IntN(512)))
		}
	}},
	{"oversized command", func(conn net.Conn, f *wire.Framer, v wire.Version, _ *rand.Rand) {
		if keys, ok := readInitKeys(f, v); ok {
			keys.encrypt(conn, v, []byte{0xDB, 0, 0xFF, 0xFF, 0x9A, 0, 0xFF, 0xFF})
		}
	}},
	{"truncated command", func(conn net.Conn, f *wire.Framer, v wire.Version, rng *rand.Rand) {
		if keys, ok := readInitKeys(f, v); ok {
			hdr := []byte{0xDB, 0, 0xE0, 0}
			if v.IsPC() {
				hdr = []byte{0xE0, 0, 0x9A, 0}
			}
			keys.encrypt(conn, v, append(hdr, randomBytes(rng, 16)...))
		}
	}},
	{"random command after a valid header", func(conn net.Conn, f *wire.Framer, v wire.Version, rng *rand.Rand) {
		if keys, ok := readInitKeys(f, v); ok {
			body := randomBytes(rng, 4*rng.IntN(64))
			hdr := binary.LittleEndian.AppendUint16([]byte{byte(rng.IntN(256)), 0}, uint16(4+len(body)))
			if v.IsPC() {
				hdr = []byte{hdr[2], hdr[3], hdr[0], 0}
			}
			keys.encrypt(conn, v, append(hdr, body...))
		}
	}},
}

func randomBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

func readInit(f *wire.Framer) bool {
	cmd, err := f.ReadCommand()
	return err == nil && (cmd.Header.Command == 0x17 || cmd.Header.Command == 0x03)
}

type initKeys struct{ server, client uint32 }

func readInitKeys(f *wire.Framer, v wire.Version) (initKeys, bool) {
	cmd, err := f.ReadCommand()
	if err != nil || cmd.Header.Command != 0x17 {
		return initKeys{}, false
	}
	var m wire.ServerInit
	if wire.DecodeInto(v, cmd.Header, cmd.Payload, &m) != nil {
		return initKeys{}, false
	}
	return initKeys{m.ServerKey, m.ClientKey}, true
}

// encrypt sends raw bytes encrypted as a client of family v would.
func (k initKeys) encrypt(conn net.Conn, v wire.Version, b []byte) {
	c, err := streamFor(v, k.client)
	if err != nil {
		return
	}
	b = append(b, make([]byte, (4-len(b)%4)%4)...)
	c.Encrypt(b)
	conn.Write(b)
}

// TestGarbageFlood throws misbehaving connections at every port while a
// logged-in player chats in a lobby: the server must stay up, drop only the
// offenders and leave the player's session untouched.
func TestGarbageFlood(t *testing.T) {
	o := servertest.Options()
	o.LoginTimeout = time.Second
	failOnPanic(t, &o)
	srv := servertest.Start(t, o)
	alice, gcA := loginGC(t, srv.Addr(9103), gcLicence(1), "Alice")
	alice.toLobby()

	const perPortAndKind = 3
	var wg sync.WaitGroup
	ports := sortedPorts(srv)
	for i, port := range ports {
		for k := range floodKinds {
			for n := range perPortAndKind {
				wg.Add(1)
				go func() {
					defer wg.Done()
					flood(srv.Addr(port), portVersion(port), k, rand.New(rand.NewPCG(uint64(i), uint64(k*100+n))))
				}()
			}
		}
	}
	// While the flood runs: the player in the lobby chats, a second one
	// logs in and joins.
	chatRoundTrip(t, alice, gcA, "during the flood")
	bob, gcB := loginGC(t, srv.Addr(9103), gcLicence(2), "Bob")
	bob.toLobby()
	chatRoundTrip(t, bob, gcB, "joined during the flood")
	wg.Wait()
	alice.expect(0xC5) // Bob's arrival, then his chat line
	alice.expect(0x68)
	alice.expect(0x06)
	chatRoundTrip(t, alice, gcA, "after the flood")
	t.Logf("%d ports x %d kinds x %d connections; the lobby session and a login during the flood were unaffected", len(ports), len(floodKinds), perPortAndKind)
}

func sortedPorts(srv *servertest.Server) []int {
	var ports []int
	for p := range srv.Addrs {
		ports = append(ports, p)
	}
	sort.Ints(ports)
	return ports
}

// flood runs one misbehaving connection and waits (bounded) for the server
// to close it.
func flood(addr string, v wire.Version, kind int, rng *rand.Rand) {
	conn, err := net.DialTimeout("tcp", addr, ioTimeout)
	if err != nil {
		return
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(3 * time.Second))
	f := wire.NewFramer(conn, conn, v)
	floodKinds[kind].run(conn, f, v, rng)
	if kind != 1 {
		var buf [512]byte
		for {
			if _, err := conn.Read(buf[:]); err != nil {
				return
			}
		}
	}
}

func chatRoundTrip(t *testing.T, c *testClient, gc uint32, s string) {
	t.Helper()
	c.sendMsg(wire.NewTextMessage(0x06, wire.GCV3, 0, s, text.English))
	r := c.expect(0x06)
	var m wire.TextMessage
	wire.DecodeInto(wire.GCV3, r.Header, r.Payload, &m)
	if m.GuildCard != gc {
		t.Errorf("chat from %d, want %d", m.GuildCard, gc)
	}
}
