// Package status serves psobox's status page over HTTP, read-only:
//
//	/             HTML for a phone at the LAN party: addresses, warnings,
//	              consoles, players, lobbies, games, DNS and DHCP counters
//	/api/status   the same facts as JSON (docs/status.md), for scripts
//	/metrics      Prometheus text exposition format
//	/healthz      liveness probe
//
// The facts come from the parts of the appliance through small interfaces
// this package defines (Game, DNS, DHCP, WarningSource) and plain structs
// (PlayerInfo, LeaseInfo...), so that it imports none of them: the wiring in
// appliance/app adapts each part. Extra tables come from Sources. A part
// that is not running is simply nil, and the page says so.
//
// Every request gathers a fresh Snapshot. Each part is asked from its own
// goroutine under one deadline, and a panic or a part that does not answer
// in time becomes a warning on the page instead of a hung or failed request.
package status

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"time"
)

// Options configure a Server. Every part is optional.
type Options struct {
	Listen    string // TCP address, such as ":8080" or "127.0.0.1:0"
	Version   string // shown in the header and in psobox_build_info
	Mode      string // network mode, shown in the header
	Addresses Addresses

	Game     Game            // nil: "game server not running"
	DNS      DNS             // nil: DNS not running
	DHCP     DHCP            // nil: DHCP not running
	Warnings []WarningSource // nil entries are skipped
	Sources  []Source        // extra tables, shown after the built-in sections
	Capture  Capture         // session capture: listed, downloadable, switchable (nil: none)

	Logger  *slog.Logger     // nil: discard
	Now     func() time.Time // nil: time.Now
	Started time.Time        // uptime is counted from here; zero: when New is called
	// Process reads the process statistics; nil: this process, from /proc.
	Process func() ProcessStats
	// Timeout bounds how long one request waits for the parts; zero: 2s.
	Timeout time.Duration
}

const (
	defaultTimeout = 2 * time.Second
	// shutdownTimeout bounds how long open requests may finish at shutdown;
	// it stays well inside the lifecycle's grace period.
	shutdownTimeout = 3 * time.Second
	// maxConcurrent snapshots at once: a room full of phones refreshing
	// the page must not make the game server's locks busy.
	maxConcurrent = 4
)

// Server is the status service (a lifecycle.Service).
type Server struct {
	opts   Options
	slots  chan struct{} // one token per snapshot being gathered
	guards *guards       // one per part: a hung part is not asked again
	token  string        // the capture form's token (capture.go)
	ln     net.Listener
	srv    *http.Server
}

// New returns a Server; nothing is bound until Listen.
func New(opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Started.IsZero() {
		opts.Started = opts.Now()
	}
	if opts.Process == nil {
		opts.Process = ReadProcessStats
	}
	if opts.Timeout <= 0 {
		opts.Timeout = defaultTimeout
	}
	opts.Sources = slices.DeleteFunc(slices.Clone(opts.Sources), func(s Source) bool { return s == nil })
	opts.Warnings = slices.DeleteFunc(slices.Clone(opts.Warnings), func(w WarningSource) bool { return w == nil })
	s := &Server{opts: opts, slots: make(chan struct{}, maxConcurrent), guards: newGuards(opts), token: newToken()}
	s.srv = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(opts.Logger.Handler(), slog.LevelWarn),
	}
	return s
}

// Name is the component tag.
func (s *Server) Name() string { return "status" }

// Listen binds the TCP socket; it is closed when ctx is cancelled.
func (s *Server) Listen(ctx context.Context) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", s.opts.Listen)
	if err != nil {
		return err
	}
	s.ln = ln
	context.AfterFunc(ctx, func() { _ = ln.Close() })
	return nil
}

// Addr is the bound address (after Listen).
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Endpoints says where the page is served.
func (s *Server) Endpoints() []string {
	return []string{"http://" + s.ln.Addr().String() + "/"}
}

// Serve answers requests until ctx is done, then lets open requests finish
// for a few seconds.
func (s *Server) Serve(ctx context.Context) error {
	if s.ln == nil {
		return errors.New("status: Serve called before Listen")
	}
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(s.ln) }()
	select {
	case err := <-errc:
		if ctx.Err() == nil {
			return fmt.Errorf("http: %w", err)
		}
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := s.srv.Shutdown(sctx); err != nil {
		s.opts.Logger.Warn("requests still open at shutdown; closing them", "err", err)
		_ = s.srv.Close()
	}
	return nil
}
