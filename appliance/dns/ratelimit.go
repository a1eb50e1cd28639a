package dns

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"time"

	miekg "github.com/miekg/dns"
)

// maxRateSources bounds the rate limiter's table. Only allowed (LAN) sources
// reach it, so the bound is rarely hit; when it is, idle sources go first.
const maxRateSources = 4096

// rateLimiter is a token bucket per source: perSecond tokens a second, and as
// many in reserve, so a client may burst one second's worth of queries.
type rateLimiter struct {
	perSecond float64
	max       int
	now       func() time.Time

	mu      sync.Mutex
	buckets map[netip.Addr]bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newRateLimiter(perSecond, maxSources int, now func() time.Time) *rateLimiter {
	return &rateLimiter{
		perSecond: float64(perSecond),
		max:       maxSources,
		now:       now,
		buckets:   make(map[netip.Addr]bucket),
	}
}

// allow takes a token from src's bucket and reports whether there was one.
func (l *rateLimiter) allow(src netip.Addr) bool {
	key, now := rateKey(src), l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= l.max {
			l.makeRoom(now)
		}
		b = bucket{tokens: l.perSecond, last: now}
	}
	b = l.refill(b, now)
	allowed := b.tokens >= 1
	if allowed {
		b.tokens--
	}
	l.buckets[key] = b
	return allowed
}

func (l *rateLimiter) refill(b bucket, now time.Time) bucket {
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens = min(l.perSecond, b.tokens+elapsed.Seconds()*l.perSecond)
		b.last = now
	}
	return b
}

// makeRoom forgets sources whose bucket has refilled (forgetting them changes
// nothing), then, if the table is still too full, arbitrary ones down to 7/8
// of the bound so that the next newcomers do not sweep again.
func (l *rateLimiter) makeRoom(now time.Time) {
	for k, b := range l.buckets {
		if l.refill(b, now).tokens >= l.perSecond {
			delete(l.buckets, k)
		}
	}
	for k := range l.buckets {
		if len(l.buckets) < l.max*7/8 {
			break
		}
		delete(l.buckets, k)
	}
}

// rateKey groups an IPv6 source by its /64, which one host can fill with
// addresses; an IPv4 source stands for itself.
func rateKey(a netip.Addr) netip.Addr {
	if a.Is4() {
		return a
	}
	p, _ := a.WithZone("").Prefix(64)
	return p.Addr()
}

// rateLimitMiddleware limits each source. Over UDP an over-limit query gets
// no reply, so that spoofed floods reflect nothing; over TCP, where the source
// is real, it gets REFUSED at once instead of a hang.
func rateLimitMiddleware(l *rateLimiter) Middleware {
	return func(next Handler) Handler {
		return HandlerFunc(func(ctx context.Context, w ResponseWriter, r *miekg.Msg) (int, error) {
			client := clientAddr(w)
			if l.allow(client) {
				return next.ServeDNS(ctx, w, r)
			}
			if overTCP(w) {
				return miekg.RcodeRefused, fmt.Errorf("client %v is over its rate limit", client)
			}
			return miekg.RcodeRefused, fmt.Errorf("client %v is over its rate limit: %w", client, ErrDropped)
		})
	}
}
