package app

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/psobox/psobox/appliance/config"
	"github.com/psobox/psobox/appliance/lifecycle"
	"github.com/psobox/psobox/internal/version"
)

// Run sets up the network the mode needs, builds every enabled service
// from cfg and runs them until ctx is cancelled, then removes what it
// added to the network. Started as root it may run the services in an
// unprivileged child instead (privileges.go). cfg's state directory must
// already exist.
func Run(ctx context.Context, cfg *config.Config, logger *slog.Logger) (err error) {
	log := logger.With("component", "psobox")
	log.Info("starting", "version", version.String(), "mode", cfg.Mode, "state_dir", cfg.StateDir())
	ctx, release, done, err := takePart(ctx, cfg, logger)
	if done || err != nil {
		return err
	}
	defer func() { err = errors.Join(err, release()) }()
	services, err := newWiring(cfg, logger, time.Now()).services()
	if err != nil {
		return err
	}
	if len(services) == 0 {
		return errors.New("nothing to serve: every service is disabled in the config or not in this build")
	}
	err = lifecycle.Run(ctx, logger.With("component", "lifecycle"), services, lifecycle.Options{
		Ready: func() { log.Info("ready", "services", len(services)) },
	})
	if err == nil {
		log.Info("stopped")
	}
	return err
}
