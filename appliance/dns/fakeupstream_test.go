package dns

import (
	"context"
	"net"
	"sync/atomic"
	"testing"
	"time"

	miekg "github.com/miekg/dns"
)

// startServer runs a server on 127.0.0.1:0 until the test ends, and checks
// that it then shuts down cleanly.
func startServer(t testing.TB, opts Options) (*Server, string) {
	t.Helper()
	if opts.Listen == "" && opts.PacketConn == nil {
		opts.Listen = "127.0.0.1:0"
	}
	return startServerWith(t, opts, func(f func() error) error { return f() })
}

// startServerWith is startServer with Listen run through bind, which may
// switch network namespaces around it.
func startServerWith(t testing.TB, opts Options, bind func(func() error) error) (*Server, string) {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = quietLogger()
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := bind(func() error { return s.Listen(ctx) }); err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("Serve did not return after cancel")
		}
	})
	return s, s.Addrs()[0].String()
}

// exchange sends m over network ("udp" or "tcp") and fails the test on error.
func exchange(t testing.TB, network, addr string, m *miekg.Msg) *miekg.Msg {
	t.Helper()
	c := &miekg.Client{Net: network, Timeout: 3 * time.Second}
	r, _, err := c.Exchange(m, addr)
	if err != nil {
		t.Fatalf("%s query %v: %v", network, m.Question, err)
	}
	return r
}

// upstream is a fake resolver on loopback (UDP and TCP on one port) that
// counts what it is asked.
type upstream struct {
	addr       string
	udpQueries atomic.Int64
	tcpQueries atomic.Int64
}

// bigName has an answer larger than any UDP limit of ours.
const bigName = "big.example."

func startUpstream(t testing.TB) *upstream {
	t.Helper()
	pc, ln, err := listenPair(context.Background(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return startUpstreamOn(t, pc, ln)
}

// startUpstreamOn serves the fake zone on sockets the caller bound.
func startUpstreamOn(t testing.TB, pc net.PacketConn, ln net.Listener) *upstream {
	t.Helper()
	u := &upstream{addr: pc.LocalAddr().String()}
	for _, srv := range []*miekg.Server{{PacketConn: pc, Handler: u}, {Listener: ln, Handler: u}} {
		started := make(chan struct{})
		srv.NotifyStartedFunc = func() { close(started) }
		go func() { _ = srv.ActivateAndServe() }()
		<-started
		t.Cleanup(func() { _ = srv.Shutdown() })
	}
	return u
}

func (u *upstream) ServeDNS(w miekg.ResponseWriter, r *miekg.Msg) {
	_, udp := w.RemoteAddr().(*net.UDPAddr)
	if udp {
		u.udpQueries.Add(1)
	} else {
		u.tcpQueries.Add(1)
	}
	m := upstreamAnswer(r)
	if udp {
		size := miekg.MinMsgSize
		if opt := r.IsEdns0(); opt != nil {
			size = int(opt.UDPSize())
		}
		m.Truncate(size)
	}
	_ = w.WriteMsg(m)
}

func (u *upstream) queries() int64 { return u.udpQueries.Load() + u.tcpQueries.Load() }

// upstreamAnswer is the fake resolver's zone: www.example (TTL 300),
// short.example (TTL 5), big.example (200 addresses), everything else
// NXDOMAIN with an SOA whose minimum is 30 s.
func upstreamAnswer(r *miekg.Msg) *miekg.Msg {
	m := new(miekg.Msg)
	m.SetReply(r)
	m.RecursionAvailable = true
	q := r.Question[0]
	hdr := miekg.RR_Header{Name: q.Name, Rrtype: miekg.TypeA, Class: miekg.ClassINET}
	switch {
	case q.Qtype != miekg.TypeA:
	case q.Name == "www.example.":
		hdr.Ttl = 300
		m.Answer = append(m.Answer, &miekg.A{Hdr: hdr, A: net.IPv4(192, 0, 2, 80)})
	case q.Name == "short.example.":
		hdr.Ttl = 5
		m.Answer = append(m.Answer, &miekg.A{Hdr: hdr, A: net.IPv4(192, 0, 2, 5)})
	case q.Name == bigName:
		hdr.Ttl = 300
		for i := range 200 {
			m.Answer = append(m.Answer, &miekg.A{Hdr: hdr, A: net.IPv4(192, 0, 2, byte(i))})
		}
	default:
		m.Rcode = miekg.RcodeNameError
		m.Ns = []miekg.RR{&miekg.SOA{
			Hdr: miekg.RR_Header{Name: "example.", Rrtype: miekg.TypeSOA, Class: miekg.ClassINET, Ttl: 600},
			Ns:  "ns.example.", Mbox: "admin.example.", Serial: 1, Refresh: 3600, Retry: 600, Expire: 86400, Minttl: 30,
		}}
	}
	return m
}
