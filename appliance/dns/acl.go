package dns

import (
	"context"
	"fmt"
	"net/netip"

	miekg "github.com/miekg/dns"
)

// loopbackPrefixes are always allowed: the host itself (the watchdog's
// self-probe, an operator's dig on the Pi).
func loopbackPrefixes() []netip.Prefix {
	return []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
}

// allowList is the set of source prefixes that get answers.
type allowList []netip.Prefix

// newAllowList joins prefix lists, masked and with IPv4-mapped forms unmapped.
func newAllowList(lists ...[]netip.Prefix) (allowList, error) {
	var out allowList
	for _, list := range lists {
		for _, p := range list {
			if !p.IsValid() {
				return nil, fmt.Errorf("allowed prefix %v is not valid", p)
			}
			out = append(out, unmapPrefix(p).Masked())
		}
	}
	return out, nil
}

// unmapPrefix turns ::ffff:10.0.0.0/104 into 10.0.0.0/8.
func unmapPrefix(p netip.Prefix) netip.Prefix {
	if !p.Addr().Is4In6() {
		return p
	}
	return netip.PrefixFrom(p.Addr().Unmap(), max(p.Bits()-96, 0))
}

func (l allowList) allows(a netip.Addr) bool {
	for _, p := range l {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// aclMiddleware refuses every client outside the allow list, so the server
// is never an open resolver even when its port is reachable from outside.
func aclMiddleware(l allowList) Middleware {
	return func(next Handler) Handler {
		return HandlerFunc(func(ctx context.Context, w ResponseWriter, r *miekg.Msg) (int, error) {
			if client := clientAddr(w); !l.allows(client) {
				return miekg.RcodeRefused, fmt.Errorf("client %v is not in an allowed prefix", client)
			}
			return next.ServeDNS(ctx, w, r)
		})
	}
}
