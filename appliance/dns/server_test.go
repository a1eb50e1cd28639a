package dns

import (
	"context"
	"net"
	"net/netip"
	"testing"
	"time"

	miekg "github.com/miekg/dns"
	"github.com/psobox/psobox/internal/testenv"
)

// islandOptions is island mode against a fake upstream, with the clock given.
func islandOptions(up *upstream, clock *testenv.Clock) Options {
	return Options{
		Upstreams:    []string{up.addr},
		CacheEntries: DefaultCacheEntries,
		Served:       prefixes("10.55.0.0/24"),
		GameAddr:     sentinel,
		Now:          clock.Now,
		Timeout:      time.Second,
	}
}

// waitStats waits for the counters to satisfy ok: a query is counted once
// its handler returns, which may be just after the client has its reply.
func waitStats(t testing.TB, s *Server, ok func(Stats) bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if ok(s.Stats()) {
			return
		}
	}
	t.Errorf("stats never as expected: %+v", s.Stats())
}

func wantA(t testing.TB, m *miekg.Msg, want string) {
	t.Helper()
	if m.Rcode != miekg.RcodeSuccess || len(m.Answer) != 1 {
		t.Fatalf("reply %v, want one A %s", m, want)
	}
	a, ok := m.Answer[0].(*miekg.A)
	if !ok || a.A.String() != want {
		t.Fatalf("answer %v, want A %s", m.Answer[0], want)
	}
}

func TestServerAnswersPSONamesWithTheSentinel(t *testing.T) {
	up := startUpstream(t)
	_, addr := startServer(t, islandOptions(up, newFakeClock()))
	for _, network := range []string{"udp", "tcp"} {
		for _, name := range []string{"gc01.st-pso.games.sega.net", "master.pso.dream-key.com", "PSO-GC1.pso.PlaySega.com"} {
			r := query(name, miekg.TypeA)
			m := exchange(t, network, addr, r)
			wantA(t, m, sentinel.String())
			if hdr := m.Answer[0].Header(); hdr.Ttl != gameAddrTTL || hdr.Name != r.Question[0].Name || !m.Authoritative {
				t.Errorf("%s %s: header %v AA=%v, want TTL %d, the query's name, AA", network, name, hdr, m.Authoritative, gameAddrTTL)
			}
		}
	}
	if up.queries() != 0 {
		t.Errorf("PSO names went upstream %d times", up.queries())
	}
}

func TestServerGivesNoDataForOtherTypesOfPSONames(t *testing.T) {
	_, addr := startServer(t, islandOptions(startUpstream(t), newFakeClock()))
	for _, qtype := range []uint16{miekg.TypeAAAA, miekg.TypeMX, miekg.TypeTXT, miekg.TypeHTTPS} {
		m := exchange(t, "udp", addr, query("gc01.st-pso.games.sega.net", qtype))
		if m.Rcode != miekg.RcodeSuccess || len(m.Answer) != 0 {
			t.Errorf("%s: %v, want an empty NOERROR", miekg.TypeToString[qtype], m)
		}
	}
}

func TestServerAcceptsQueryIDZero(t *testing.T) {
	_, addr := startServer(t, islandOptions(startUpstream(t), newFakeClock()))
	for _, network := range []string{"udp", "tcp"} {
		r := query("gc01.st-pso.games.sega.net", miekg.TypeA)
		r.Id = 0
		m := exchange(t, network, addr, r)
		if m.Id != 0 {
			t.Errorf("%s: reply ID %d", network, m.Id)
		}
		wantA(t, m, sentinel.String())
	}
}

