package dns

import (
	"context"

	miekg "github.com/miekg/dns"
)

// anyTTL is the TTL of the synthesized ANY answer.
const anyTTL = 3600

// minimalAnyMiddleware answers every ANY query with the single synthesized
// HINFO record of RFC 8482 section 4.2 instead of expanding it upstream, so
// that a small query never buys a large reply.
func minimalAnyMiddleware() Middleware {
	return func(next Handler) Handler {
		return HandlerFunc(func(ctx context.Context, w ResponseWriter, r *miekg.Msg) (int, error) {
			q, ok := question(r)
			if !ok || q.Qtype != miekg.TypeANY {
				return next.ServeDNS(ctx, w, r)
			}
			m := newReply(r)
			m.Answer = []miekg.RR{&miekg.HINFO{
				Hdr: miekg.RR_Header{Name: q.Name, Rrtype: miekg.TypeHINFO, Class: q.Qclass, Ttl: anyTTL},
				Cpu: "RFC8482",
			}}
			return miekg.RcodeSuccess, w.WriteMsg(m)
		})
	}
}
