package systemd

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/psobox/psobox/appliance/dns"
)

// startDNS runs psobox's real DNS server on loopback; stop ends it.
func startDNS(t *testing.T) (srv *dns.Server, stop func()) {
	t.Helper()
	srv, err := dns.New(dns.Options{Listen: "127.0.0.1:0", Catchall: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := srv.Listen(ctx); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	stop = func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("dns Serve = %v", err)
		}
	}
	t.Cleanup(func() { cancel() })
	return srv, stop
}

func udpAddrOf(srv *dns.Server) func() net.Addr {
	return func() net.Addr {
		for _, a := range srv.Addrs() {
			if a.Network() == "udp" {
				return a
			}
		}
		return nil
	}
}

func check(p Probe) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return p.Check(ctx)
}

func TestDNSProbeAsksTheRealServer(t *testing.T) {
	srv, stop := startDNS(t)
	probe := DNSProbe(udpAddrOf(srv))
	if err := check(probe); err != nil {
		t.Fatalf("probe of a serving DNS server = %v", err)
	}
	if n := len(srv.Lookups()); n != 0 {
		t.Errorf("the probe shows up as %d PSO lookups on the status page", n)
	}
	if st := srv.Stats(); st.Queries != 1 || st.Forwarded != 0 {
		t.Errorf("stats after one probe = %+v, want 1 query, none forwarded", st)
	}
	stop()
	if err := check(probe); err == nil {
		t.Error("probe of a stopped DNS server passed")
	}
}

func TestTCPProbe(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	probe := TCPProbe("game", ln.Addr)
	if err := check(probe); err != nil {
		t.Fatalf("probe of a listening socket = %v", err)
	}
	ln.Close()
	if err := check(probe); err == nil {
		t.Error("probe of a closed listener passed")
	}
}

func TestProbeBeforeListen(t *testing.T) {
	for _, addr := range []net.Addr{nil, (*net.UDPAddr)(nil), &net.IPAddr{}} {
		if err := check(TCPProbe("game", func() net.Addr { return addr })); err == nil {
			t.Errorf("probe of %#v passed", addr)
		}
	}
	err := check(DNSProbe(func() net.Addr { return nil }))
	if !errors.Is(err, errNotBound) {
		t.Errorf("probe before Listen = %v, want %v", err, errNotBound)
	}
}

func TestDialableReplacesWildcards(t *testing.T) {
	for in, want := range map[net.Addr]string{
		&net.UDPAddr{IP: net.IPv4zero, Port: 53}:           "127.0.0.1:53",
		&net.UDPAddr{IP: net.IPv6unspecified, Port: 53}:    "127.0.0.1:53",
		&net.TCPAddr{IP: net.IPv4(10, 55, 0, 1), Port: 80}: "10.55.0.1:80",
		&net.TCPAddr{IP: net.IPv6loopback, Port: 9100}:     "[::1]:9100",
	} {
		got, err := dialable(in)
		if err != nil || got != netip.MustParseAddrPort(want) {
			t.Errorf("dialable(%v) = %v, %v; want %s", in, got, err, want)
		}
	}
}
