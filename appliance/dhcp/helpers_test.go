package dhcp

import (
	"log/slog"
	"net"
	"net/netip"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/insomniacslk/dhcp/dhcpv4"
	"github.com/psobox/psobox/internal/testenv"
)

var (
	serverAddr = netip.MustParsePrefix("10.55.0.1/24")
	macPC      = mustMAC("02:00:00:00:00:01") // locally administered: not a console
	macPC2     = mustMAC("02:00:00:00:00:02")
	macPC3     = mustMAC("02:00:00:00:00:03")
	macGC      = mustMAC("00:09:bf:12:34:56")
	macDC      = mustMAC("00:d0:f1:02:7c:1b")
	macOwn     = mustMAC("52:54:00:aa:bb:cc") // the Pi's interface
)

func mustMAC(s string) net.HardwareAddr {
	m, err := net.ParseMAC(s)
	if err != nil {
		panic(err)
	}
	return m
}

func ip(s string) netip.Addr { return netip.MustParseAddr(s) }

func newFakeClock() *testenv.Clock {
	return testenv.NewClock(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
}

// fakeLink simulates the LAN behind the packet sockets: hosts that answer
// ARP for their addresses, DHCP servers that answer DISCOVERs, and a log of
// what the server sent.
type fakeLink struct {
	mu       sync.Mutex
	mac      net.HardwareAddr
	hosts    map[netip.Addr]net.HardwareAddr // answer ARP
	rogues   []RogueServer                   // answer DISCOVERs with OFFERs
	arpQueue []queued
	ipQueue  []queued
	probes   []netip.Addr
	sentIP   []sentPacket
	closed   bool
	writeErr error // WriteIP fails with it while set (link down)
}

type queued struct {
	pkt  []byte
	from net.HardwareAddr
}

type sentPacket struct {
	pkt []byte
	dst net.HardwareAddr
}

func newFakeLink() *fakeLink {
	return &fakeLink{mac: macOwn, hosts: map[netip.Addr]net.HardwareAddr{}}
}

func (l *fakeLink) HardwareAddr() net.HardwareAddr { return l.mac }

func (l *fakeLink) WriteIP(pkt []byte, dst net.HardwareAddr) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.writeErr != nil {
		return l.writeErr
	}
	l.sentIP = append(l.sentIP, sentPacket{append([]byte(nil), pkt...), dst})
	u, err := parseUDP(pkt)
	if err != nil || u.dstPort != serverPort {
		return nil
	}
	m, err := dhcpv4.FromBytes(u.payload)
	if err != nil || m.MessageType() != dhcpv4.MessageTypeDiscover {
		return nil
	}
	for _, r := range l.rogues {
		l.ipQueue = append(l.ipQueue, queued{rogueOffer(r, m), r.MAC})
	}
	return nil
}

// rogueOffer is what another server would answer to m.
func rogueOffer(r RogueServer, m *dhcpv4.DHCPv4) []byte {
	offer := newReply(m)
	offer.YourIPAddr = net.IP(r.ServerID.Next().AsSlice())
	offer.UpdateOption(dhcpv4.OptMessageType(dhcpv4.MessageTypeOffer))
	offer.UpdateOption(dhcpv4.OptServerIdentifier(net.IP(r.ServerID.AsSlice())))
	return marshalUDP(udpPacket{src: r.ServerID, dst: ip("255.255.255.255"), srcPort: 67, dstPort: 68, payload: encode(offer)})
}

func (l *fakeLink) ReadIP(buf []byte, deadline time.Time) (int, net.HardwareAddr, error) {
	return l.pop(&l.ipQueue, buf)
}

func (l *fakeLink) WriteARP(pkt []byte, dst net.HardwareAddr) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	a, err := parseARP(pkt)
	if err != nil {
		return err
	}
	l.probes = append(l.probes, a.targetIP)
	if owner, ok := l.hosts[a.targetIP]; ok {
		reply := arpProbe(owner, netip.IPv4Unspecified())
		reply[7] = 2 // op: reply
		copy(reply[14:18], a.targetIP.AsSlice())
		l.arpQueue = append(l.arpQueue, queued{reply, owner})
	}
	return nil
}

func (l *fakeLink) ReadARP(buf []byte, deadline time.Time) (int, net.HardwareAddr, error) {
	return l.pop(&l.arpQueue, buf)
}

