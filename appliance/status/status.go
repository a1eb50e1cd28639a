// Package status serves psobox's status page over HTTP: "/" is an HTML page
// that works on a phone, "/api/status" the same facts as JSON, "/healthz" a
// liveness probe.
//
// The page is built from Sources: each part of the appliance (the service
// list, DNS lookups, DHCP leases, players) registers one when it is wired
// up, and the page shows one section per Source, in order. This package
// knows nothing about those parts.
package status

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Section is one block of the page: a titled table, or a note when there
// is nothing to list.
type Section struct {
	Title   string     `json:"title"`
	Columns []string   `json:"columns,omitempty"`
	Rows    [][]string `json:"rows"`
	Note    string     `json:"note,omitempty"`
}

// Source provides one section. Section is called for every request, from
// many goroutines at once, and should return quickly.
type Source interface {
	Name() string // stable key in /api/status: "services", "dhcp", "players"
	Section(ctx context.Context) Section
}

// NewSource makes a Source from a function.
func NewSource(name string, section func(ctx context.Context) Section) Source {
	return funcSource{name, section}
}

type funcSource struct {
	name    string
	section func(ctx context.Context) Section
}

func (f funcSource) Name() string                        { return f.name }
func (f funcSource) Section(ctx context.Context) Section { return f.section(ctx) }

// Options configure a Server.
type Options struct {
	Listen  string // TCP address, such as ":8080" or "127.0.0.1:0"
	Version string // shown in the header
	Mode    string // network mode, shown in the header
	Sources []Source
	Logger  *slog.Logger     // nil: discard
	Now     func() time.Time // nil: time.Now
	Started time.Time        // uptime is counted from here; zero: when New is called
}

// shutdownTimeout bounds how long open requests may finish at shutdown;
// it stays well inside the lifecycle's grace period.
const shutdownTimeout = 3 * time.Second

// Server is the status service (a lifecycle.Service).
type Server struct {
	opts Options
	ln   net.Listener
	srv  *http.Server
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
	s := &Server{opts: opts}
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