func TestServerForwardsAndCaches(t *testing.T) {
	up := startUpstream(t)
	s, addr := startServer(t, islandOptions(up, newFakeClock()))
	for range 3 {
		wantA(t, exchange(t, "udp", addr, query("www.example", miekg.TypeA)), "192.0.2.80")
	}
	for range 2 {
		if m := exchange(t, "tcp", addr, query("nothing.example", miekg.TypeA)); m.Rcode != miekg.RcodeNameError {
			t.Errorf("rcode %s, want NXDOMAIN", miekg.RcodeToString[m.Rcode])
		}
	}
	if up.queries() != 2 {
		t.Errorf("upstream asked %d times, want 2 (one per name)", up.queries())
	}
	waitStats(t, s, func(st Stats) bool {
		return st.CacheHits == 3 && st.CacheMisses == 2 && st.Forwarded == 2 && st.NoError == 3 && st.NXDomain == 2
	})
}

func TestServerCacheFollowsTTLs(t *testing.T) {
	up := startUpstream(t)
	clock := newFakeClock()
	_, addr := startServer(t, islandOptions(up, clock))
	wantA(t, exchange(t, "udp", addr, query("short.example", miekg.TypeA)), "192.0.2.5") // TTL 5
	clock.Advance(4 * time.Second)
	m := exchange(t, "udp", addr, query("short.example", miekg.TypeA))
	if ttl := m.Answer[0].Header().Ttl; ttl != 1 || up.queries() != 1 {
		t.Errorf("after 4 s: TTL %d, upstream queries %d; want a cache hit with TTL 1", ttl, up.queries())
	}
	clock.Advance(time.Second)
	exchange(t, "udp", addr, query("short.example", miekg.TypeA))
	if up.queries() != 2 {
		t.Errorf("after 5 s: upstream queries %d, want 2 (expired)", up.queries())
	}
	exchange(t, "udp", addr, query("gone.example", miekg.TypeA)) // NXDOMAIN, SOA minimum 30 s
	clock.Advance(29 * time.Second)
	exchange(t, "udp", addr, query("gone.example", miekg.TypeA))
	clock.Advance(time.Second)
	exchange(t, "udp", addr, query("gone.example", miekg.TypeA))
	if up.queries() != 4 {
		t.Errorf("negative caching: upstream queries %d, want 4", up.queries())
	}
}

func TestServerUpstreamDownGivesServfailQuickly(t *testing.T) {
	silent := rawUpstream(t, func(*miekg.Msg) [][]byte { return nil })
	for _, tc := range []struct {
		name      string
		upstreams []string
	}{
		{"refusing", []string{deadPort(t).String()}},
		{"silent", []string{silent.String()}},
		{"both", []string{silent.String(), deadPort(t).String()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const timeout = 300 * time.Millisecond
			s, addr := startServer(t, Options{Upstreams: tc.upstreams, Timeout: timeout, GameAddr: sentinel})
			start := time.Now()
			m := exchange(t, "udp", addr, query("www.example", miekg.TypeA))
			if elapsed := time.Since(start); elapsed > 3*timeout {
				t.Errorf("SERVFAIL took %v, more than 3 × the %v timeout", elapsed, timeout)
			}
			if m.Rcode != miekg.RcodeServerFailure {
				t.Errorf("rcode %s, want SERVFAIL", miekg.RcodeToString[m.Rcode])
			}
			waitStats(t, s, func(st Stats) bool { return st.UpstreamErrors == 1 && st.ServFail == 1 })
		})
	}
}

func TestServerRefusesClientsOutsideTheLAN(t *testing.T) {
	up := startUpstream(t)
	s, _ := startServer(t, islandOptions(up, newFakeClock()))
	for _, client := range []string{"203.0.113.9", "10.55.1.1", "2001:db8::9"} {
		for _, name := range []string{"gc01.st-pso.games.sega.net", "www.example"} {
			w := newFakeWriter(client, false)
			a := &serveAdapter{ctx: context.Background(), handler: s.Handler(), udp: true, log: quietLogger()}
			a.ServeDNS(miekgWriter{w}, query(name, miekg.TypeA))
			if m := w.last(t); m.Rcode != miekg.RcodeRefused || len(m.Answer) != 0 {
				t.Errorf("%s asking %s: %v, want REFUSED", client, name, m)
			}
		}
	}
	if up.queries() != 0 || len(s.Lookups()) != 0 {
		t.Errorf("refused queries reached upstream (%d) or the lookup log (%v)", up.queries(), s.Lookups())
	}
}

