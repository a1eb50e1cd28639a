package app

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"testing"
	"time"

	miekg "github.com/miekg/dns"
	"github.com/psobox/psobox/appliance/config"
)

// fakeUpstream is a resolver on loopback that answers every A query with
// 192.0.2.1, standing in for the home router.
func fakeUpstream(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &miekg.Server{PacketConn: pc, Handler: miekg.HandlerFunc(func(w miekg.ResponseWriter, r *miekg.Msg) {
		m := new(miekg.Msg)
		m.SetReply(r)
		m.Answer = []miekg.RR{&miekg.A{
			Hdr: miekg.RR_Header{Name: r.Question[0].Name, Rrtype: miekg.TypeA, Class: miekg.ClassINET, Ttl: 60},
			A:   net.IPv4(192, 0, 2, 1),
		}}
		_ = w.WriteMsg(m)
	})}
	go func() { _ = srv.ActivateAndServe() }()
	t.Cleanup(func() { _ = srv.Shutdown() })
	return pc.LocalAddr().String()
}

// serverConfig is a server-mode config on loopback; extra is appended TOML.
func serverConfig(t *testing.T, upstream, extra string) *config.Config {
	t.Helper()
	cfg, err := config.Parse([]byte(configText(upstream, extra)), "test.toml")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func configText(upstream, extra string) string {
	return fmt.Sprintf(`mode = "server"
[network]
advertise = "10.0.0.55"
[dns]
listen = "127.0.0.1:0"
upstreams = [%q]
%s`, upstream, extra)
}

// resolveA asks the DNS server at addr for name's A record.
func resolveA(t *testing.T, addr net.Addr, name string) netip.Addr {
	t.Helper()
	q := new(miekg.Msg)
	q.SetQuestion(miekg.Fqdn(name), miekg.TypeA)
	c := &miekg.Client{Net: "udp", Timeout: 5 * time.Second}
	r, _, err := c.Exchange(q, addr.String())
	if err != nil {
		t.Fatalf("query %s: %v", name, err)
	}
	for _, rr := range r.Answer {
		if a, ok := rr.(*miekg.A); ok {
			ip, _ := netip.AddrFromSlice(a.A)
			return ip.Unmap()
		}
	}
	t.Fatalf("query %s: no A record in %v", name, r)
	return netip.Addr{}
}

// runDNS runs a liveDNS until the test ends and checks it stops cleanly,
// the standbys of reloads included.
func runDNS(t *testing.T, cfg *config.Config, logger *slog.Logger) *liveDNS {
	t.Helper()
	l, err := newLiveDNS(cfg, logger, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := l.Listen(ctx); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- l.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Serve = %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("liveDNS did not stop")
		}
	})
	return l
}
