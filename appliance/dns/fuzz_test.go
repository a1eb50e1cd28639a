package dns

import (
	"context"
	"net"
	"testing"

	miekg "github.com/miekg/dns"
)

// packingWriter packs every reply as the real writer would, and keeps the
// last one's bytes.
type packingWriter struct {
	*fakeWriter
	buf []byte
	err error
}

func (w *packingWriter) WriteMsg(m *miekg.Msg) error {
	w.buf, w.err = m.PackBuffer(w.buf[:0])
	return w.err
}

func (w *packingWriter) Write([]byte) (int, error) { return 0, nil }
func (w *packingWriter) Close() error              { return nil }
func (w *packingWriter) TsigStatus() error         { return nil }
func (w *packingWriter) TsigTimersOnly(bool)       {}
func (w *packingWriter) Hijack()                   {}

// chainForFuzzing is the whole island-mode chain with a fake upstream, so
// that fuzzing never touches the network.
func chainForFuzzing(t testing.TB, catchall bool) (*Server, Handler) {
	s, err := New(Options{
		GameAddr: sentinel, Served: prefixes("10.55.0.0/24"), Catchall: catchall,
		CacheEntries: 64, RateLimit: 1 << 30, // never reached, yet its cost is counted in benchmarks ExtraHostnames: []string{"extra.pso.test"},
		Upstreams: []string{"127.0.0.1:9"}, Logger: quietLogger(),
	})
	if err != nil {
		t.Fatal(err)
	}
	h, err := s.buildChain(fakeExchanger{})
	if err != nil {
		t.Fatal(err)
	}
	return s, h
}

func fuzzSeeds() [][]byte {
	var seeds [][]byte
	add := func(m *miekg.Msg) {
		b, _ := m.Pack()
		seeds = append(seeds, b)
	}
	for _, qt := range []uint16{miekg.TypeA, miekg.TypeAAAA, miekg.TypeANY, miekg.TypeMX} {
		add(query("gc01.st-pso.games.sega.net", qt))
		add(query("www.example", qt))
	}
	big := query(bigName, miekg.TypeA)
	big.SetEdns0(4096, true)
	add(big)
	zero := query("EXTRA.pso.test", miekg.TypeA)
	zero.Id = 0
	zero.Question[0].Qclass = miekg.ClassCHAOS
	add(zero)
	two := query("a.example", miekg.TypeA)
	two.Question = append(two.Question, two.Question[0])
	add(two)
	none := query("a.example", miekg.TypeA)
	none.Question = nil
	add(none)
	return seeds
}

// FuzzHandler feeds arbitrary messages through the whole chain, as clients of
// every kind (allowed or not, UDP or TCP). It must never panic, and every
// reply must pack.
func FuzzHandler(f *testing.F) {
	for _, seed := range fuzzSeeds() {
		f.Add(seed, false, byte(23), false)
		f.Add(seed, true, byte(1), true)
	}
	_, chain := chainForFuzzing(f, false)
	_, catchall := chainForFuzzing(f, true)
	f.Fuzz(func(t *testing.T, data []byte, tcp bool, host byte, useCatchall bool) {
		r := new(miekg.Msg)
		if r.Unpack(data) != nil {
			return
		}
		h := chain
		if useCatchall {
			h = catchall
		}
		client := net.IPv4(10, 55, 0, host)
		if host > 200 {
			client = net.IPv4(203, 0, 113, host) // outside the LAN
		}
		fw := newFakeWriter(client.String(), tcp)
		w := &packingWriter{fakeWriter: fw}
		a := &serveAdapter{ctx: context.Background(), handler: h, udp: !tcp, log: quietLogger()}
		a.ServeDNS(w, r)
		if w.err != nil {
			t.Fatalf("reply to %v does not pack: %v", r, w.err)
		}
		if !tcp && len(w.buf) > ednsSize {
			t.Fatalf("UDP reply of %d bytes", len(w.buf))
		}
	})
}

// FuzzParseResolvConf checks that no resolver configuration file, however
// broken, panics the parser or yields an unusable address.
func FuzzParseResolvConf(f *testing.F) {
	f.Add([]byte("nameserver 192.0.2.1\nnameserver fe80::1%eth0\nsearch lan\noptions ndots:2\n"))
	f.Add([]byte("nameserver\nnameserver 999.1.1.1\n\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		servers, err := parseResolvConf(data)
		if err != nil {
			return
		}
		for _, s := range servers {
			if !s.IsValid() || s.Addr().Is4In6() {
				t.Fatalf("unusable upstream %v", s)
			}
		}
	})
}
