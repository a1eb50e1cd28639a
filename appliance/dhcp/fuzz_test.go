package dhcp

import (
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/insomniacslk/dhcp/dhcpv4"
)

// fuzzServer is a server whose log goes nowhere (fuzzing logs millions of
// lines) over a fake link where .103 answers ARP.
func fuzzServer(f *testing.F, mode Mode) *Server {
	clock, link := newFakeClock(), newFakeLink()
	link.hosts[ip("10.55.0.103")] = mustMAC("02:99:00:00:00:01")
	o := testOptions(clock, link)
	o.Mode = mode
	o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	o.Reservations = []Reservation{{MAC: macDC, IP: ip("10.55.0.50")}}
	s, err := New(o)
	if err != nil {
		f.Fatal(err)
	}
	return s
}

func fuzzSeeds(f *testing.F) {
	offer := func() *dhcpv4.DHCPv4 {
		r := newReply(discover(f, macPC))
		r.YourIPAddr = net.IPv4(10, 55, 0, 100)
		r.UpdateOption(dhcpv4.OptServerIdentifier(net.IPv4(10, 55, 0, 1)))
		return r
	}
	for _, m := range []*dhcpv4.DHCPv4{
		discover(f, macGC, dhcpv4.WithOption(dhcpv4.OptHostName("gc"))),
		discover(f, macDC, dhcpv4.WithBroadcast(true)),
		must[*dhcpv4.DHCPv4](f)(dhcpv4.NewRequestFromOffer(offer())),
		requestMsg(f, macGC, withRequested(ip("10.55.0.100"))),
		requestMsg(f, macPC, withCiaddr(ip("10.55.0.100"))),
		message(f, macPC, dhcpv4.MessageTypeDecline, withRequested(ip("10.55.0.100"))),
		message(f, macPC, dhcpv4.MessageTypeRelease, withCiaddr(ip("10.55.0.100"))),
		message(f, macPC, dhcpv4.MessageTypeInform, withCiaddr(ip("10.55.0.20"))),
		discover(f, macPC, dhcpv4.WithGatewayIP(net.IPv4(10, 55, 0, 254))),
	} {
		f.Add(m.ToBytes())
	}
	f.Add([]byte{})
}

// FuzzHandler feeds arbitrary packets through parsing, both modes' chains,
// the encoder and the destination rules: nothing may panic, and every
// reply must be a reply to that request that the library parses again.
func FuzzHandler(f *testing.F) {
	fuzzSeeds(f)
	servers := []*Server{fuzzServer(f, ModeIsland), fuzzServer(f, ModeHome)}
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := dhcpv4.FromBytes(data)
		if err != nil {
			return
		}
		for _, s := range servers {
			resp := runChain(s.chain, req)
			if resp == nil {
				continue
			}
			if resp.OpCode != dhcpv4.OpcodeBootReply || resp.TransactionID != req.TransactionID {
				t.Fatalf("reply %v does not answer %v", resp, req)
			}
			if _, err := dhcpv4.FromBytes(encode(resp)); err != nil {
				t.Fatalf("reply does not parse: %v", err)
			}
			_ = replyDestination(req, resp)
		}
	})
}

// FuzzLeaseFile: any file content gives records or an error, never a panic,
// and records always fit the store's invariants (one per MAC and address).
func FuzzLeaseFile(f *testing.F) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	good, err := encodeLeases([]lease{
		{mac: keyOf(macPC), ip: ip("10.55.0.100"), state: stateBound, expiry: now.Add(time.Hour), hostname: "pc"},
		{mac: keyOf(macGC), ip: ip("10.55.0.101"), state: stateReleased, expiry: now.Add(-time.Hour)},
	}, now)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(`{"version":1,"leases":null}`))
	f.Add([]byte(`{"version":1,"written_at":"1970-01-01T00:00:00Z","leases":[{"mac":"00:09:bf:00:00:01","ip":"10.55.0.9","state":"bound","remaining_seconds":-9223372036854775808}]}`))
	s := fuzzServer(f, ModeIsland)
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, err := decodeLeases(data, now, now)
		if err != nil {
			return
		}
		s.store.replace(recs)
		for _, r := range s.store.records() {
			if s.store.byMAC[r.mac].ip != r.ip || s.store.byIP[r.ip].mac != r.mac {
				t.Fatalf("store indexes disagree on %v/%v", r.mac.mac(), r.ip)
			}
		}
	})
}

// FuzzFrames covers the packet-socket parsers (ARP answers and other
// servers' OFFERs come from the wire).
func FuzzFrames(f *testing.F) {
	f.Add(arpProbe(macOwn, ip("10.55.0.100")))
	f.Add(discoverPacket(macOwn, dhcpv4.TransactionID{1, 2, 3, 4}))
	f.Add(marshalUDP(udpPacket{src: ip("10.0.0.1"), dst: ip("255.255.255.255"), srcPort: 67, dstPort: 68, payload: []byte{2}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		if a, err := parseARP(data); err == nil {
			_ = a.claims(ip("10.55.0.100"), macPC)
		}
		if u, err := parseUDP(data); err == nil && len(u.payload) > len(data) {
			t.Fatalf("payload longer than the packet")
		}
		_, _ = offerFor(data, macPC, dhcpv4.TransactionID{1, 2, 3, 4})
	})
}
