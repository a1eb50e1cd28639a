package dhcp

import (
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/insomniacslk/dhcp/dhcpv4"
	"github.com/insomniacslk/dhcp/dhcpv4/server4"
)

// BenchmarkNetnsDiscoverOffer is DISCOVER→OFFER latency across a veth and
// bridge between namespaces: a client socket on port 68 broadcasts, psobox
// broadcasts the OFFER back. The first DISCOVER (with its ARP probe) is not
// timed; repeats are answered from the held, recently probed offer.
func BenchmarkNetnsDiscoverOffer(b *testing.B) {
	l := newLab(b)
	console := l.addPeer("gc", "10.55.0.9/24", "00:09:bf:00:00:01")
	o := labOptions(b)
	o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	s, _ := l.start(o)
	waitServing(b, s)

	var client *net.UDPConn
	err := console.Do(func() (err error) {
		client, err = server4.NewIPv4UDPConn("eth0", &net.UDPAddr{Port: clientPort})
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	defer client.Close()
	disc := discover(b, mustMAC("00:09:bf:00:00:01"), dhcpv4.WithBroadcast(true))
	wire := disc.ToBytes()
	to := &net.UDPAddr{IP: net.IPv4bcast, Port: serverPort}
	buf := make([]byte, 1500)
	roundTrip := func() {
		if _, err := client.WriteTo(wire, to); err != nil {
			b.Fatal(err)
		}
		_ = client.SetReadDeadline(time.Now().Add(5 * time.Second))
		for {
			n, _, err := client.ReadFrom(buf)
			if err != nil {
				b.Fatalf("no OFFER: %v", err)
			}
			if m, err := dhcpv4.FromBytes(buf[:n]); err == nil && m.TransactionID == disc.TransactionID {
				return
			}
		}
	}
	roundTrip()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		roundTrip()
	}
}
