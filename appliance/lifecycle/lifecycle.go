// Package lifecycle runs psobox's long-running services (DNS, DHCP, game
// server, status page) as one process: it binds every socket first, reports
// ready, serves them all under one errgroup, and shuts them down within a
// bounded grace period.
//
// The context given to Listen stays valid for the whole run. A service
// closes what it bound when that context is cancelled (context.AfterFunc is
// the easy way), so that a start-up aborted by a later service's Listen
// error releases every socket even though Serve never ran.
package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"syscall"
	"time"
)

// Service is one long-running part of psobox.
type Service interface {
	Name() string                     // component tag in logs: "dns", "dhcp", "game", "status"
	Listen(ctx context.Context) error // bind every socket; must not block; an error aborts start-up
	Serve(ctx context.Context) error  // run until ctx is done, close sockets, return nil; other returns are failures
}

// Endpointer is implemented by services that can say where they serve,
// such as "http://127.0.0.1:8080/" or "udp 0.0.0.0:53". It is called after
// Listen, so a port 0 shows the port the kernel picked.
type Endpointer interface {
	Endpoints() []string
}

// DefaultGrace is how long services get to stop when Options.Grace is 0.
const DefaultGrace = 10 * time.Second

// Options tune Run.
type Options struct {
	// Ready is called once every service has bound its sockets, before
	// any serves (sd_notify READY=1 goes here). Nil is fine.
	Ready func()
	// Grace bounds the shutdown: services still serving this long after
	// the stop began are reported by name. 0 means DefaultGrace.
	Grace time.Duration
}

// Run binds every service in order, calls opts.Ready, then serves them all
// until ctx is cancelled or one of them fails. It returns nil after a clean
// stop; otherwise an error naming the service that failed to listen, failed
// while serving, or did not stop within the grace period.
func Run(ctx context.Context, logger *slog.Logger, services []Service, opts Options) error {
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel() // after a Listen error, this closes what was already bound
	if err := listenAll(runCtx, logger, services); err != nil {
		return err
	}
	if opts.Ready != nil {
		opts.Ready()
	}
	grace := opts.Grace
	if grace <= 0 {
		grace = DefaultGrace
	}
	return serveAll(runCtx, logger, services, grace)
}

func listenAll(ctx context.Context, logger *slog.Logger, services []Service) error {
	for _, s := range services {
		if err := s.Listen(ctx); err != nil {
			return fmt.Errorf("%s: %w%s", s.Name(), err, listenHint(err))
		}
		logger.Info("serving", "service", s.Name(), "on", endpoints(s))
	}
	return nil
}

func endpoints(s Service) string {
	e, ok := s.(Endpointer)
	if !ok {
		return "(no sockets)"
	}
	return strings.Join(e.Endpoints(), ", ")
}

// serveOne runs one service's Serve and judges how it ended.
func serveOne(ctx context.Context, s Service) error {
	err := s.Serve(ctx)
	stopping := ctx.Err() != nil
	switch {
	case err == nil && stopping, errors.Is(err, context.Canceled) && stopping:
		return nil
	case err == nil:
		return fmt.Errorf("%s: stopped serving before shutdown", s.Name())
	}
	return fmt.Errorf("%s: %w", s.Name(), err)
}

// listenHint says what to do about the two bind failures people meet: a
// privileged port without the capability, and a port another program holds.
func listenHint(err error) string {
	switch {
	case errors.Is(err, syscall.EACCES):
		return " (ports below 1024 need root or CAP_NET_BIND_SERVICE; or choose a port above 1023 in the config)"
	case errors.Is(err, syscall.EADDRINUSE):
		return " (another program holds the port: `ss -lntup` shows which)"
	}
	return ""
}
