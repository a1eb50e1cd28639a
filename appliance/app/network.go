package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/psobox/psobox/appliance/config"
	"github.com/psobox/psobox/appliance/netsetup"
	"github.com/psobox/psobox/appliance/status"
)

// networkOptions says what the mode needs from the network; ok is false
// in server mode, which touches nothing.
func networkOptions(cfg *config.Config) (o netsetup.Options, ok bool) {
	n := cfg.Network
	switch cfg.Mode {
	case config.Island:
		return netsetup.Options{Interface: n.Interface, Address: n.Address, BringUp: true, Sentinel: n.Sentinel}, true
	case config.Home:
		return netsetup.Options{Interface: n.Interface, Require: n.Address.Addr(), Sentinel: n.Sentinel}, true
	}
	return o, false
}

// network is psobox's hold on the network for one run.
type network struct {
	setup *netsetup.Setup // nil in server mode
	stop  func()          // ends the watcher
	done  chan struct{}   // closed when the watcher has ended
	err   error           // the watcher's error, once done is closed
}

// claimNetwork sets up what the mode needs, before any service binds (DHCP
// binds to the interface, and hands out network.address), and keeps it in
// place until release. The context it returns is cancelled, with the
// reason, if the network can no longer be kept (the interface was
// replaced): the services then stop and psobox exits for its supervisor
// to start it again.
func claimNetwork(ctx context.Context, cfg *config.Config, logger *slog.Logger) (context.Context, *network, error) {
	opts, ok := networkOptions(cfg)
	if !ok {
		return ctx, &network{}, nil
	}
	opts.Logger = logger.With("component", "network")
	s, err := netsetup.New(opts)
	if err != nil {
		return ctx, nil, fmt.Errorf("network: %w", err)
	}
	if err := s.Apply(ctx); err != nil {
		return ctx, nil, errors.Join(explainNetwork(cfg, err), s.Close())
	}
	svcCtx, cancel := context.WithCancelCause(ctx)
	// The watcher outlives ctx: it keeps the addresses while the services
	// shut down, until release.
	watchCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	n := &network{setup: s, stop: stop, done: make(chan struct{})}
	go func() {
		defer close(n.done)
		if n.err = s.Watch(watchCtx); n.err != nil {
			cancel(n.err)
		}
	}()
	return svcCtx, n, nil
}

// release stops watching and removes what psobox added. It returns the
// watcher's failure, if any, and any error removing the addresses.
func (n *network) release() error {
	if n.setup == nil {
		return nil
	}
	n.stop()
	<-n.done
	var errs []error
	if n.err != nil {
		errs = append(errs, fmt.Errorf("network: %w", n.err))
	}
	if err := n.setup.Close(); err != nil {
		errs = append(errs, fmt.Errorf("network: clean up: %w", err))
	}
	return errors.Join(errs...)
}

// explainNetwork names the config keys behind a set-up failure.
func explainNetwork(cfg *config.Config, err error) error {
	var noLink *netsetup.MissingLinkError
	var noAddr *netsetup.MissingAddrError
	switch {
	case errors.As(err, &noLink):
		return fmt.Errorf("network.interface: %w", err)
	case errors.As(err, &noAddr):
		return fmt.Errorf("network.address: %w; in home mode it must be this host's own address on the home network "+
			"(give the host a fixed address in the router and write it here)", err)
	case errors.Is(err, netsetup.ErrNoPrivilege):
		return fmt.Errorf("network (%s mode): %w", cfg.Mode, err)
	}
	return fmt.Errorf("network: %w", err)
}

// networkSection shows the link and psobox's addresses on the status
// page, read afresh for each view. Reading needs no privilege, so it works
// in the unprivileged child too, whose root parent keeps the network.
func networkSection(cfg *config.Config) (status.Source, bool) {
	opts, ok := networkOptions(cfg)
	if !ok {
		return nil, false
	}
	return status.NewSource("network", func(context.Context) status.Section {
		s, err := netsetup.New(opts)
		if err != nil {
			return status.Section{Title: "Network", Note: "Cannot read the network: " + err.Error()}
		}
		defer s.Close()
		return networkTable(s.Status())
	}), true
}

func networkTable(st netsetup.Status) status.Section {
	sec := status.Section{Title: "Network", Columns: []string{"what", "where", "state"}}
	sec.Rows = append(sec.Rows, []string{"link", st.Interface, linkState(st)})
	var missing []string
	for _, a := range st.Addresses {
		state := "present"
		if !a.Present {
			state = "MISSING"
			missing = append(missing, a.Address.String())
		}
		sec.Rows = append(sec.Rows, []string{a.Address.String(), a.Link, state})
	}
	if len(missing) > 0 {
		sec.Note = "Missing " + strings.Join(missing, ", ") + ": consoles cannot reach psobox until it is back."
	}
	return sec
}

func linkState(st netsetup.Status) string {
	switch {
	case !st.Exists:
		return "MISSING"
	case !st.Up:
		return "down"
	case !st.Carrier:
		return "up, NO CABLE (no carrier)"
	}
	return "up, carrier"
}
