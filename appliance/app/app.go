package app

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/psobox/psobox/appliance/config"
	"github.com/psobox/psobox/appliance/lifecycle"
	"github.com/psobox/psobox/appliance/status"
	"github.com/psobox/psobox/gameserver/capture"
	"github.com/psobox/psobox/internal/version"
)

// wiring turns the config into the list of services psobox runs: one entry
// in parts, and a method (in its own file) that builds it from the config.
type wiring struct {
	cfg     *config.Config
	logger  *slog.Logger
	started time.Time
	list    []lifecycle.Service // built once, before anything serves
	// sources are status page sections the parts add as they are built
	// (DHCP leases, players...); the status page, built last, shows them.
	sources []status.Source
	page    statusInputs // the parts' facts for the status page (status.go)
	// sup is what the parts hand to the systemd integration (probes,
	// status line) and take from it (socket-activated sockets).
	sup supervision
	// capt is session capture, built with the game server (capture.go).
	capt *capture.Capture
}

func newWiring(cfg *config.Config, logger *slog.Logger, started time.Time) *wiring {
	w := &wiring{cfg: cfg, logger: logger, started: started}
	if src, ok := networkSection(cfg); ok {
		w.sources = append(w.sources, src)
	}
	return w
}

// part is one service psobox knows about.
type part struct {
	name    string
	enabled bool
	build   func(logger *slog.Logger) (lifecycle.Service, error)
}

// parts lists every service in start order: DNS before DHCP (DHCP hands
// out psobox as the DNS server), the status page last so that it gets the
// sections the others added to w.sources.
func (w *wiring) parts() []part {
	return []part{
		{"dns", w.cfg.DNS.Enabled, w.dns},
		{"dhcp", w.dhcpEnabled(), w.dhcp},
		{"game", w.cfg.Game.Enabled, w.game},
		{"status", w.cfg.Status.Enabled, w.status},
	}
}

// services builds the enabled services, each with its own tagged logger.
func (w *wiring) services() ([]lifecycle.Service, error) {
	for _, p := range w.parts() {
		logger := w.logger.With("component", p.name)
		switch {
		case !p.enabled:
			logger.Debug("disabled in the config")
		default:
			svc, err := p.build(logger)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", p.name, err)
			}
			w.list = append(w.list, svc)
		}
	}
	return w.list, nil
}

func (w *wiring) status(logger *slog.Logger) (lifecycle.Service, error) {
	return status.New(w.withPageInputs(status.Options{
		Listen:  w.cfg.Status.Listen,
		Version: version.String(),
		Mode:    string(w.cfg.Mode),
		Logger:  logger,
		Started: w.started,
		Sources: append([]status.Source{status.NewSource("services", w.servicesSection)}, w.sources...),
	})), nil
}

// servicesSection lists every running service and where it serves.
func (w *wiring) servicesSection(context.Context) status.Section {
	sec := status.Section{Title: "Services", Columns: []string{"service", "serving on"}}
	for _, s := range w.list {
		where := ""
		if e, ok := s.(lifecycle.Endpointer); ok {
			where = strings.Join(e.Endpoints(), ", ")
		}
		sec.Rows = append(sec.Rows, []string{s.Name(), where})
	}
	return sec
}
