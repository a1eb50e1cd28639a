package dns

import (
	"context"
	"errors"
	"sync/atomic"

	miekg "github.com/miekg/dns"
)

// Stats counts queries by outcome since the server was made. The status page
// and a Prometheus exporter read it through Server.Stats.
type Stats struct {
	Queries  uint64 // queries that reached the handler chain
	NoError  uint64 // answered NOERROR (with data or NODATA)
	NXDomain uint64
	ServFail uint64
	Refused  uint64 // not allowed, or rate-limited over TCP
	Other    uint64 // any other rcode (NOTIMP, FORMERR, ...)
	Dropped  uint64 // rate-limited over UDP: no reply at all
	Invalid  uint64 // packets ignored before the chain: not a plain query, or unparseable

	GameAddrAnswers uint64 // A queries answered with the game server address (PSO names, catch-all)
	CacheHits       uint64
	CacheMisses     uint64
	Forwarded       uint64 // queries sent upstream
	UpstreamErrors  uint64 // forwarded queries no upstream answered
}

// counters is the live, concurrently updated form of Stats.
type counters struct {
	queries, noError, nxDomain, servFail, refused, other, dropped, invalid atomic.Uint64
	gameAddrAnswers, cacheHits, cacheMisses, forwarded, upstreamErrors     atomic.Uint64
}

func (c *counters) snapshot() Stats {
	return Stats{
		Queries: c.queries.Load(), NoError: c.noError.Load(), NXDomain: c.nxDomain.Load(),
		ServFail: c.servFail.Load(), Refused: c.refused.Load(), Other: c.other.Load(),
		Dropped: c.dropped.Load(), Invalid: c.invalid.Load(),
		GameAddrAnswers: c.gameAddrAnswers.Load(), CacheHits: c.cacheHits.Load(), CacheMisses: c.cacheMisses.Load(),
		Forwarded: c.forwarded.Load(), UpstreamErrors: c.upstreamErrors.Load(),
	}
}

// countOutcome files one finished query under its outcome.
func (c *counters) countOutcome(rcode int, err error) {
	switch {
	case errors.Is(err, ErrDropped):
		c.dropped.Add(1)
	case rcode == miekg.RcodeSuccess:
		c.noError.Add(1)
	case rcode == miekg.RcodeNameError:
		c.nxDomain.Add(1)
	case rcode == miekg.RcodeServerFailure:
		c.servFail.Add(1)
	case rcode == miekg.RcodeRefused:
		c.refused.Add(1)
	default:
		c.other.Add(1)
	}
}

// metricsMiddleware is the outermost link: it sees every query and the rcode
// the chain settled on.
func metricsMiddleware(c *counters) Middleware {
	return func(next Handler) Handler {
		return HandlerFunc(func(ctx context.Context, w ResponseWriter, r *miekg.Msg) (int, error) {
			c.queries.Add(1)
			rcode, err := next.ServeDNS(ctx, w, r)
			c.countOutcome(rcode, err)
			return rcode, err
		})
	}
}
