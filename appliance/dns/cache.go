package dns

import (
	"container/list"
	"context"
	"sync"
	"time"

	miekg "github.com/miekg/dns"
)

const (
	// maxCacheTTL bounds how long an answer is kept, whatever its TTL.
	maxCacheTTL = time.Hour
	// maxNegativeTTL bounds negative caching (RFC 2308 section 5).
	maxNegativeTTL = 5 * time.Minute
	// maxCachedLen keeps the cache's memory bounded: at most this many bytes
	// per entry (answers fetched over TCP can reach 64 KiB).
	maxCachedLen = 4096
)

// cacheKey tells apart the answers a query may get. DO and CD change what an
// upstream returns (signatures, unvalidated data), so they are part of it.
type cacheKey struct {
	name          string
	qtype, qclass uint16
	do, cd        bool
}

func cacheKeyOf(r *miekg.Msg) (cacheKey, bool) {
	q, ok := question(r)
	if !ok {
		return cacheKey{}, false
	}
	opt := r.IsEdns0()
	return cacheKey{canonicalName(q.Name), q.Qtype, q.Qclass, opt != nil && opt.Do(), r.CheckingDisabled}, true
}

type cacheEntry struct {
	key     cacheKey
	msg     *miekg.Msg // never modified once stored; readers copy it
	stored  time.Time
	expires time.Time
}

// cache is a bounded LRU of upstream answers that expire with their TTL.
type cache struct {
	max int
	now func() time.Time

	mu    sync.Mutex
	lru   *list.List // of *cacheEntry, most recently used first
	index map[cacheKey]*list.Element
}

func newCache(maxEntries int, now func() time.Time) *cache {
	return &cache{max: maxEntries, now: now, lru: list.New(), index: make(map[cacheKey]*list.Element)}
}

// get returns a copy of a live entry with its TTLs aged.
func (c *cache) get(k cacheKey) (*miekg.Msg, bool) {
	now := c.now()
	c.mu.Lock()
	el, ok := c.index[k]
	if !ok {
		c.mu.Unlock()
		return nil, false
	}
	e := el.Value.(*cacheEntry)
	if !now.Before(e.expires) || now.Before(e.stored) {
		c.remove(el)
		c.mu.Unlock()
		return nil, false
	}
	c.lru.MoveToFront(el)
	c.mu.Unlock()
	m := e.msg.Copy()
	ageTTLs(m, uint32(now.Sub(e.stored)/time.Second))
	return m, true
}

// store keeps a copy of m if it may be cached.
func (c *cache) store(k cacheKey, m *miekg.Msg) {
	ttl, ok := cacheTTL(m)
	if !ok || m.Len() > maxCachedLen {
		return
	}
	kept := m.Copy()
	fitEDNS(kept, nil)
	capTTLs(kept, uint32(ttl/time.Second))
	now := c.now()
	c.put(&cacheEntry{key: k, msg: kept, stored: now, expires: now.Add(ttl)})
}

func (c *cache) put(e *cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.index[e.key]; ok {
		el.Value = e
		c.lru.MoveToFront(el)
		return
	}
	c.index[e.key] = c.lru.PushFront(e)
	for c.lru.Len() > c.max {
		c.remove(c.lru.Back())
	}
}

func (c *cache) remove(el *list.Element) {
	delete(c.index, el.Value.(*cacheEntry).key)
	c.lru.Remove(el)
}

// len is the number of entries, expired ones included.
func (c *cache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}

// cacheTTL says how long m may be cached: the smallest TTL of its records for
// an answer; for NXDOMAIN and NODATA, the SOA's TTL capped by its minimum
// field (RFC 2308). Truncated answers, errors and negative answers without an
// SOA are not cached.
func cacheTTL(m *miekg.Msg) (time.Duration, bool) {
	if m.Truncated {
		return 0, false
	}
	switch {
	case m.Rcode == miekg.RcodeSuccess && len(m.Answer) > 0:
		return positiveTTL(m)
	case m.Rcode == miekg.RcodeSuccess, m.Rcode == miekg.RcodeNameError:
		return negativeTTL(m)
	}
	return 0, false
}

func positiveTTL(m *miekg.Msg) (time.Duration, bool) {
	least := uint32(maxCacheTTL / time.Second)
	forEachRR(m, func(h *miekg.RR_Header) { least = min(least, h.Ttl) })
	return time.Duration(least) * time.Second, least > 0
}

func negativeTTL(m *miekg.Msg) (time.Duration, bool) {
	for _, rr := range m.Ns {
		if soa, ok := rr.(*miekg.SOA); ok {
			ttl := min(soa.Hdr.Ttl, soa.Minttl, uint32(maxNegativeTTL/time.Second))
			return time.Duration(ttl) * time.Second, ttl > 0
		}
	}
	return 0, false
}

// capTTLs lowers every TTL above limit to it, so that no record claims to
// live longer than the cache keeps it.
func capTTLs(m *miekg.Msg, limit uint32) {
	forEachRR(m, func(h *miekg.RR_Header) { h.Ttl = min(h.Ttl, limit) })
}

// ageTTLs subtracts the time an answer spent in the cache from its TTLs.
func ageTTLs(m *miekg.Msg, age uint32) {
	forEachRR(m, func(h *miekg.RR_Header) { h.Ttl -= min(h.Ttl, age) })
}

func forEachRR(m *miekg.Msg, fn func(*miekg.RR_Header)) {
	for _, section := range [][]miekg.RR{m.Answer, m.Ns, m.Extra} {
		for _, rr := range section {
			if h := rr.Header(); h.Rrtype != miekg.TypeOPT {
				fn(h)
			}
		}
	}
}

// cacheMiddleware answers from the cache, or passes the query on and keeps
// the answer that comes back.
func cacheMiddleware(c *cache, stats *counters) Middleware {
	return func(next Handler) Handler {
		return HandlerFunc(func(ctx context.Context, w ResponseWriter, r *miekg.Msg) (int, error) {
			key, ok := cacheKeyOf(r)
			if !ok {
				return next.ServeDNS(ctx, w, r)
			}
			if m, ok := c.get(key); ok {
				stats.cacheHits.Add(1)
				return m.Rcode, w.WriteMsg(replyFromCache(r, m))
			}
			stats.cacheMisses.Add(1)
			return next.ServeDNS(ctx, &cachingWriter{ResponseWriter: w, cache: c, key: key}, r)
		})
	}
}

// replyFromCache makes a cached answer the reply to r: its ID, its flags, and
// the question as the client spelled it.
func replyFromCache(r, m *miekg.Msg) *miekg.Msg {
	m.Id = r.Id
	m.Response = true
	m.RecursionDesired = r.RecursionDesired
	m.Question = r.Question
	return m
}

// cachingWriter stores the answer on its way to the client.
type cachingWriter struct {
	ResponseWriter
	cache *cache
	key   cacheKey
}

func (w *cachingWriter) WriteMsg(m *miekg.Msg) error {
	w.cache.store(w.key, m)
	return w.ResponseWriter.WriteMsg(m)
}
