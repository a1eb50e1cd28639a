package dns

import (
	"context"
	"net"
	"testing"
	"time"

	miekg "github.com/miekg/dns"
)

// reportQPS adds queries per second of wall time to a benchmark's output.
func reportQPS(b *testing.B, start time.Time) {
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "qps")
}

// benchChain runs queries through the whole chain and the reply writer, with
// replies packed as on the wire but not sent.
func benchChain(b *testing.B, name string, wantCacheHits bool) {
	b.Helper()
	s, h := chainForFuzzing(b, false)
	a := &serveAdapter{ctx: context.Background(), handler: h, udp: true, log: quietLogger()}
	r := query(name, miekg.TypeA)
	a.ServeDNS(&packingWriter{fakeWriter: newFakeWriter("10.55.0.23", false)}, r) // fills the cache
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		w := &packingWriter{fakeWriter: newFakeWriter("10.55.0.23", false)}
		for pb.Next() {
			a.ServeDNS(w, r)
			if w.err != nil || len(w.buf) == 0 {
				b.Fatalf("no reply: %v", w.err)
			}
		}
	})
	reportQPS(b, start)
	st := s.Stats()
	if answered := st.CacheHits + st.GameAddrAnswers; answered < uint64(b.N) || (wantCacheHits && st.CacheHits < uint64(b.N)) {
		b.Errorf("%d queries, %d cache hits, %d game address answers", b.N, st.CacheHits, st.GameAddrAnswers)
	}
}

func BenchmarkChainPSOName(b *testing.B)    { benchChain(b, "gc01.st-pso.games.sega.net", false) }
func BenchmarkChainCachedName(b *testing.B) { benchChain(b, "www.example", true) }

// benchUDP measures queries answered over loopback UDP, each client
// goroutine with its own socket and one query in flight.
func benchUDP(b *testing.B, opts Options, name string) {
	opts.Served = prefixes("10.55.0.0/24")
	opts.GameAddr = sentinel
	_, addr := startServer(b, opts)
	packed, err := query(name, miekg.TypeA).Pack()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetParallelism(4) // several queries in flight per core, as from a LAN of clients
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		conn, err := net.Dial("udp", addr)
		if err != nil {
			b.Error(err)
			return
		}
		defer conn.Close()
		buf := make([]byte, 1500)
		for pb.Next() {
			if err := roundTrip(conn, packed, buf); err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportQPS(b, start)
}

// roundTrip sends one query and reads its answer.
func roundTrip(conn net.Conn, packed, buf []byte) error {
	if _, err := conn.Write(packed); err != nil {
		return err
	}
	_ = conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	_, err := conn.Read(buf)
	return err
}

func BenchmarkUDPPSOName(b *testing.B) {
	benchUDP(b, Options{Upstreams: []string{"127.0.0.1:9"}}, "gc01.st-pso.games.sega.net")
}

func BenchmarkUDPCachedName(b *testing.B) {
	up := startUpstream(b)
	benchUDP(b, Options{Upstreams: []string{up.addr}, CacheEntries: DefaultCacheEntries}, "www.example")
}

// BenchmarkUDPForwarded has no cache: every query goes to the fake upstream
// on loopback (which shares the CPU), through the pooled sockets.
func BenchmarkUDPForwarded(b *testing.B) {
	up := startUpstream(b)
	benchUDP(b, Options{Upstreams: []string{up.addr}}, "www.example")
}
