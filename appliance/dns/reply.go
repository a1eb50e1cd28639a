package dns

import (
	"context"
	"errors"
	"log/slog"

	miekg "github.com/miekg/dns"
)

// ednsSize is the UDP payload size we advertise and the largest UDP reply we
// send: the 2020 DNS flag day value, which avoids IP fragmentation.
const ednsSize = 1232

// errSecondReply guards the one-reply-per-query rule.
var errSecondReply = errors.New("handler wrote a second reply")

// replyWriter is the outermost writer of every query. It fits each reply to
// the client: EDNS only if the client spoke it, and over UDP no larger than
// the client can take (setting TC, so that the client retries over TCP).
type replyWriter struct {
	ResponseWriter
	req     *miekg.Msg
	udp     bool
	written bool
}

// WriteMsg adjusts m to the client and sends it.
func (w *replyWriter) WriteMsg(m *miekg.Msg) error {
	if w.written {
		return errSecondReply
	}
	w.written = true
	clientOPT := w.req.IsEdns0()
	fitEDNS(m, clientOPT)
	if w.udp {
		m.Truncate(udpLimit(clientOPT))
	} else {
		m.Compress = true
	}
	return w.ResponseWriter.WriteMsg(m)
}

// fitEDNS replaces whatever OPT record m carries (an upstream's, say) with
// ours when the client sent one, and removes it otherwise.
func fitEDNS(m *miekg.Msg, clientOPT *miekg.OPT) {
	extra := m.Extra[:0]
	for _, rr := range m.Extra {
		if rr.Header().Rrtype != miekg.TypeOPT {
			extra = append(extra, rr)
		}
	}
	m.Extra = extra
	if clientOPT == nil {
		if m.Rcode > 0xF { // an extended rcode cannot be said without EDNS
			m.Rcode = miekg.RcodeServerFailure
		}
		return
	}
	m.SetEdns0(ednsSize, clientOPT.Do())
}

// udpLimit is the largest UDP reply this client accepts.
func udpLimit(clientOPT *miekg.OPT) int {
	if clientOPT == nil {
		return miekg.MinMsgSize
	}
	return max(miekg.MinMsgSize, min(int(clientOPT.UDPSize()), ednsSize))
}

// errorReply is the reply for a query a handler declined with rcode.
func errorReply(r *miekg.Msg, rcode int) *miekg.Msg {
	m := newReply(r)
	m.Rcode = rcode
	return m
}

// serveAdapter connects a Handler chain to a miekg/dns server of one
// transport.
type serveAdapter struct {
	ctx     context.Context
	handler Handler
	udp     bool
	log     *slog.Logger
}

// ServeDNS implements miekg.Handler: it runs the chain and answers for the
// links that declined without writing.
func (a *serveAdapter) ServeDNS(mw miekg.ResponseWriter, r *miekg.Msg) {
	w := &replyWriter{ResponseWriter: mw, req: r, udp: a.udp}
	rcode, err := a.handler.ServeDNS(a.ctx, w, r)
	if errors.Is(err, ErrDropped) {
		return
	}
	if err != nil {
		a.log.Debug("query failed", "client", clientAddr(w), "question", r.Question, "rcode", miekg.RcodeToString[rcode], "err", err)
	}
	if w.written {
		return
	}
	if rcode == miekg.RcodeSuccess { // a link that claims success must have answered
		rcode = miekg.RcodeServerFailure
	}
	if err := w.WriteMsg(errorReply(r, rcode)); err != nil {
		a.log.Debug("reply failed", "client", clientAddr(w), "err", err)
	}
}
