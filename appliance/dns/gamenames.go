package dns

import (
	"context"

	miekg "github.com/miekg/dns"
)

// gameAddrTTL is the TTL of our game server answers: short, so that consoles
// follow a changed address within a minute (newserv uses the same).
const gameAddrTTL = 60

// psoNamesMiddleware answers queries for PSO hostnames itself and passes every
// other name on.
func psoNamesMiddleware(names hostnameTable, policy gameAddrPolicy, c *counters) Middleware {
	return func(next Handler) Handler {
		return HandlerFunc(func(ctx context.Context, w ResponseWriter, r *miekg.Msg) (int, error) {
			q, ok := question(r)
			if !ok {
				return next.ServeDNS(ctx, w, r)
			}
			if _, ok := names.lookup(q.Name); !ok {
				return next.ServeDNS(ctx, w, r)
			}
			return answerGameAddr(w, r, q, policy, c)
		})
	}
}

// catchAllHandler answers every name like a PSO name, as newserv does: it
// ends the chain instead of the cache and the forwarder.
func catchAllHandler(policy gameAddrPolicy, c *counters) Handler {
	return HandlerFunc(func(ctx context.Context, w ResponseWriter, r *miekg.Msg) (int, error) {
		q, ok := question(r)
		if !ok {
			return miekg.RcodeFormatError, nil
		}
		return answerGameAddr(w, r, q, policy, c)
	})
}

// answerGameAddr answers an IN A query with the game server address for this
// client, and any other type or class with an empty NOERROR (NODATA), which
// tells an IPv6-capable client there is no AAAA without sending it elsewhere.
func answerGameAddr(w ResponseWriter, r *miekg.Msg, q miekg.Question, policy gameAddrPolicy, c *counters) (int, error) {
	m := newReply(r)
	m.Authoritative = true
	if q.Qtype == miekg.TypeA && q.Qclass == miekg.ClassINET {
		addr, err := policy.forClient(clientAddr(w), localAddr(w))
		if err != nil {
			return miekg.RcodeServerFailure, err
		}
		m.Answer = []miekg.RR{&miekg.A{
			Hdr: miekg.RR_Header{Name: q.Name, Rrtype: miekg.TypeA, Class: miekg.ClassINET, Ttl: gameAddrTTL},
			A:   addr.AsSlice(),
		}}
		c.gameAddrAnswers.Add(1)
	}
	return miekg.RcodeSuccess, w.WriteMsg(m)
}