func TestServerRateLimits(t *testing.T) {
	clock := newFakeClock() // frozen: no refill until the test says so
	opts := islandOptions(startUpstream(t), clock)
	opts.RateLimit = 5
	s, addr := startServer(t, opts)
	for range 5 {
		wantA(t, exchange(t, "tcp", addr, query("gc01.st-pso.games.sega.net", miekg.TypeA)), sentinel.String())
	}
	if m := exchange(t, "tcp", addr, query("gc01.st-pso.games.sega.net", miekg.TypeA)); m.Rcode != miekg.RcodeRefused {
		t.Errorf("6th query over TCP: %s, want REFUSED", miekg.RcodeToString[m.Rcode])
	}
	c := &miekg.Client{Net: "udp", Timeout: 300 * time.Millisecond}
	if m, _, err := c.Exchange(query("gc01.st-pso.games.sega.net", miekg.TypeA), addr); err == nil {
		t.Errorf("over the limit over UDP got a reply %v, want none", m)
	}
	clock.Advance(time.Second)
	wantA(t, exchange(t, "udp", addr, query("gc01.st-pso.games.sega.net", miekg.TypeA)), sentinel.String())
	waitStats(t, s, func(st Stats) bool { return st.Dropped == 1 && st.Refused == 1 })
}

