package app

import (
	"github.com/psobox/psobox/appliance/config"
	"github.com/psobox/psobox/appliance/status"
)

// statusInputs is what the status page shows, filled in by the parts as
// they are built (dns.go, dhcp.go...); the page is built last.
type statusInputs struct {
	dns  status.DNS
	dhcp status.DHCP
	// game is set by the game server's part with an adapter to
	// status.Game; while it is nil the page says the game server is not
	// running.
	game     status.Game
	warnings []status.WarningSource
	capture  status.Capture // set with the game server (capture.go)
}

// withPageInputs adds what the parts registered to the status page's
// options: their facts, their warnings, and the addresses consoles use.
func (w *wiring) withPageInputs(o status.Options) status.Options {
	in := w.page
	o.Addresses = consoleAddresses(w.cfg, in.dns != nil, in.dhcp != nil)
	o.Game, o.DNS, o.DHCP, o.Capture = in.game, in.dns, in.dhcp, in.capture
	o.Warnings = append([]status.WarningSource{status.WarningFunc(w.configWarnings)}, in.warnings...)
	return o
}

// consoleAddresses are what the consoles are told to use: the Pi is their
// DNS server and router, and PSO's names resolve to the sentinel (island,
// home) or to network.advertise (server; "" when chosen per client).
func consoleAddresses(cfg *config.Config, dns, dhcp bool) status.Addresses {
	var a status.Addresses
	if cfg.Mode == config.Server {
		if cfg.Network.Advertise.IsValid() {
			a.Game = cfg.Network.Advertise.String()
			if dns {
				a.DNS = a.Game
			}
		}
		return a
	}
	a.Interface, a.Game = cfg.Network.Interface, cfg.Network.Sentinel.String()
	if dns {
		a.DNS = cfg.Network.Address.Addr().String()
	}
	if dhcp {
		a.Router, a.Subnet = cfg.Network.Address.Addr().String(), cfg.ServedSubnet().String()
	}
	return a
}

// configWarnings are settings worth a reminder while they are on.
func (w *wiring) configWarnings() []status.Warning { return w.captureWarnings() }
