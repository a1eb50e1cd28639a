package app

import (
	"log/slog"
	"net/netip"
	"sync/atomic"
	"testing"

	"github.com/psobox/psobox/appliance/dns"
)

// Counters and the lookup list run on across reloads: no total goes down
// and a console's lookups before and after are one entry.
func TestLiveDNSKeepsHistoryAcrossReloads(t *testing.T) {
	upstream := fakeUpstream(t)
	l := runDNS(t, serverConfig(t, upstream, ""), slog.New(slog.DiscardHandler))
	var heard atomic.Int64
	cancel := l.SubscribeLookups(func(dns.Lookup) { heard.Add(1) })
	defer cancel()
	addr := l.udpAddr()
	const psoName = "gc01.st-pso.games.sega.net"
	want := netip.MustParseAddr("10.0.0.55")
	for i := range 3 {
		if got := resolveA(t, addr, psoName); got != want {
			t.Fatalf("round %d: %s = %v, want %v", i, psoName, got, want)
		}
		resolveA(t, addr, "example.org") // forwarded
		before := l.Stats()
		if err := l.reload(serverConfig(t, upstream, "cache_entries = 0")); err != nil {
			t.Fatalf("reload %d: %v", i, err)
		}
		if after := l.Stats(); after.Forwarded < before.Forwarded || after.GameAddrAnswers < before.GameAddrAnswers {
			t.Fatalf("reload %d: counters went down: %+v -> %+v", i, before, after)
		}
	}
	st := l.Stats()
	if st.Queries != 6 || st.GameAddrAnswers != 3 || st.Forwarded != 3 {
		t.Errorf("stats = %+v; want 6 queries, 3 game answers, 3 forwarded", st)
	}
	lookups := l.Lookups()
	if len(lookups) != 1 || lookups[0].Count != 3 || lookups[0].Name != psoName {
		t.Errorf("lookups = %+v; want one entry for %s with count 3", lookups, psoName)
	}
	if heard.Load() != 3 {
		t.Errorf("subscriber heard %d lookups, want 3", heard.Load())
	}
}

func TestLiveDNSReloadRefusesBadSettings(t *testing.T) {
	upstream := fakeUpstream(t)
	l := runDNS(t, serverConfig(t, upstream, ""), slog.New(slog.DiscardHandler))
	cfg := serverConfig(t, upstream, "")
	cfg.DNS.CacheEntries = -1 // validation would refuse it; dns.New does too
	if err := l.reload(cfg); err == nil {
		t.Fatal("reload with a negative cache size succeeded")
	}
	if got := resolveA(t, l.udpAddr(), "gc01.st-pso.games.sega.net"); got != netip.MustParseAddr("10.0.0.55") {
		t.Errorf("after the refused reload the PSO name = %v", got)
	}
}
