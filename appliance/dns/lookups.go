package dns

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"sync"
	"time"

	miekg "github.com/miekg/dns"
	"github.com/psobox/psobox/internal/fanout"
)

// defaultLookupLogSize bounds the lookup log: a LAN party has a few dozen
// consoles, each resolving one or two names.
const defaultLookupLogSize = 256

// Lookup is one client's most recent query for one PSO hostname: the console
// presence the status page shows.
type Lookup struct {
	Time   time.Time  // the most recent query
	Client netip.Addr // who asked
	Name   string     // the PSO hostname, lower case, without the trailing dot
	Type   string     // query type of the most recent query ("A", "AAAA", ...)
	Count  int        // queries for this name from this client since it entered the log
	Host   Hostname   // the table entry: platform, version, source
}

// String describes the lookup for people: "GameCube at 10.55.0.23 looked up
// gc01.st-pso.games.sega.net → PSO GC US".
func (l Lookup) String() string {
	return fmt.Sprintf("%s at %v looked up %s → %s", l.Host.Platform.Device(), l.Client, l.Name, l.Host.Label)
}

// lookupLog keeps the most recent lookup per client and name, at most max of
// them, evicting the least recent; subscribers hear of every lookup.
type lookupLog struct {
	max int

	subs fanout.Set[Lookup]

	mu      sync.Mutex
	entries []Lookup // least recent first
}

func newLookupLog(size int) *lookupLog {
	return &lookupLog{max: size}
}

// record files l, merging it with the same client's earlier query for the
// same name, then tells the subscribers.
func (g *lookupLog) record(l Lookup) {
	g.mu.Lock()
	l.Count = 1
	if i := g.index(l.Client, l.Name); i >= 0 {
		l.Count += g.entries[i].Count
		g.entries = slices.Delete(g.entries, i, i+1)
	}
	if len(g.entries) >= g.max {
		g.entries = slices.Delete(g.entries, 0, len(g.entries)-g.max+1)
	}
	g.entries = append(g.entries, l)
	g.mu.Unlock()
	g.subs.Publish(l)
}

func (g *lookupLog) index(client netip.Addr, name string) int {
	return slices.IndexFunc(g.entries, func(e Lookup) bool { return e.Client == client && e.Name == name })
}

// lookups returns the log, most recent first.
func (g *lookupLog) lookups() []Lookup {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := slices.Clone(g.entries)
	slices.Reverse(out)
	return out
}

// lookupRecorderMiddleware records queries for PSO names (of any type) by
// clients that passed the ACL and the rate limiter, then passes them on.
func lookupRecorderMiddleware(names hostnameTable, log *lookupLog, now func() time.Time) Middleware {
	return func(next Handler) Handler {
		return HandlerFunc(func(ctx context.Context, w ResponseWriter, r *miekg.Msg) (int, error) {
			if q, ok := question(r); ok {
				if h, ok := names.lookup(q.Name); ok {
					log.record(Lookup{Time: now(), Client: clientAddr(w), Name: h.Name, Type: miekg.Type(q.Qtype).String(), Host: h})
				}
			}
			return next.ServeDNS(ctx, w, r)
		})
	}
}
