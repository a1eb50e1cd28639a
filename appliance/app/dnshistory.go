package app

import (
	"cmp"
	"slices"

	"github.com/psobox/psobox/appliance/dns"
)

// maxLookups bounds the merged lookup list like the DNS server bounds its
// own.
const maxLookups = 256

// dnsHistory is what DNS settings replaced by reloads counted and saw.
type dnsHistory struct {
	stats   dns.Stats // only the counters kept behind the front link (see innerStats)
	lookups []dns.Lookup
}

func (h *dnsHistory) add(st dns.Stats, lookups []dns.Lookup) {
	h.stats = addInner(h.stats, st)
	h.lookups = mergeLookups(h.lookups, lookups)
}

// addInner adds the counters only links behind liveDNS's front link keep:
// the base server's own front link (metrics) counts every query's outcome,
// whichever settings answered it, so those are taken from the base alone.
func addInner(a, b dns.Stats) dns.Stats {
	a.GameAddrAnswers += b.GameAddrAnswers
	a.CacheHits += b.CacheHits
	a.CacheMisses += b.CacheMisses
	a.Forwarded += b.Forwarded
	a.UpstreamErrors += b.UpstreamErrors
	return a
}

// mergeLookups joins lookup lists: one entry per client and name with the
// counts added and the most recent query's details, most recent first.
func mergeLookups(lists ...[]dns.Lookup) []dns.Lookup {
	type key struct {
		client string
		name   string
	}
	byKey := make(map[key]dns.Lookup)
	for _, list := range lists {
		for _, l := range list {
			k := key{l.Client.String(), l.Name}
			if prev, ok := byKey[k]; ok {
				l.Count += prev.Count
				if prev.Time.After(l.Time) {
					l.Time, l.Type, l.Host = prev.Time, prev.Type, prev.Host
				}
			}
			byKey[k] = l
		}
	}
	out := make([]dns.Lookup, 0, len(byKey))
	for _, l := range byKey {
		out = append(out, l)
	}
	slices.SortFunc(out, func(a, b dns.Lookup) int {
		return cmp.Or(b.Time.Compare(a.Time), cmp.Compare(a.Client.String(), b.Client.String()), cmp.Compare(a.Name, b.Name))
	})
	return out[:min(len(out), maxLookups)]
}

// Stats are the DNS counters since start, across reloads.
func (l *liveDNS) Stats() dns.Stats {
	l.mu.Lock()
	st := addInner(l.base.Stats(), l.retired.stats)
	l.mu.Unlock()
	if s := l.active.Load(); s != nil {
		st = addInner(st, s.srv.Stats())
	}
	return st
}

// Lookups are the recent PSO hostname lookups across reloads, most recent
// first, one per client and name.
func (l *liveDNS) Lookups() []dns.Lookup {
	l.mu.Lock()
	lists := [][]dns.Lookup{l.base.Lookups(), l.retired.lookups}
	l.mu.Unlock()
	if s := l.active.Load(); s != nil {
		lists = append(lists, s.srv.Lookups())
	}
	return mergeLookups(lists...)
}

// SubscribeLookups calls fn for every PSO hostname lookup from now on,
// whichever settings answered it, until cancel is called. fn runs on the
// query's goroutine and must not block.
func (l *liveDNS) SubscribeLookups(fn func(dns.Lookup)) (cancel func()) { return l.subs.Subscribe(fn) }
