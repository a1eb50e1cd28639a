package dns

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	miekg "github.com/miekg/dns"
)

// rawUpstream answers each UDP query with the datagrams reply returns, so
// tests can send garbage, stale answers or nothing at all.
func rawUpstream(t testing.TB, reply func(q *miekg.Msg) [][]byte) netip.AddrPort {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pc.Close() })
	go func() {
		buf := make([]byte, 4096)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			q := new(miekg.Msg)
			if q.Unpack(buf[:n]) != nil {
				continue
			}
			for _, d := range reply(q) {
				_, _ = pc.WriteTo(d, from)
			}
		}
	}()
	return addrPortOf(pc.LocalAddr())
}

// deadPort is a loopback UDP port with nobody behind it: queries get ICMP
// port unreachable at once.
func deadPort(t testing.TB) netip.AddrPort {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ap := addrPortOf(pc.LocalAddr())
	_ = pc.Close()
	return ap
}

func pack(t testing.TB, m *miekg.Msg) []byte {
	b, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// countingDial counts dials per network.
type countingDial struct {
	mu    sync.Mutex
	dials map[string]int
}

func (d *countingDial) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	d.mu.Lock()
	if d.dials == nil {
		d.dials = map[string]int{}
	}
	d.dials[network+" "+addr]++
	d.mu.Unlock()
	return (&net.Dialer{}).DialContext(ctx, network, addr)
}

func (d *countingDial) count(network string, ap netip.AddrPort) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.dials[network+" "+ap.String()]
}

func ask(t testing.TB, u *upstreamSet, name string, timeout time.Duration) (*miekg.Msg, error) {
	t.Helper()
	q, _ := upstreamQuery(query(name, miekg.TypeA))
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return u.exchange(ctx, q)
}

func static(servers ...netip.AddrPort) func() []netip.AddrPort {
	return func() []netip.AddrPort { return servers }
}

