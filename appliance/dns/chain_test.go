package dns

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	miekg "github.com/miekg/dns"
)

// answering is a final handler that answers every query with one A record.
func answering() Handler {
	return HandlerFunc(func(_ context.Context, w ResponseWriter, r *miekg.Msg) (int, error) {
		m := newReply(r)
		m.Answer = []miekg.RR{&miekg.A{Hdr: miekg.RR_Header{Name: r.Question[0].Name, Rrtype: miekg.TypeA, Class: miekg.ClassINET, Ttl: 1}, A: net.IPv4(192, 0, 2, 1)}}
		return miekg.RcodeSuccess, w.WriteMsg(m)
	})
}

func TestChainRunsMiddlewaresInOrder(t *testing.T) {
	var order []string
	mark := func(name string) Middleware {
		return func(next Handler) Handler {
			return HandlerFunc(func(ctx context.Context, w ResponseWriter, r *miekg.Msg) (int, error) {
				order = append(order, name)
				return next.ServeDNS(ctx, w, r)
			})
		}
	}
	h := Chain(answering(), mark("a"), mark("b"), mark("c"))
	if _, err := h.ServeDNS(context.Background(), newFakeWriter("10.0.0.1", false), query("x.test", miekg.TypeA)); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a", "b", "c"}, order); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}

func TestACL(t *testing.T) {
	allow, err := newAllowList([]netip.Prefix{netip.MustParsePrefix("10.55.0.0/24")}, []netip.Prefix{netip.MustParsePrefix("::ffff:192.168.1.0/120")}, loopbackPrefixes())
	if err != nil {
		t.Fatal(err)
	}
	h := Chain(answering(), aclMiddleware(allow))
	for _, tc := range []struct {
		client string
		want   int
	}{
		{"10.55.0.23", miekg.RcodeSuccess},
		{"::ffff:10.55.0.23", miekg.RcodeSuccess},
		{"192.168.1.77", miekg.RcodeSuccess},
		{"127.0.0.1", miekg.RcodeSuccess},
		{"::1", miekg.RcodeSuccess},
		{"10.55.1.23", miekg.RcodeRefused},
		{"203.0.113.9", miekg.RcodeRefused},
		{"2001:db8::1", miekg.RcodeRefused},
	} {
		w := newFakeWriter(tc.client, false)
		rcode, err := h.ServeDNS(context.Background(), w, query("x.test", miekg.TypeA))
		if rcode != tc.want {
			t.Errorf("%s: rcode %s (%v), want %s", tc.client, miekg.RcodeToString[rcode], err, miekg.RcodeToString[tc.want])
		}
		if tc.want == miekg.RcodeRefused && (err == nil || len(w.msgs) != 0) {
			t.Errorf("%s: refusal must leave the reply to the server and say why: err=%v, replies=%d", tc.client, err, len(w.msgs))
		}
	}
}

func TestACLRejectsInvalidPrefix(t *testing.T) {
	if _, err := newAllowList([]netip.Prefix{{}}); err == nil {
		t.Error("zero prefix accepted")
	}
}

func TestRateLimiterBurstThenRefill(t *testing.T) {
	clock := newFakeClock()
	l := newRateLimiter(3, 100, clock.Now)
	a, b := netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.2")
	var got []bool
	for range 4 {
		got = append(got, l.allow(a))
	}
	got = append(got, l.allow(b)) // another source has its own bucket
	clock.Advance(334 * time.Millisecond)
	got = append(got, l.allow(a), l.allow(a)) // one token back after a third of a second
	if diff := cmp.Diff([]bool{true, true, true, false, true, true, false}, got); diff != "" {
		t.Errorf("allow sequence (-want +got):\n%s", diff)
	}
}

func TestRateLimiterGroupsIPv6By64(t *testing.T) {
	l := newRateLimiter(1, 100, newFakeClock().Now)
	if !l.allow(netip.MustParseAddr("2001:db8::1")) {
		t.Fatal("first query refused")
	}
	if l.allow(netip.MustParseAddr("2001:db8::ffff:2")) {
		t.Error("a second address in the same /64 got a fresh bucket")
	}
	if !l.allow(netip.MustParseAddr("2001:db8:0:1::1")) {
		t.Error("another /64 shares the bucket")
	}
}

func TestRateLimiterTableIsBounded(t *testing.T) {
	l := newRateLimiter(1, 64, newFakeClock().Now)
	for i := range 1000 {
		l.allow(netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)}))
		if n := len(l.buckets); n > 64 {
			t.Fatalf("table grew to %d entries", n)
		}
	}
}

func TestRateLimiterForgetsIdleSourcesFirst(t *testing.T) {
	clock := newFakeClock()
	l := newRateLimiter(1, 64, clock.Now)
	for i := range 63 {
		l.allow(netip.AddrFrom4([4]byte{10, 0, 0, byte(i)}))
	}
	clock.Advance(2 * time.Second) // the 63 refill: forgetting them loses nothing
	busy := netip.MustParseAddr("10.9.9.9")
	l.allow(busy) // fills the table with a source that has spent its token
	l.allow(netip.MustParseAddr("10.9.9.10"))
	if l.allow(busy) {
		t.Error("the busy source's empty bucket was evicted while idle ones were kept")
	}
}

func TestRateLimitMiddlewareDropsUDPRefusesTCP(t *testing.T) {
	l := newRateLimiter(1, 100, newFakeClock().Now)
	h := Chain(answering(), rateLimitMiddleware(l))
	r := query("x.test", miekg.TypeA)
	if rcode, _ := h.ServeDNS(context.Background(), newFakeWriter("10.0.0.1", false), r); rcode != miekg.RcodeSuccess {
		t.Fatalf("first query: %s", miekg.RcodeToString[rcode])
	}
	w := newFakeWriter("10.0.0.1", false)
	if _, err := h.ServeDNS(context.Background(), w, r); !errors.Is(err, ErrDropped) || len(w.msgs) != 0 {
		t.Errorf("over the limit over UDP: err=%v replies=%d, want a silent drop", err, len(w.msgs))
	}
	rcode, err := h.ServeDNS(context.Background(), newFakeWriter("10.0.0.1", true), r)
	if rcode != miekg.RcodeRefused || errors.Is(err, ErrDropped) {
		t.Errorf("over the limit over TCP: %s %v, want REFUSED", miekg.RcodeToString[rcode], err)
	}
}

func TestMinimalAny(t *testing.T) {
	called := false
	next := HandlerFunc(func(context.Context, ResponseWriter, *miekg.Msg) (int, error) {
		called = true
		return miekg.RcodeSuccess, nil
	})
	w := newFakeWriter("10.0.0.1", false)
	if _, err := Chain(next, minimalAnyMiddleware()).ServeDNS(context.Background(), w, query("example.com", miekg.TypeANY)); err != nil {
		t.Fatal(err)
	}
	if called {
		t.Error("ANY was passed on")
	}
	m := w.last(t)
	if len(m.Answer) != 1 {
		t.Fatalf("answer = %v", m.Answer)
	}
	if h, ok := m.Answer[0].(*miekg.HINFO); !ok || h.Cpu != "RFC8482" {
		t.Errorf("answer = %v, want the RFC 8482 HINFO", m.Answer[0])
	}
}
