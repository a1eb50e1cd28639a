package systemd

import (
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-systemd/v22/daemon"
	"golang.org/x/sys/unix"
)

// Notifier sends sd_notify messages to the service manager. When
// NOTIFY_SOCKET is unset (not under systemd, or a unit without
// Type=notify) every method does nothing.
type Notifier struct {
	log       *slog.Logger
	monotonic func() time.Duration // CLOCK_MONOTONIC, for RELOADING's MONOTONIC_USEC

	mu      sync.Mutex
	failing bool // the last send failed (logged once until one succeeds)
}

// NewNotifier returns a Notifier that logs failed sends to logger.
func NewNotifier(logger *slog.Logger) *Notifier {
	return &Notifier{log: logger, monotonic: monotonicNow}
}

// Enabled reports whether a service manager listens (NOTIFY_SOCKET is set).
func (n *Notifier) Enabled() bool { return os.Getenv("NOTIFY_SOCKET") != "" }

// Ready says every socket is bound and psobox serves, with a status line.
// After a reload it also ends the RELOADING state.
func (n *Notifier) Ready(status string) {
	n.send(daemon.SdNotifyReady + "\n" + statusField(status))
}

// Status replaces the one-line status systemctl status shows.
func (n *Notifier) Status(status string) { n.send(statusField(status)) }

// Reloading says a configuration reload began; Ready ends it. Newer systemd
// wants the monotonic time with it (sd_notify(3)), older ignores it.
func (n *Notifier) Reloading() {
	n.send(fmt.Sprintf("%s\nMONOTONIC_USEC=%d", daemon.SdNotifyReloading, n.monotonic().Microseconds()))
}

// Stopping says the shutdown began.
func (n *Notifier) Stopping() { n.send(daemon.SdNotifyStopping) }

// Watchdog pings the service manager's watchdog.
func (n *Notifier) Watchdog() error { return n.send(daemon.SdNotifyWatchdog) }

// send delivers one datagram. A failure is logged once, not at every
// watchdog ping, and logged again only after a send worked in between.
func (n *Notifier) send(state string) error {
	_, err := daemon.SdNotify(false, state)
	n.mu.Lock()
	report := err != nil && !n.failing
	recovered := err == nil && n.failing
	n.failing = err != nil
	n.mu.Unlock()
	switch {
	case report:
		n.log.Warn("sd_notify failed; systemd does not hear from psobox", "socket", os.Getenv("NOTIFY_SOCKET"), "err", err)
	case recovered:
		n.log.Info("sd_notify works again")
	}
	return err
}

// statusField is STATUS= with the text on one line, as the protocol needs.
func statusField(s string) string {
	return "STATUS=" + strings.Join(strings.Fields(s), " ")
}

func monotonicNow() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}
