package app

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/psobox/psobox/appliance/config"
	"github.com/psobox/psobox/appliance/lifecycle"
	"github.com/psobox/psobox/appliance/systemd"
)

// statusRefresh is how often the status line is recomputed; it is sent
// only when it changed (DHCP refused, a reload pending...).
const statusRefresh = 5 * time.Second

// Options add the service manager integration to Run; the zero value runs
// without reload.
type Options struct {
	// Reload re-reads the configuration as start-up read it (file and
	// flags). Nil: SIGHUP is left alone.
	Reload func() (*config.Config, error)
	// LogLevel is the level of the logger Run is given, so that a reload
	// can change log.level. Nil: a log.level change needs a restart.
	LogLevel *slog.LevelVar
}

// supervisor speaks to systemd for one run: READY=1 once every socket is
// bound, STATUS= lines, the watchdog, and reloads on SIGHUP. Under no
// service manager all of it is silent and the reload still works.
type supervisor struct {
	log     *slog.Logger
	notify  *systemd.Notifier
	opts    Options
	hup     chan os.Signal // nil without Options.Reload
	refresh time.Duration  // how often the status line is recomputed

	ctx      context.Context // ends when the run ends
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	stopOnce sync.Once

	w      *wiring // set by bind, before Ready
	reload *reloader

	mu   sync.Mutex
	sent string // the last status line sent
}

// newSupervisor starts listening for SIGHUP at once: its default action
// would end the process.
func newSupervisor(ctx context.Context, logger *slog.Logger, opts Options) *supervisor {
	s := &supervisor{log: logger.With("component", "systemd"), opts: opts, refresh: statusRefresh}
	s.notify = systemd.NewNotifier(s.log)
	s.ctx, s.cancel = context.WithCancel(ctx)
	if opts.Reload != nil {
		s.hup = make(chan os.Signal, 1)
		signal.Notify(s.hup, syscall.SIGHUP)
	}
	context.AfterFunc(ctx, s.stopping)
	return s
}

// activated returns the sockets systemd passed (none outside systemd).
func (s *supervisor) activated() (systemd.Sockets, error) {
	sockets, err := systemd.Activated(systemd.ListenFiles())
	if names := sockets.Names(); len(names) > 0 {
		s.log.Info("socket activation", "sockets", names)
	}
	return sockets, err
}

// bind takes the built services; reloads then know what to change.
func (s *supervisor) bind(w *wiring, cfg *config.Config) {
	s.w = w
	s.reload = &reloader{load: s.opts.Reload, level: s.opts.LogLevel, dns: w.sup.dns, log: s.log, running: cfg}
}

// ready is lifecycle's Ready hook: every socket is bound.
func (s *supervisor) ready() {
	s.readyWithStatus()
	s.startWatchdog()
	s.goLoop(s.refreshStatus)
	if s.hup != nil {
		s.goLoop(s.reloadOnHUP)
	}
}

func (s *supervisor) goLoop(loop func()) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		loop()
	}()
}

// startWatchdog pings systemd's watchdog while the services' probes pass.
func (s *supervisor) startWatchdog() {
	interval, err := systemd.WatchdogInterval()
	if err != nil {
		s.log.Warn("watchdog settings unreadable; not pinging", "err", err)
	}
	if interval <= 0 {
		return
	}
	names := make([]string, len(s.w.sup.probes))
	for i, p := range s.w.sup.probes {
		names[i] = p.Name
	}
	s.log.Info("watchdog on", "timeout", interval, "probes", strings.Join(names, ", "))
	s.goLoop(func() {
		systemd.RunWatchdog(s.ctx, systemd.WatchdogOptions{
			Interval: interval, Probes: s.w.sup.probes, Ping: s.notify.Watchdog, Logger: s.log,
		})
	})
}

// refreshStatus sends the status line again whenever it changes.
func (s *supervisor) refreshStatus() {
	if !s.notify.Enabled() {
		return
	}
	t := time.NewTicker(s.refresh)
	defer t.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
			s.reportIfChanged()
		}
	}
}

// readyWithStatus sends READY=1 with the status line.
func (s *supervisor) readyWithStatus() {
	line := s.statusLine()
	s.mu.Lock()
	s.sent = line
	s.mu.Unlock()
	s.notify.Ready(line)
}

func (s *supervisor) reportIfChanged() {
	line := s.statusLine()
	s.mu.Lock()
	changed := line != s.sent
	s.sent = line
	s.mu.Unlock()
	if changed {
		s.notify.Status(line)
	}
}

// reloadOnHUP reloads the configuration at every SIGHUP.
func (s *supervisor) reloadOnHUP() {
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-s.hup:
		}
		s.log.Info("SIGHUP: reloading the configuration")
		s.notify.Reloading()
		s.reload.reload()
		s.readyWithStatus()
	}
}

// statusLine is what systemctl status shows.
func (s *supervisor) statusLine() string {
	line := s.w.sup.line(s.w.list)
	if note := s.reload.note(); note != "" {
		line += "; " + note
	}
	return line
}

func (s *supervisor) stopping() {
	s.stopOnce.Do(s.notify.Stopping)
}

// close ends the loops once the services stopped.
func (s *supervisor) close() {
	s.stopping()
	s.cancel()
	if s.hup != nil {
		signal.Stop(s.hup)
	}
	s.wg.Wait()
}

// run is lifecycle.Run with the supervisor's hooks.
func (s *supervisor) run(ctx context.Context, logger *slog.Logger, services []lifecycle.Service, ready func()) error {
	return lifecycle.Run(ctx, logger, services, lifecycle.Options{Ready: func() {
		ready()
		s.ready()
	}})
}