// pop returns the next queued packet, or a timeout after a millisecond:
// tests never wait for the real deadline.
func (l *fakeLink) pop(q *[]queued, buf []byte) (int, net.HardwareAddr, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(*q) == 0 {
		time.Sleep(time.Millisecond) // no busy loop in the rogue check
		return 0, nil, os.ErrDeadlineExceeded
	}
	p := (*q)[0]
	*q = (*q)[1:]
	return copy(buf, p.pkt), p.from, nil
}

func (l *fakeLink) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	return nil
}

func (l *fakeLink) probeCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.probes)
}

// testLogger sends the server's log to the test's log.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// testOptions is an island server on 10.55.0.1/24 with a ten-address pool.
func testOptions(clock *testenv.Clock, link *fakeLink) Options {
	return Options{
		Mode: ModeIsland, Interface: "test0", Address: serverAddr,
		PoolStart: ip("10.55.0.100"), PoolEnd: ip("10.55.0.109"),
		LeaseTime: 24 * time.Hour, Domain: "psobox", Now: clock.Now, Link: link,
	}
}

// newTestServer builds a server over a fake link and clock; mutate adjusts
// the options first.
func newTestServer(t testing.TB, mutate func(*Options)) (*Server, *testenv.Clock, *fakeLink) {
	t.Helper()
	clock, link := newFakeClock(), newFakeLink()
	o := testOptions(clock, link)
	o.Logger = testLogger(t)
	if mutate != nil {
		mutate(&o)
	}
	s, err := New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s, clock, link
}

// exchange runs req through the chain and returns the reply as a client
// would parse it off the wire, or nil.
func exchange(t testing.TB, s *Server, req *dhcpv4.DHCPv4) *dhcpv4.DHCPv4 {
	t.Helper()
	resp := runChain(s.chain, req)
	if resp == nil {
		return nil
	}
	parsed, err := dhcpv4.FromBytes(encode(resp))
	if err != nil {
		t.Fatalf("reply does not parse: %v", err)
	}
	return parsed
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func discover(t testing.TB, mac net.HardwareAddr, mods ...dhcpv4.Modifier) *dhcpv4.DHCPv4 {
	return must[*dhcpv4.DHCPv4](t)(dhcpv4.NewDiscovery(mac, mods...))
}

// requestMsg builds a REQUEST in the given shape: mods add option 50, 54 or
// ciaddr as the client state requires.
func requestMsg(t testing.TB, mac net.HardwareAddr, mods ...dhcpv4.Modifier) *dhcpv4.DHCPv4 {
	base := []dhcpv4.Modifier{dhcpv4.WithHwAddr(mac), dhcpv4.WithMessageType(dhcpv4.MessageTypeRequest)}
	return must[*dhcpv4.DHCPv4](t)(dhcpv4.New(append(base, mods...)...))
}

func withRequested(a netip.Addr) dhcpv4.Modifier {
	return dhcpv4.WithOption(dhcpv4.OptRequestedIPAddress(net.IP(a.AsSlice())))
}

func withServerID(a netip.Addr) dhcpv4.Modifier {
	return dhcpv4.WithOption(dhcpv4.OptServerIdentifier(net.IP(a.AsSlice())))
}

func withCiaddr(a netip.Addr) dhcpv4.Modifier { return dhcpv4.WithClientIP(net.IP(a.AsSlice())) }

func message(t testing.TB, mac net.HardwareAddr, typ dhcpv4.MessageType, mods ...dhcpv4.Modifier) *dhcpv4.DHCPv4 {
	base := []dhcpv4.Modifier{dhcpv4.WithHwAddr(mac), dhcpv4.WithMessageType(typ)}
	return must[*dhcpv4.DHCPv4](t)(dhcpv4.New(append(base, mods...)...))
}

// obtain runs a full DISCOVER/REQUEST for mac and returns the ACKed address.
func obtain(t testing.TB, s *Server, mac net.HardwareAddr, mods ...dhcpv4.Modifier) netip.Addr {
	t.Helper()
	offer := exchange(t, s, discover(t, mac, mods...))
	if offer == nil {
		t.Fatalf("no OFFER for %v", mac)
	}
	req := must[*dhcpv4.DHCPv4](t)(dhcpv4.NewRequestFromOffer(offer, mods...))
	ack := exchange(t, s, req)
	if ack == nil || ack.MessageType() != dhcpv4.MessageTypeAck {
		t.Fatalf("REQUEST for %v: got %v, want ACK", offer.YourIPAddr, ack)
	}
	return addrOf(ack.YourIPAddr)
}
