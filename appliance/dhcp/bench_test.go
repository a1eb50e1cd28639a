package dhcp

import (
	"encoding/binary"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"testing"

	"github.com/insomniacslk/dhcp/dhcpv4"
)

// benchServer is an island server with a /16 pool and no ARP probe, its log
// discarded: the benchmarks measure the chain, not a fake link's waits.
func benchServer(b *testing.B, link Link, conn net.PacketConn) *Server {
	o := testOptions(newFakeClock(), nil)
	o.Address = netip.MustParsePrefix("10.55.0.1/16")
	o.PoolStart, o.PoolEnd = ip("10.55.1.0"), ip("10.55.255.254")
	o.ProbeWait = -1
	o.Link, o.Conn = link, conn
	o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := New(o)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func benchMAC(i int) net.HardwareAddr {
	mac := net.HardwareAddr{0x00, 0x09, 0xbf, 0, 0, 0}
	binary.BigEndian.PutUint32(mac[2:], uint32(i)|0xbf000000)
	return mac
}

// BenchmarkLeases is a full DISCOVER/OFFER/REQUEST/ACK for a new client per
// iteration, through the chain and the encoder.
func BenchmarkLeases(b *testing.B) {
	s := benchServer(b, nil, nil)
	disc := discover(b, macGC)
	req := requestMsg(b, macGC)
	pool := int(s.store.poolSize())
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if i%pool == pool-1 {
			s.store.replace(nil) // pool full: start over
		}
		mac := benchMAC(i)
		disc.ClientHWAddr, req.ClientHWAddr = mac, mac
		offer := runChain(s.chain, disc)
		if offer == nil {
			b.Fatalf("no OFFER at iteration %d", i)
		}
		_ = encode(offer)
		req.UpdateOption(dhcpv4.OptRequestedIPAddress(offer.YourIPAddr))
		req.UpdateOption(dhcpv4.OptServerIdentifier(offer.ServerIdentifier()))
		ack := runChain(s.chain, req)
		if ack == nil || ack.MessageType() != dhcpv4.MessageTypeAck {
			b.Fatalf("no ACK at iteration %d", i)
		}
		_ = encode(ack)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "leases/s")
}

// BenchmarkDiscoverOffer is the CPU cost of one DISCOVER→OFFER: a console
// repeating its DISCOVER, answered from its held offer.
func BenchmarkDiscoverOffer(b *testing.B) {
	s := benchServer(b, nil, nil)
	disc := discover(b, macGC)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		offer := runChain(s.chain, disc)
		if offer == nil {
			b.Fatal("no OFFER")
		}
		_ = encode(offer)
	}
}

// notifyLink is a Link that signals every layer-2 send.
type notifyLink struct {
	*fakeLink
	sent chan struct{}
}

func (l notifyLink) WriteIP(pkt []byte, dst net.HardwareAddr) error {
	l.sent <- struct{}{}
	return nil
}

// BenchmarkDiscoverOfferLoopback is DISCOVER→OFFER latency through the
// whole server: a loopback socket, server4's read loop, the chain, and the
// layer-2 send (into a fake link).
func BenchmarkDiscoverOfferLoopback(b *testing.B) {
	link := notifyLink{newFakeLink(), make(chan struct{}, 1)}
	s := benchServer(b, link, loopbackConn(b))
	stop := runServer(b, s)
	defer stop()
	client := loopbackConn(b)
	wire := discover(b, macGC).ToBytes()
	to := s.conn.LocalAddr()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := client.WriteTo(wire, to); err != nil {
			b.Fatal(err)
		}
		<-link.sent
	}
}