func TestUpstreamReusesSockets(t *testing.T) {
	up := startUpstream(t)
	server := netip.MustParseAddrPort(up.addr)
	var d countingDial
	u := newUpstreamSet(static(server), d.dial)
	defer u.close()
	for range 50 {
		if _, err := ask(t, u, "www.example", 2*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	if n := d.count("udp", server); n != 1 {
		t.Errorf("%d UDP dials for 50 sequential queries, want 1", n)
	}
}

func TestUpstreamFailsOverAndPrefersTheWorkingOne(t *testing.T) {
	up := startUpstream(t)
	dead, good := deadPort(t), netip.MustParseAddrPort(up.addr)
	var d countingDial
	u := newUpstreamSet(static(dead, good), d.dial)
	defer u.close()
	for range 3 {
		resp, err := ask(t, u, "www.example", 2*time.Second)
		if err != nil || len(resp.Answer) != 1 {
			t.Fatalf("answer %v, err %v", resp, err)
		}
	}
	if n := d.count("udp", dead); n != 1 {
		t.Errorf("dead upstream dialled %d times, want once (then the working one is preferred)", n)
	}
}

func TestUpstreamSilentOneGetsOnlyItsShare(t *testing.T) {
	up := startUpstream(t)
	silent := rawUpstream(t, func(*miekg.Msg) [][]byte { return nil })
	u := newUpstreamSet(static(silent, netip.MustParseAddrPort(up.addr)), (&net.Dialer{}).DialContext)
	defer u.close()
	resp, err := ask(t, u, "www.example", time.Second)
	if err != nil || len(resp.Answer) != 1 {
		t.Fatalf("answer %v, err %v; the second upstream must get time after the silent first", resp, err)
	}
}

func TestUpstreamSkipsGarbageAndStaleDatagrams(t *testing.T) {
	server := rawUpstream(t, func(q *miekg.Msg) [][]byte {
		stale := upstreamAnswer(q)
		stale.Id = q.Id + 1
		other := upstreamAnswer(query("other.example", miekg.TypeA))
		other.Id = q.Id
		notResponse := upstreamAnswer(q)
		notResponse.Response = false
		return [][]byte{[]byte("garbage"), pack(t, stale), pack(t, other), pack(t, notResponse), pack(t, upstreamAnswer(q))}
	})
	u := newUpstreamSet(static(server), (&net.Dialer{}).DialContext)
	defer u.close()
	resp, err := ask(t, u, "www.example", 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Answer) != 1 || resp.Answer[0].(*miekg.A).A.String() != "192.0.2.80" {
		t.Errorf("answer %v", resp.Answer)
	}
}

func TestUpstreamTruncatedAnswerIsFetchedOverTCP(t *testing.T) {
	up := startUpstream(t)
	u := newUpstreamSet(static(netip.MustParseAddrPort(up.addr)), (&net.Dialer{}).DialContext)
	defer u.close()
	resp, err := ask(t, u, bigName, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Truncated || len(resp.Answer) != 200 || up.tcpQueries.Load() != 1 {
		t.Errorf("TC=%v, %d answers, %d TCP queries; want the whole answer over TCP", resp.Truncated, len(resp.Answer), up.tcpQueries.Load())
	}
}

func TestUpstreamKeepsTruncatedAnswerWhenTCPFails(t *testing.T) {
	server := rawUpstream(t, func(q *miekg.Msg) [][]byte {
		m := upstreamAnswer(query("www.example", miekg.TypeA))
		m.Id, m.Truncated = q.Id, true
		return [][]byte{pack(t, m)}
	})
	u := newUpstreamSet(static(server), (&net.Dialer{}).DialContext) // nobody listens on TCP
	defer u.close()
	resp, err := ask(t, u, "www.example", 2*time.Second)
	if err != nil || !resp.Truncated {
		t.Errorf("got %v, %v; want the truncated answer", resp, err)
	}
}

func TestUpstreamServfailTriesTheNext(t *testing.T) {
	failing := rawUpstream(t, func(q *miekg.Msg) [][]byte {
		m := new(miekg.Msg)
		m.SetRcode(q, miekg.RcodeServerFailure)
		return [][]byte{pack(t, m)}
	})
	up := startUpstream(t)
	u := newUpstreamSet(static(failing, netip.MustParseAddrPort(up.addr)), (&net.Dialer{}).DialContext)
	defer u.close()
	resp, err := ask(t, u, "www.example", 2*time.Second)
	if err != nil || resp.Rcode != miekg.RcodeSuccess {
		t.Fatalf("got %v, %v", resp, err)
	}
	only := newUpstreamSet(static(failing), (&net.Dialer{}).DialContext)
	defer only.close()
	if _, err := ask(t, only, "www.example", 2*time.Second); !errors.Is(err, errUpstreamRcode) {
		t.Errorf("err = %v, want errUpstreamRcode", err)
	}
}

func TestUpstreamWithoutServers(t *testing.T) {
	u := newUpstreamSet(static(), (&net.Dialer{}).DialContext)
	if _, err := ask(t, u, "www.example", time.Second); !errors.Is(err, errNoUpstreams) {
		t.Errorf("err = %v", err)
	}
}

func TestUpstreamClosesSocketsOfRemovedServers(t *testing.T) {
	a, b := startUpstream(t), startUpstream(t)
	var current atomic.Pointer[[]netip.AddrPort]
	both := []netip.AddrPort{netip.MustParseAddrPort(a.addr), netip.MustParseAddrPort(b.addr)}
	current.Store(&both)
	u := newUpstreamSet(func() []netip.AddrPort { return *current.Load() }, (&net.Dialer{}).DialContext)
	if _, err := ask(t, u, "www.example", time.Second); err != nil {
		t.Fatal(err)
	}
	onlyB := both[1:]
	current.Store(&onlyB)
	if _, err := ask(t, u, "www.example", time.Second); err != nil {
		t.Fatal(err)
	}
	u.mu.Lock()
	_, kept := u.pools[both[0]]
	u.mu.Unlock()
	if kept {
		t.Error("the removed upstream's pool was kept")
	}
	u.close()
	if _, err := ask(t, u, "www.example", time.Second); !errors.Is(err, net.ErrClosed) {
		t.Errorf("after close: %v, want net.ErrClosed", err)
	}
}

// fakeExchanger answers from upstreamAnswer, or fails with err.
type fakeExchanger struct{ err error }

func (f fakeExchanger) exchange(_ context.Context, q *miekg.Msg) (*miekg.Msg, error) {
	if f.err != nil {
		return nil, f.err
	}
	return upstreamAnswer(q), nil
}

func TestForwardHandler(t *testing.T) {
	stats := new(counters)
	r := query("WWW.Example", miekg.TypeA)
	r.Id = 0
	r.RecursionDesired = false
	w := newFakeWriter("10.0.0.1", false)
	q := query("www.example", miekg.TypeA)
	rcode, err := forwardHandler(fakeExchanger{}, time.Second, stats).ServeDNS(context.Background(), w, r)
	if err != nil || rcode != miekg.RcodeNameError { // the fake zone is lower case only
		t.Fatalf("rcode %s, err %v", miekg.RcodeToString[rcode], err)
	}
	if m := w.last(t); m.Id != 0 || m.Question[0].Name != "WWW.Example." || m.RecursionDesired || !m.RecursionAvailable {
		t.Errorf("reply header/question not the client's: %v", m)
	}
	rcode, err = forwardHandler(fakeExchanger{err: errNoUpstreams}, time.Second, stats).ServeDNS(context.Background(), newFakeWriter("10.0.0.1", false), q)
	if rcode != miekg.RcodeServerFailure || !errors.Is(err, errNoUpstreams) {
		t.Errorf("failing upstream: %s, %v", miekg.RcodeToString[rcode], err)
	}
	if stats.forwarded.Load() != 2 || stats.upstreamErrors.Load() != 1 {
		t.Errorf("forwarded %d, errors %d", stats.forwarded.Load(), stats.upstreamErrors.Load())
	}
}
