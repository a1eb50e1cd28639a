package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/psobox/psobox/appliance/config"
	"github.com/psobox/psobox/appliance/privdrop"
)

// The process model (docs/config.md, "Privileges"):
//
//   - one process does everything when psobox starts unprivileged (a
//     systemd unit grants the capabilities), or as root without dropping;
//   - a root psobox that drops privileges (always under gokrazy) sets up
//     the network and keeps watching it, and runs the services in a child
//     started as privileges.uid/gid with only serviceCaps. The network
//     stays with root because keeping it (putting addresses back after a
//     cable is replugged) needs CAP_NET_ADMIN, which the game server, the
//     part that talks to every console, must not have.

// role is this process's part in running psobox.
type role int

const (
	roleAll      role = iota // network and services in this process
	roleParent               // root: network here, services in an unprivileged child
	roleServices             // that child: services only
)

// serviceCaps are all the services need: ports 53 and 67, and DHCP's
// packet sockets.
var serviceCaps = []privdrop.Cap{privdrop.CapNetBindService, privdrop.CapNetRaw}

// childGrace bounds how long the parent waits for the child after asking
// it to stop: longer than lifecycle's own shutdown bound.
const childGrace = 30 * time.Second

func roleOf(cfg *config.Config, h privdrop.Host) role {
	switch {
	case h.Child():
		return roleServices
	case !h.Root():
		return roleAll
	case cfg.Privileges.Drop == "always", h.Gokrazy():
		return roleParent
	}
	return roleAll
}

// takePart sets up this process's part before the services are built. It
// returns the context the services run under and what to do after them.
// done means there is nothing left for Run to do: a parent ran the
// services in its child.
func takePart(ctx context.Context, cfg *config.Config, logger *slog.Logger) (svcCtx context.Context, release func() error, done bool, err error) {
	nothing := func() error { return nil }
	host := privdrop.DefaultHost()
	switch roleOf(cfg, host) {
	case roleParent:
		return ctx, nothing, true, supervise(ctx, cfg, logger)
	case roleServices:
		return ctx, nothing, false, checkUnprivileged(logger)
	}
	if host.Root() {
		logger.Warn("running as root: the services, the game server included, keep every privilege; "+
			`privileges.drop = "always" runs them as privileges.uid`, "component", "privileges")
	}
	svcCtx, net, err := claimNetwork(ctx, cfg, logger)
	if err != nil {
		return ctx, nothing, false, err
	}
	return svcCtx, net.release, false, nil
}

// supervise is the root parent: state directory, network, then the
// services in the child until it exits.
func supervise(ctx context.Context, cfg *config.Config, logger *slog.Logger) error {
	p := cfg.Privileges
	if err := handOver(cfg.StateDir(), p.UID, p.GID); err != nil {
		return err
	}
	svcCtx, net, err := claimNetwork(ctx, cfg, logger)
	if err != nil {
		return err
	}
	err = runChild(svcCtx, cfg, logger.With("component", "privileges"))
	return errors.Join(err, net.release())
}

// handOver gives the state directory to the services' user.
func handOver(dir string, uid, gid int) error {
	if err := privdrop.Own(dir, uid, gid); err != nil {
		return fmt.Errorf("state directory: %w", err)
	}
	if err := privdrop.Reachable(dir, uid, gid); err != nil {
		return fmt.Errorf("state directory: %w; choose one that user can reach (state_dir, -state-dir) or another privileges.uid", err)
	}
	return nil
}

// runChild starts the services unprivileged and follows them: SIGHUP is
// passed on, ctx's end becomes SIGTERM, and their exit ends the parent.
func runChild(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	text, err := cfg.TOML()
	if err != nil {
		return err
	}
	p := cfg.Privileges
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	child, err := privdrop.Start(privdrop.Options{
		UID: uint32(p.UID), GID: uint32(p.GID), Caps: serviceCaps, Config: text, Args: os.Args[1:],
	})
	if err != nil {
		return err
	}
	log.Info("services started unprivileged", "pid", child.Pid(), "uid", p.UID, "gid", p.GID, "capabilities", privdrop.SetOf(serviceCaps...))
	return followChild(ctx, child, hup, log)
}

func followChild(ctx context.Context, child *privdrop.Child, hup <-chan os.Signal, log *slog.Logger) error {
	stop, kill := ctx.Done(), (<-chan time.Time)(nil)
	for {
		select {
		case <-child.Done():
			return childResult(child.Err(), context.Cause(ctx))
		case <-hup:
			log.Info("passing SIGHUP to the services")
			_ = child.Signal(syscall.SIGHUP)
		case <-stop:
			stop = nil
			kill = time.After(childGrace)
			_ = child.Signal(syscall.SIGTERM)
		case <-kill:
			log.Error("the services did not stop; killing them", "after", childGrace)
			_ = child.Signal(syscall.SIGKILL)
		}
	}
}

// childResult: the child prints its own error, so only the exit status is
// added here; a network failure that stopped it is the real cause.
func childResult(err, cause error) error {
	if cause != nil && !errors.Is(cause, context.Canceled) {
		return nil // the network's error is returned by release
	}
	if err != nil {
		return fmt.Errorf("services: %w", err)
	}
	return nil
}

// checkUnprivileged is the child's guard and log line: it refuses to
// serve as root, whatever started it.
func checkUnprivileged(logger *slog.Logger) error {
	id, err := privdrop.ReadIdentity(0)
	if err != nil {
		return fmt.Errorf("privileges: %w", err)
	}
	if id.UIDs[1] == 0 || id.GIDs[1] == 0 {
		return errors.New("privileges: started as the unprivileged child but running as root; refusing to serve")
	}
	logger.Info("services running unprivileged", "component", "privileges", "uid", id.UIDs[1], "gid", id.GIDs[1],
		"capabilities", id.Effective, "no_new_privs", id.NoNewPrivs)
	return nil
}
