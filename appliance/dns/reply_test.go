package dns

import (
	"context"
	"fmt"
	"net"
	"testing"

	miekg "github.com/miekg/dns"
)

// miekgWriter is a fakeWriter with the rest of miekg's ResponseWriter.
type miekgWriter struct{ *fakeWriter }

func (miekgWriter) Write([]byte) (int, error) { return 0, fmt.Errorf("raw writes are not used") }
func (miekgWriter) Close() error              { return nil }
func (miekgWriter) TsigStatus() error         { return nil }
func (miekgWriter) TsigTimersOnly(bool)       {}
func (miekgWriter) Hijack()                   {}

// bigAnswer is a reply to r with n A records.
func bigAnswer(r *miekg.Msg, n int) *miekg.Msg {
	m := newReply(r)
	for i := range n {
		m.Answer = append(m.Answer, &miekg.A{Hdr: miekg.RR_Header{Name: r.Question[0].Name, Rrtype: miekg.TypeA, Class: miekg.ClassINET, Ttl: 60}, A: net.IPv4(192, 0, 2, byte(i))})
	}
	return m
}

func TestReplyWriterFitsTheClient(t *testing.T) {
	withEDNS := func(size uint16, do bool) *miekg.Msg {
		r := query("big.example", miekg.TypeA)
		r.SetEdns0(size, do)
		return r
	}
	for _, tc := range []struct {
		name       string
		req        *miekg.Msg
		tcp        bool
		wantMax    int  // largest acceptable packed size
		wantTC     bool // truncated
		wantOPT    bool
		wantDO     bool
		wantAnswer int // -1: fewer than all
	}{
		{"udp without EDNS", query("big.example", miekg.TypeA), false, 512, true, false, false, -1},
		{"udp with EDNS 4096", withEDNS(4096, true), false, ednsSize, true, true, true, -1},
		{"udp with EDNS below 512", withEDNS(100, false), false, 512, true, true, false, -1},
		{"tcp without EDNS", query("big.example", miekg.TypeA), true, 65535, false, false, false, 200},
		{"tcp with EDNS", withEDNS(1232, false), true, 65535, false, true, false, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fw := newFakeWriter("10.0.0.1", tc.tcp)
			w := &replyWriter{ResponseWriter: fw, req: tc.req, udp: !tc.tcp}
			m := bigAnswer(tc.req, 200)
			m.SetEdns0(4096, false) // as if an upstream's OPT came along
			if err := w.WriteMsg(m); err != nil {
				t.Fatal(err)
			}
			got := fw.last(t)
			packed, err := got.Pack()
			if err != nil {
				t.Fatal(err)
			}
			if len(packed) > tc.wantMax || got.Truncated != tc.wantTC {
				t.Errorf("size %d TC=%v, want <= %d TC=%v", len(packed), got.Truncated, tc.wantMax, tc.wantTC)
			}
			if tc.wantAnswer >= 0 && len(got.Answer) != tc.wantAnswer {
				t.Errorf("%d answers, want %d", len(got.Answer), tc.wantAnswer)
			}
			opt := got.IsEdns0()
			if (opt != nil) != tc.wantOPT || (opt != nil && (opt.UDPSize() != ednsSize || opt.Do() != tc.wantDO)) {
				t.Errorf("OPT = %v, want present=%v size=%d DO=%v", opt, tc.wantOPT, ednsSize, tc.wantDO)
			}
		})
	}
}

func TestReplyWriterRefusesSecondReply(t *testing.T) {
	r := query("x.test", miekg.TypeA)
	w := &replyWriter{ResponseWriter: newFakeWriter("10.0.0.1", false), req: r, udp: true}
	if err := w.WriteMsg(newReply(r)); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteMsg(newReply(r)); err == nil {
		t.Error("second reply accepted")
	}
}

func TestServeAdapterAnswersForDecliningLinks(t *testing.T) {
	for _, tc := range []struct {
		name      string
		rcode     int
		err       error
		wantReply bool
		wantRcode int
	}{
		{"refused", miekg.RcodeRefused, fmt.Errorf("not allowed"), true, miekg.RcodeRefused},
		{"servfail", miekg.RcodeServerFailure, fmt.Errorf("upstreams down"), true, miekg.RcodeServerFailure},
		{"success without a reply is a bug", miekg.RcodeSuccess, nil, true, miekg.RcodeServerFailure},
		{"dropped", miekg.RcodeRefused, fmt.Errorf("rate: %w", ErrDropped), false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := HandlerFunc(func(context.Context, ResponseWriter, *miekg.Msg) (int, error) { return tc.rcode, tc.err })
			a := &serveAdapter{ctx: context.Background(), handler: h, udp: true, log: quietLogger()}
			fw := newFakeWriter("10.0.0.1", false)
			r := query("x.test", miekg.TypeA)
			r.Id = 0 // consoles send ID 0
			a.ServeDNS(miekgWriter{fw}, r)
			if !tc.wantReply {
				if len(fw.msgs) != 0 {
					t.Errorf("got %d replies, want none", len(fw.msgs))
				}
				return
			}
			m := fw.last(t)
			if m.Rcode != tc.wantRcode || m.Id != 0 || !m.Response || len(m.Question) != 1 {
				t.Errorf("reply %v, want rcode %s echoing the query", m, miekg.RcodeToString[tc.wantRcode])
			}
		})
	}
}
