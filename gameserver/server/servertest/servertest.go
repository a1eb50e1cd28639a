// Package servertest runs a whole game server for tests, like httptest: every
// port bound on 127.0.0.1 with a port the system picks, a fresh accounts
// database, and logs going to the test's log. The psobot client library and
// lobby or game tests use it to talk to a real server.
package servertest

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"sync"
	"testing"

	"github.com/psobox/psobox/gameserver/server"
)

// Server is a running test server.
type Server struct {
	*server.Server
	// Addrs maps the port numbers clients use (9000, 9100, 9103, 9300,
	// 9500...) to the loopback address each is bound to.
	Addrs map[int]netip.AddrPort
	stop  func()
}

// Options returns test defaults: DefaultOptions with no per-address limit
// that loopback clients would hit, and pings slow enough not to interleave
// with scripted exchanges.
func Options() server.Options {
	o := server.DefaultOptions()
	o.MaxPerIP = 10000
	o.MaxClients = 10000
	return o
}

// Start starts a server with opts (zero fields take their defaults; Listen,
// EphemeralPorts and, when empty, StateDir are set for the test) and stops
// it when the test ends. Logs go to the test log (discarded for fuzz
// targets) unless opts.Logger is set.
func Start(t testing.TB, opts server.Options) *Server {
	t.Helper()
	opts.Listen, opts.EphemeralPorts = "127.0.0.1", true
	if opts.StateDir == "" {
		opts.StateDir = t.TempDir()
	}
	tw := &testWriter{t: t}
	if _, fuzzing := t.(*testing.F); fuzzing && opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler) // a fuzz target may not use f.Log
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(tw, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	srv, err := server.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := srv.Listen(ctx); err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	s := &Server{Server: srv, Addrs: srv.Addrs()}
	var once sync.Once
	s.stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Serve: %v", err)
			}
			tw.mu.Lock()
			tw.done = true
			tw.mu.Unlock()
		})
	}
	t.Cleanup(s.Stop)
	return s
}

// Stop shuts the server down and waits for it (also done at cleanup).
func (s *Server) Stop() { s.stop() }

// Addr returns the address of port (e.g. 9103) as host:port.
func (s *Server) Addr(port int) string {
	ap, ok := s.Addrs[port]
	if !ok {
		panic(fmt.Sprintf("servertest: no listener for port %d", port))
	}
	return ap.String()
}

// testWriter sends log lines to the test log until the test is over.
type testWriter struct {
	mu   sync.Mutex
	t    testing.TB
	done bool
}

func (w *testWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log(strings.TrimRight(string(b), "\n"))
	}
	return len(b), nil
}
