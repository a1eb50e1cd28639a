package app

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/psobox/psobox/appliance/config"
	"github.com/psobox/psobox/internal/version"
)

// Run sets up the network the mode needs, builds every enabled service
// from cfg and runs them until ctx is cancelled, then removes what it added
// to the network. cfg's state directory must already exist. Started as
// root it may run the services in an unprivileged child instead
// (privileges.go). opts adds the service manager integration: reload on
// SIGHUP; under systemd also readiness, status and watchdog pings, and
// socket-activated sockets (see appliance/systemd).
func Run(ctx context.Context, cfg *config.Config, logger *slog.Logger, opts Options) (err error) {
	log := logger.With("component", "psobox")
	log.Info("starting", "version", version.String(), "mode", cfg.Mode, "state_dir", cfg.StateDir())
	ctx, release, done, err := takePart(ctx, cfg, logger)
	if done || err != nil {
		return err
	}
	defer func() { err = errors.Join(err, release()) }()
	sup := newSupervisor(ctx, logger, opts)
	defer sup.close()
	w := newWiring(cfg, logger, time.Now())
	if w.sup.sockets, err = sup.activated(); err != nil {
		return err
	}
	services, err := w.services()
	w.sup.closeUntaken(log)
	if err != nil {
		return err
	}
	if len(services) == 0 {
		return errors.New("nothing to serve: every service is disabled in the config or not in this build")
	}
	sup.bind(w, cfg)
	err = sup.run(ctx, logger.With("component", "lifecycle"), services, func() {
		log.Info("ready", "services", len(services))
	})
	if err == nil {
		log.Info("stopped")
	}
	return err
}
