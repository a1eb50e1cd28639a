package dns

import (
	"context"
	"net"
	"net/netip"
	"testing"
	"time"

	miekg "github.com/miekg/dns"
)

func TestServerUsesInjectedSockets(t *testing.T) {
	pc, ln, err := listenPair(context.Background(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	opts := islandOptions(startUpstream(t), newFakeClock())
	opts.PacketConn, opts.Listener = pc, ln
	s, addr := startServer(t, opts)
	if got := s.Addrs(); got[0] != pc.LocalAddr() || got[1] != ln.Addr() || addr != pc.LocalAddr().String() {
		t.Errorf("Addrs %v, want the injected %v and %v", got, pc.LocalAddr(), ln.Addr())
	}
	wantA(t, exchange(t, "tcp", ln.Addr().String(), query("gc01.st-pso.games.sega.net", miekg.TypeA)), sentinel.String())
}

// listening is a server on 127.0.0.1:0 after Listen, with Listen's context.
func listening(t *testing.T) (*Server, context.Context, context.CancelFunc) {
	t.Helper()
	s, err := New(Options{Listen: "127.0.0.1:0", GameAddr: sentinel, Upstreams: []string{"127.0.0.1:9"}, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := s.Listen(ctx); err != nil {
		t.Fatal(err)
	}
	return s, ctx, cancel
}

func TestServerShutsDownAndReleasesItsPort(t *testing.T) {
	s, ctx, cancel := listening(t)
	addr := s.Addrs()[1].String()
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	exchange(t, "tcp", addr, query("gc01.st-pso.games.sega.net", miekg.TypeA))
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Serve after cancel: %v", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("port still held after Serve returned: %v", err)
	}
	_ = ln.Close()
}

// A start-up aborted after Listen (a later service failed to bind) ends
// Listen's context without Serve ever running: the ports must come free.
func TestListenReleasesItsPortsWhenStartIsAborted(t *testing.T) {
	s, _, cancel := listening(t)
	addrs := s.Addrs()
	cancel()
	deadline := time.Now().Add(10 * time.Second)
	for {
		pc, perr := net.ListenPacket("udp", addrs[0].String())
		ln, lerr := net.Listen("tcp", addrs[1].String())
		if perr == nil {
			_ = pc.Close()
		}
		if lerr == nil {
			_ = ln.Close()
		}
		if perr == nil && lerr == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("ports still held after the Listen context ended: udp %v, tcp %v", perr, lerr)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestServeWithCancelledContextReturns(t *testing.T) {
	s, ctx, cancel := listening(t)
	cancel()
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return")
	}
}

func TestServeBeforeListen(t *testing.T) {
	s, err := New(Options{GameAddr: sentinel, Upstreams: []string{"127.0.0.1:9"}, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Serve(context.Background()); err == nil {
		t.Error("Serve without Listen succeeded")
	}
	if s.Name() != "dns" || s.Addrs() != nil {
		t.Errorf("Name %q, Addrs %v before Listen", s.Name(), s.Addrs())
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	for name, o := range map[string]Options{
		"IPv6 game address": {GameAddr: netip.MustParseAddr("2001:db8::1")},
		"negative timeout":  {Timeout: -time.Second},
		"negative cache":    {CacheEntries: -1},
		"negative rate":     {RateLimit: -1},
		"bad listen":        {Listen: "localhost"},
		"bad upstream":      {Upstreams: []string{"dns.example"}},
		"bad extra name":    {ExtraHostnames: []string{"a..b"}},
		"bad allow":         {Allow: []netip.Prefix{{}}},
	} {
		if _, err := New(o); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
