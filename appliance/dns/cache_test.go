package dns

import (
	"context"
	"net"
	"testing"
	"time"

	miekg "github.com/miekg/dns"
)

func soa(ttl, minimum uint32) *miekg.SOA {
	return &miekg.SOA{Hdr: miekg.RR_Header{Name: "example.", Rrtype: miekg.TypeSOA, Class: miekg.ClassINET, Ttl: ttl}, Ns: "ns.example.", Mbox: "a.example.", Minttl: minimum}
}

func aRecord(name string, ttl uint32) *miekg.A {
	return &miekg.A{Hdr: miekg.RR_Header{Name: name, Rrtype: miekg.TypeA, Class: miekg.ClassINET, Ttl: ttl}, A: net.IPv4(192, 0, 2, 1)}
}

func TestCacheTTL(t *testing.T) {
	msg := func(rcode int, answer, ns []miekg.RR, truncated bool) *miekg.Msg {
		m := &miekg.Msg{Answer: answer, Ns: ns}
		m.Rcode, m.Truncated = rcode, truncated
		m.SetEdns0(1232, false) // OPT's "TTL" holds flags and must be ignored
		return m
	}
	a := func(ttl uint32) miekg.RR { return aRecord("x.example.", ttl) }
	for _, tc := range []struct {
		name string
		m    *miekg.Msg
		want time.Duration // 0: not cached
	}{
		{"smallest TTL of the answer", msg(miekg.RcodeSuccess, []miekg.RR{a(300), a(120)}, nil, false), 120 * time.Second},
		{"authority counts too", msg(miekg.RcodeSuccess, []miekg.RR{a(300)}, []miekg.RR{soa(60, 600)}, false), 60 * time.Second},
		{"capped", msg(miekg.RcodeSuccess, []miekg.RR{a(86400)}, nil, false), maxCacheTTL},
		{"zero TTL is not cached", msg(miekg.RcodeSuccess, []miekg.RR{a(0)}, nil, false), 0},
		{"NXDOMAIN uses SOA minimum", msg(miekg.RcodeNameError, nil, []miekg.RR{soa(600, 30)}, false), 30 * time.Second},
		{"NODATA uses SOA TTL when smaller", msg(miekg.RcodeSuccess, nil, []miekg.RR{soa(20, 30)}, false), 20 * time.Second},
		{"negative capped", msg(miekg.RcodeNameError, nil, []miekg.RR{soa(86400, 86400)}, false), maxNegativeTTL},
		{"negative without SOA", msg(miekg.RcodeNameError, nil, nil, false), 0},
		{"SERVFAIL", msg(miekg.RcodeServerFailure, nil, nil, false), 0},
		{"REFUSED", msg(miekg.RcodeRefused, []miekg.RR{a(300)}, nil, false), 0},
		{"truncated", msg(miekg.RcodeSuccess, []miekg.RR{a(300)}, nil, true), 0},
	} {
		got, ok := cacheTTL(tc.m)
		if !ok {
			got = 0
		}
		if got != tc.want {
			t.Errorf("%s: got %v (%v), want %v", tc.name, got, ok, tc.want)
		}
	}
}

func TestCacheAgesAndExpires(t *testing.T) {
	clock := newFakeClock()
	c := newCache(10, clock.Now)
	k := cacheKey{name: "x.example.", qtype: miekg.TypeA, qclass: miekg.ClassINET}
	m := &miekg.Msg{Answer: []miekg.RR{aRecord("x.example.", 100), aRecord("x.example.", 7200)}}
	c.store(k, m)
	m.Answer[0].Header().Ttl = 1 // the cache kept its own copy
	clock.Advance(40 * time.Second)
	got, ok := c.get(k)
	if !ok {
		t.Fatal("miss")
	}
	// Both records are capped to the entry's lifetime, then aged: no client
	// keeps a record longer than the cache does.
	if ttl0, ttl1 := got.Answer[0].Header().Ttl, got.Answer[1].Header().Ttl; ttl0 != 60 || ttl1 != 60 {
		t.Errorf("TTLs %d, %d; want 60 and 60", ttl0, ttl1)
	}
	got.Answer[0].Header().Ttl = 9999 // readers get copies
	clock.Advance(59 * time.Second)
	if again, ok := c.get(k); !ok || again.Answer[0].Header().Ttl != 1 {
		t.Fatalf("at 99 s: %v, %v; want a hit with TTL 1", again, ok)
	}
	clock.Advance(time.Second)
	if _, ok := c.get(k); ok {
		t.Error("hit at 100 s, after the TTL")
	}
	if c.len() != 0 {
		t.Errorf("expired entry kept: %d entries", c.len())
	}
}

func TestCacheEvictsLeastRecentlyUsed(t *testing.T) {
	c := newCache(2, newFakeClock().Now)
	key := func(n string) cacheKey { return cacheKey{name: n, qtype: miekg.TypeA, qclass: miekg.ClassINET} }
	for _, n := range []string{"a.", "b."} {
		c.store(key(n), &miekg.Msg{Answer: []miekg.RR{aRecord(n, 60)}})
	}
	c.get(key("a.")) // b is now the least recently used
	c.store(key("c."), &miekg.Msg{Answer: []miekg.RR{aRecord("c.", 60)}})
	_, hasA := c.get(key("a."))
	_, hasB := c.get(key("b."))
	_, hasC := c.get(key("c."))
	if !hasA || hasB || !hasC || c.len() != 2 {
		t.Errorf("a=%v b=%v c=%v len=%d; want a and c kept, b evicted", hasA, hasB, hasC, c.len())
	}
}

func TestCacheSkipsHugeAnswers(t *testing.T) {
	c := newCache(10, newFakeClock().Now)
	k := cacheKey{name: bigName, qtype: miekg.TypeA, qclass: miekg.ClassINET}
	c.store(k, upstreamAnswer(query(bigName, miekg.TypeA)))
	if c.len() != 0 {
		t.Error("an answer larger than maxCachedLen was cached")
	}
}

func TestCacheMiddlewareKeysOnFlags(t *testing.T) {
	stats := new(counters)
	calls := 0
	next := HandlerFunc(func(ctx context.Context, w ResponseWriter, r *miekg.Msg) (int, error) {
		calls++
		m := newReply(r)
		m.Answer = []miekg.RR{aRecord(r.Question[0].Name, 60)}
		return miekg.RcodeSuccess, w.WriteMsg(m)
	})
	h := Chain(next, cacheMiddleware(newCache(10, newFakeClock().Now), stats))
	plain := query("x.example", miekg.TypeA)
	upper := query("X.EXAMPLE", miekg.TypeA)
	upper.Id = 0
	withDO := query("x.example", miekg.TypeA)
	withDO.SetEdns0(1232, true)
	for _, r := range []*miekg.Msg{plain, upper, withDO, withDO} {
		w := newFakeWriter("10.0.0.1", false)
		if _, err := h.ServeDNS(context.Background(), w, r); err != nil {
			t.Fatal(err)
		}
		if got := w.last(t); got.Id != r.Id || got.Question[0].Name != r.Question[0].Name {
			t.Errorf("reply %d %q to query %d %q: ID and question must be the client's", got.Id, got.Question[0].Name, r.Id, r.Question[0].Name)
		}
	}
	if calls != 2 || stats.cacheHits.Load() != 2 || stats.cacheMisses.Load() != 2 {
		t.Errorf("upstream calls %d, hits %d, misses %d; want 2, 2, 2 (case-insensitive, DO apart)", calls, stats.cacheHits.Load(), stats.cacheMisses.Load())
	}
}
