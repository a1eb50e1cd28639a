package systemd

import (
	"context"
	"log/slog"
	"time"

	"github.com/coreos/go-systemd/v22/daemon"
)

// maxProbeTimeout bounds one probe; with WatchdogSec=30s there are 15 s
// between pings, so a stuck probe still leaves time for the next round.
const maxProbeTimeout = 5 * time.Second

// Probe checks that one service really serves, the way a client would
// (a DNS query, a TCP connect). Check must honour ctx's deadline.
type Probe struct {
	Name  string // shown in the log when the probe fails
	Check func(ctx context.Context) error
}

// WatchdogInterval is the service manager's watchdog timeout for this
// process (WatchdogSec= in the unit), or 0 when there is no watchdog.
func WatchdogInterval() (time.Duration, error) {
	return daemon.SdWatchdogEnabled(false)
}

// WatchdogOptions configure RunWatchdog.
type WatchdogOptions struct {
	// Interval is the watchdog timeout; pings go out every Interval/2.
	// 0 means no watchdog: RunWatchdog returns at once.
	Interval time.Duration
	Probes   []Probe      // every one must pass for a ping
	Ping     func() error // sends WATCHDOG=1
	Logger   *slog.Logger
	// Ticks starts each round after the first; nil means a ticker at
	// Interval/2. Tests drive the rounds with their own channel.
	Ticks <-chan time.Time
}

// RunWatchdog pings the watchdog at once and then at every tick, but only
// while every probe passes: a psobox whose sockets are open but whose
// servers hang stops pinging, and systemd restarts it. It returns when ctx
// is done.
func RunWatchdog(ctx context.Context, opts WatchdogOptions) {
	if opts.Interval <= 0 {
		return
	}
	ticks := opts.Ticks
	if ticks == nil {
		t := time.NewTicker(opts.Interval / 2)
		defer t.Stop()
		ticks = t.C
	}
	w := watchdog{opts: opts, timeout: min(opts.Interval/4, maxProbeTimeout), healthy: true}
	for {
		w.round(ctx)
		select {
		case <-ctx.Done():
			return
		case <-ticks:
		}
	}
}

// watchdog is the state of RunWatchdog between rounds.
type watchdog struct {
	opts    WatchdogOptions
	timeout time.Duration
	healthy bool // the last round passed (logs only the changes)
}

// round runs the probes and pings when all pass.
func (w *watchdog) round(ctx context.Context) {
	failed, err := w.probe(ctx)
	if ctx.Err() != nil {
		return
	}
	if err != nil {
		w.opts.Logger.Warn("self-probe failed: not pinging the watchdog (systemd restarts psobox when no ping comes within WatchdogSec)",
			"probe", failed, "err", err)
		w.healthy = false
		return
	}
	if !w.healthy {
		w.opts.Logger.Info("self-probes pass again: pinging the watchdog")
		w.healthy = true
	}
	if err := w.opts.Ping(); err != nil {
		w.opts.Logger.Debug("watchdog ping not sent", "err", err)
	}
}

// probe runs the probes in order and returns the first failure.
func (w *watchdog) probe(ctx context.Context) (string, error) {
	for _, p := range w.opts.Probes {
		pctx, cancel := context.WithTimeout(ctx, w.timeout)
		err := p.Check(pctx)
		cancel()
		if err != nil {
			return p.Name, err
		}
	}
	return "", nil
}
