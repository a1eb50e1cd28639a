package dns

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	miekg "github.com/miekg/dns"
)

// exchanger sends a query to the upstream resolvers and returns the answer.
// The forwarder's only tie to the network, so that tests and the fuzzer can
// put a fake in its place.
type exchanger interface {
	exchange(ctx context.Context, q *miekg.Msg) (*miekg.Msg, error)
}

// errUpstreamRcode is an upstream's answer that says it could not help.
var errUpstreamRcode = errors.New("upstream could not answer")

// forwardHandler ends the chain for names that are not ours: it asks the
// upstreams, within timeout for the whole query, and answers SERVFAIL when
// none of them answers in time.
func forwardHandler(ex exchanger, timeout time.Duration, stats *counters) Handler {
	return HandlerFunc(func(ctx context.Context, w ResponseWriter, r *miekg.Msg) (int, error) {
		q, ok := upstreamQuery(r)
		if !ok {
			return miekg.RcodeFormatError, nil
		}
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		stats.forwarded.Add(1)
		resp, err := ex.exchange(ctx, q)
		if err != nil {
			stats.upstreamErrors.Add(1)
			return miekg.RcodeServerFailure, fmt.Errorf("forward %s: %w", q.Question[0].Name, err)
		}
		return resp.Rcode, w.WriteMsg(replyFromUpstream(r, resp))
	})
}

// upstreamQuery is the query we send for r: its question, recursion desired,
// its CD and DO bits, and our EDNS size so that answers up to it come over
// UDP (the client's own limit is applied on the way back).
func upstreamQuery(r *miekg.Msg) (*miekg.Msg, bool) {
	q, ok := question(r)
	if !ok {
		return nil, false
	}
	m := new(miekg.Msg)
	m.Opcode = miekg.OpcodeQuery
	m.RecursionDesired = true
	m.CheckingDisabled = r.CheckingDisabled
	m.Question = []miekg.Question{q}
	opt := r.IsEdns0()
	m.SetEdns0(ednsSize, opt != nil && opt.Do())
	return m, true
}

// replyFromUpstream makes an upstream's answer the reply to r.
func replyFromUpstream(r, resp *miekg.Msg) *miekg.Msg {
	resp.Id = r.Id
	resp.Response = true
	resp.RecursionDesired = r.RecursionDesired
	resp.RecursionAvailable = true
	resp.Question = r.Question
	return resp
}

// usableAnswer rejects answers that only say the upstream failed, so that the
// next upstream gets a chance.
func usableAnswer(resp *miekg.Msg) error {
	switch resp.Rcode {
	case miekg.RcodeServerFailure, miekg.RcodeRefused, miekg.RcodeNotImplemented, miekg.RcodeFormatError:
		return fmt.Errorf("%w: %s", errUpstreamRcode, miekg.RcodeToString[resp.Rcode])
	}
	return nil
}

// answers reports whether resp is the answer to q: same ID, same question
// (in any letter case, since resolvers may randomize it).
func answers(resp, q *miekg.Msg) bool {
	if resp.Id != q.Id || !resp.Response || len(resp.Question) != 1 {
		return false
	}
	a, b := resp.Question[0], q.Question[0]
	return a.Qtype == b.Qtype && a.Qclass == b.Qclass && strings.EqualFold(a.Name, b.Name)
}
