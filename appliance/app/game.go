package app

import (
	"fmt"
	"log/slog"
	"net"

	"github.com/psobox/psobox/appliance/config"
	"github.com/psobox/psobox/appliance/lifecycle"
	"github.com/psobox/psobox/appliance/systemd"
	"github.com/psobox/psobox/gameserver/server"
)

// probePort is the game port the watchdog connects to: GameCube US and
// Episode III, and where the 9100 split sends consoles.
const probePort = 9103

// game builds the PSO game server on every console port.
func (w *wiring) game(logger *slog.Logger) (lifecycle.Service, error) {
	opts, err := gameOptions(w.cfg, logger)
	if err != nil {
		return nil, err
	}
	w.captureGame(&opts)
	srv, err := server.New(opts)
	if err != nil {
		return nil, err
	}
	w.showConnections(srv)
	w.sup.probes = append(w.sup.probes, systemd.TCPProbe("game", func() net.Addr {
		if ap, ok := srv.Addrs()[probePort]; ok {
			return net.TCPAddrFromAddrPort(ap)
		}
		return nil
	}))
	w.sup.describeAs("game", func() string { return fmt.Sprintf("game %d ports", len(srv.Addrs())) })
	return srv, nil
}

func gameOptions(cfg *config.Config, logger *slog.Logger) (server.Options, error) {
	c := cfg.Game
	mode, err := server.ParseAccountMode(c.Accounts)
	if err != nil {
		return server.Options{}, err
	}
	opts := server.DefaultOptions()
	if c.Listen.IsValid() {
		opts.Listen = c.Listen.String()
	}
	opts.ServerName = c.ServerName
	opts.Accounts = mode
	opts.WelcomeMessage = c.WelcomeMessage
	opts.MaxClients = c.MaxClients
	opts.MaxPerIP = c.MaxPerIP
	opts.PingInterval = c.PingInterval.Duration
	opts.IdleTimeout = c.IdleTimeout.Duration
	opts.LoginTimeout = c.LoginTimeout.Duration
	opts.StateDir = cfg.StateDir()
	opts.BBKeyDir = cfg.BBKeyDir()
	opts.PCOn9100 = c.PCOn9100
	opts.QuestDir = cfg.QuestDir()
	opts.ChatCommands = c.ChatCommands
	opts.ChatCommandPrefix = c.ChatCommandPrefix
	opts.Logger = logger
	return opts, nil
}
