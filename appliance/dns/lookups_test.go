package dns

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	miekg "github.com/miekg/dns"
)

func TestLookupString(t *testing.T) {
	table, _ := newHostnameTable([]string{"my.server.test"})
	gc, _ := table.lookup("gc01.st-pso.games.sega.net")
	extra, _ := table.lookup("my.server.test")
	for _, tc := range []struct {
		l    Lookup
		want string
	}{
		{Lookup{Client: netip.MustParseAddr("10.55.0.23"), Name: gc.Name, Host: gc}, "GameCube at 10.55.0.23 looked up gc01.st-pso.games.sega.net → PSO GC US"},
		{Lookup{Client: netip.MustParseAddr("10.55.0.9"), Name: extra.Name, Host: extra}, "Client at 10.55.0.9 looked up my.server.test → extra PSO hostname"},
	} {
		if got := tc.l.String(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

func TestLookupLogKeepsMostRecentPerClientAndName(t *testing.T) {
	g := newLookupLog(3)
	at := func(s int) time.Time { return time.Unix(int64(s), 0) }
	a, b := netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.2")
	g.record(Lookup{Time: at(1), Client: a, Name: "gc01", Type: "A"})
	g.record(Lookup{Time: at(2), Client: b, Name: "gc01", Type: "A"})
	g.record(Lookup{Time: at(3), Client: a, Name: "gc01", Type: "AAAA"}) // merges with the first
	g.record(Lookup{Time: at(4), Client: a, Name: "pc", Type: "A"})
	g.record(Lookup{Time: at(5), Client: b, Name: "dc", Type: "A"}) // evicts b's gc01, the least recent
	want := []Lookup{
		{Time: at(5), Client: b, Name: "dc", Type: "A", Count: 1},
		{Time: at(4), Client: a, Name: "pc", Type: "A", Count: 1},
		{Time: at(3), Client: a, Name: "gc01", Type: "AAAA", Count: 2},
	}
	if diff := cmp.Diff(want, g.lookups(), cmpopts.EquateComparable(netip.Addr{})); diff != "" {
		t.Errorf("lookups (-want +got):\n%s", diff)
	}
}

func TestLookupRecorderRecordsOnlyPSONames(t *testing.T) {
	table, _ := newHostnameTable(nil)
	g := newLookupLog(10)
	clock := newFakeClock()
	var heard []string
	cancel := g.subs.Subscribe(func(l Lookup) { heard = append(heard, l.String()) })
	h := Chain(answering(), lookupRecorderMiddleware(table, g, clock.Now))
	ask := func(name string) {
		if _, err := h.ServeDNS(context.Background(), newFakeWriter("10.55.0.23", false), query(name, miekg.TypeA)); err != nil {
			t.Fatal(err)
		}
	}
	ask("GC01.st-pso.games.sega.net")
	ask("www.example.com")
	cancel()
	ask("master.pso.dream-key.com")
	got := g.lookups()
	if len(got) != 2 || got[0].Name != "master.pso.dream-key.com" || got[1].Name != "gc01.st-pso.games.sega.net" || !got[1].Time.Equal(clock.Now()) {
		t.Errorf("lookups = %+v", got)
	}
	want := []string{"GameCube at 10.55.0.23 looked up gc01.st-pso.games.sega.net → PSO GC US"}
	if diff := cmp.Diff(want, heard); diff != "" {
		t.Errorf("subscriber heard (-want +got):\n%s", diff)
	}
}
