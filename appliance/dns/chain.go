package dns

import (
	"context"
	"errors"
	"net"
	"net/netip"

	miekg "github.com/miekg/dns"
)

// ResponseWriter is what a Handler answers through. The miekg/dns writer
// satisfies it; middlewares wrap it to observe or adjust replies.
type ResponseWriter interface {
	LocalAddr() net.Addr
	RemoteAddr() net.Addr
	WriteMsg(*miekg.Msg) error
}

// Handler is one link of the query chain. It either writes a reply to w and
// returns that reply's rcode, or writes nothing and returns the rcode the
// server should answer with (SERVFAIL, REFUSED, ...). An error says why, for
// logs and metrics; an error wrapping ErrDropped means "send no reply".
type Handler interface {
	ServeDNS(ctx context.Context, w ResponseWriter, r *miekg.Msg) (rcode int, err error)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, w ResponseWriter, r *miekg.Msg) (int, error)

// ServeDNS calls f.
func (f HandlerFunc) ServeDNS(ctx context.Context, w ResponseWriter, r *miekg.Msg) (int, error) {
	return f(ctx, w, r)
}

// Middleware wraps a Handler with one more link.
type Middleware func(next Handler) Handler

// Chain returns final wrapped by the middlewares, the first one outermost:
// Chain(h, a, b) passes a query to a, then b, then h.
func Chain(final Handler, mws ...Middleware) Handler {
	h := final
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i](h)
	}
	return h
}

// ErrDropped marks a query deliberately left unanswered (rate limiting).
var ErrDropped = errors.New("query dropped")

// clientAddr is the asking client's address, IPv4-mapped forms unmapped.
func clientAddr(w ResponseWriter) netip.Addr {
	return addrOf(w.RemoteAddr())
}

// localAddr is the address the query arrived on, when the socket knows it
// (a wildcard UDP socket reports the unspecified address).
func localAddr(w ResponseWriter) netip.Addr {
	return addrOf(w.LocalAddr())
}

func addrOf(a net.Addr) netip.Addr {
	var ip net.IP
	switch a := a.(type) {
	case *net.UDPAddr:
		ip = a.IP
	case *net.TCPAddr:
		ip = a.IP
	case *net.IPAddr:
		ip = a.IP
	default:
		return netip.Addr{}
	}
	addr, _ := netip.AddrFromSlice(ip)
	return addr.Unmap()
}

// overTCP reports whether the query came over a stream, where the source
// address cannot be spoofed and a reply is never truncated.
func overTCP(w ResponseWriter) bool {
	_, ok := w.RemoteAddr().(*net.TCPAddr)
	return ok
}

// question returns the single question of a query, which the server's accept
// filter guarantees; handlers fed by other paths (fuzzing) get ok=false.
func question(r *miekg.Msg) (q miekg.Question, ok bool) {
	if len(r.Question) != 1 {
		return miekg.Question{}, false
	}
	return r.Question[0], true
}

// newReply starts an answer to r with the flags every reply of ours carries.
func newReply(r *miekg.Msg) *miekg.Msg {
	m := new(miekg.Msg)
	m.SetReply(r)
	m.RecursionAvailable = true
	return m
}