func TestServerIgnoresMalformedPackets(t *testing.T) {
	s, addr := startServer(t, islandOptions(startUpstream(t), newFakeClock()))
	conn, err := net.Dial("udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	response := upstreamAnswer(query("www.example", miekg.TypeA)) // a reflected answer
	response.Response = true
	garbage := [][]byte{{}, {0x12}, make([]byte, 11), []byte("not a dns message at all, just bytes"), pack(t, response)}
	seed := uint32(1)
	for range 50 { // reproducible noise
		b := make([]byte, 12+seed%300)
		for i := range b {
			seed = seed*1664525 + 1013904223
			b[i] = byte(seed >> 24)
		}
		garbage = append(garbage, b)
	}
	for _, g := range garbage {
		if _, err := conn.Write(g); err != nil {
			t.Fatal(err)
		}
	}
	r := query("gc01.st-pso.games.sega.net", miekg.TypeA)
	if _, err := conn.Write(pack(t, r)); err != nil {
		t.Fatal(err)
	}
	replies := readAll(t, conn, 3*time.Second, 300*time.Millisecond)
	if len(replies) != 1 || replies[0].Id != r.Id {
		t.Fatalf("got %d datagrams back (%v), want only the answer to the valid query: garbage must get no reply", len(replies), replies)
	}
	wantA(t, replies[0], sentinel.String())
	waitStats(t, s, func(st Stats) bool { return st.Invalid == uint64(len(garbage)) })
}

// readAll reads datagrams until none arrives for quiet (waiting at most first
// for the first one).
func readAll(t testing.TB, conn net.Conn, first, quiet time.Duration) []*miekg.Msg {
	var out []*miekg.Msg
	buf := make([]byte, 4096)
	_ = conn.SetReadDeadline(time.Now().Add(first))
	for {
		n, err := conn.Read(buf)
		if err != nil {
			return out
		}
		m := new(miekg.Msg)
		if err := m.Unpack(buf[:n]); err != nil {
			t.Errorf("unparseable datagram % x: %v", buf[:n], err)
		}
		out = append(out, m)
		_ = conn.SetReadDeadline(time.Now().Add(quiet))
	}
}

func TestServerTruncatesOverUDPAndNotOverTCP(t *testing.T) {
	up := startUpstream(t)
	_, addr := startServer(t, islandOptions(up, newFakeClock()))
	m := exchange(t, "udp", addr, query(bigName, miekg.TypeA))
	if !m.Truncated || len(m.Answer) >= 200 {
		t.Errorf("UDP without EDNS: TC=%v with %d answers, want TC and a partial answer", m.Truncated, len(m.Answer))
	}
	withEDNS := query(bigName, miekg.TypeA)
	withEDNS.SetEdns0(4096, false)
	c := &miekg.Client{Net: "udp", UDPSize: 4096, Timeout: 3 * time.Second}
	m, _, err := c.Exchange(withEDNS, addr)
	if err != nil {
		t.Fatal(err)
	}
	m.Compress = true // as sent on the wire
	if !m.Truncated || m.Len() > ednsSize {
		t.Errorf("UDP with EDNS 4096: TC=%v, %d bytes; want TC within %d bytes", m.Truncated, m.Len(), ednsSize)
	}
	m = exchange(t, "tcp", addr, query(bigName, miekg.TypeA))
	if m.Truncated || len(m.Answer) != 200 {
		t.Errorf("TCP: TC=%v with %d answers, want all 200", m.Truncated, len(m.Answer))
	}
	if up.tcpQueries.Load() == 0 {
		t.Error("the truncated upstream answer was not fetched over TCP")
	}
}

func TestServerAnswersANYMinimally(t *testing.T) {
	up := startUpstream(t)
	_, addr := startServer(t, islandOptions(up, newFakeClock()))
	m := exchange(t, "udp", addr, query("www.example", miekg.TypeANY))
	if len(m.Answer) != 1 || m.Answer[0].Header().Rrtype != miekg.TypeHINFO || up.queries() != 0 {
		t.Errorf("ANY: %v, upstream queries %d; want the one HINFO and nothing forwarded", m.Answer, up.queries())
	}
}

func TestServerCatchall(t *testing.T) {
	up := startUpstream(t)
	opts := islandOptions(up, newFakeClock())
	opts.Catchall = true
	_, addr := startServer(t, opts)
	wantA(t, exchange(t, "udp", addr, query("www.example", miekg.TypeA)), sentinel.String())
	wantA(t, exchange(t, "tcp", addr, query("conntest.nintendowifi.net", miekg.TypeA)), sentinel.String())
	if m := exchange(t, "udp", addr, query("www.example", miekg.TypeAAAA)); m.Rcode != miekg.RcodeSuccess || len(m.Answer) != 0 {
		t.Errorf("AAAA in catch-all: %v, want NODATA", m)
	}
	if up.queries() != 0 {
		t.Errorf("catch-all forwarded %d queries", up.queries())
	}
}

func TestServerRecordsLookups(t *testing.T) {
	clock := newFakeClock()
	s, addr := startServer(t, islandOptions(startUpstream(t), clock))
	heard := make(chan Lookup, 10)
	cancel := s.SubscribeLookups(func(l Lookup) { heard <- l })
	defer cancel()
	exchange(t, "udp", addr, query("GC01.st-pso.games.sega.net", miekg.TypeA))
	exchange(t, "udp", addr, query("www.example", miekg.TypeA))
	got := s.Lookups()
	if len(got) != 1 {
		t.Fatalf("lookups %v, want one", got)
	}
	want := "GameCube at 127.0.0.1 looked up gc01.st-pso.games.sega.net → PSO GC US"
	if got[0].String() != want || !got[0].Time.Equal(clock.Now()) || got[0].Type != "A" {
		t.Errorf("lookup %+v (%q), want %q at the clock's time", got[0], got[0], want)
	}
	if l := <-heard; l.String() != want {
		t.Errorf("subscriber heard %q", l)
	}
}

func TestServerModeAnswersWithReachableAddress(t *testing.T) {
	opts := islandOptions(startUpstream(t), newFakeClock())
	opts.GameAddr = netip.Addr{}
	opts.Interfaces = staticInterfaces(prefixes("127.0.0.1/8", "192.168.1.20/24"))
	_, addr := startServer(t, opts)
	wantA(t, exchange(t, "udp", addr, query("gc01.st-pso.games.sega.net", miekg.TypeA)), "127.0.0.1")
}
