package app

import (
	"context"
	"fmt"
	"log/slog"
	"net"

	"github.com/psobox/psobox/appliance/config"
	"github.com/psobox/psobox/appliance/dhcp"
	"github.com/psobox/psobox/appliance/lifecycle"
	"github.com/psobox/psobox/appliance/status"
)

// dhcpEnabled: DHCP runs only in island and home modes; config validation
// already refuses an explicit dhcp.enabled = true in server mode.
func (w *wiring) dhcpEnabled() bool {
	return w.cfg.DHCP.Enabled && w.cfg.Mode != config.Server
}

// dhcp builds the DHCP server that hands consoles an address with the Pi as
// router and DNS: the router is what lets GC Plus/Ep3 reach the sentinel.
func (w *wiring) dhcp(logger *slog.Logger) (lifecycle.Service, error) {
	opts := dhcpOptions(w.cfg, logger)
	opts.Conn = w.sup.takeDHCP(logger)
	srv, err := dhcp.New(opts)
	if err != nil {
		return nil, err
	}
	w.sup.describeAs("dhcp", dhcpLine(srv))
	w.sources = append(w.sources, status.NewSource("dhcp", leasesSection(srv)))
	return srv, nil
}

func dhcpOptions(cfg *config.Config, logger *slog.Logger) dhcp.Options {
	c := cfg.DHCP
	start, end := cfg.Pool()
	opts := dhcp.Options{
		Mode:       dhcp.Mode(cfg.Mode),
		Interface:  cfg.Network.Interface,
		Address:    cfg.Network.Address,
		PoolStart:  start,
		PoolEnd:    end,
		LeaseTime:  c.LeaseTime.Duration,
		Domain:     c.Domain,
		Force:      c.Force,
		RogueCheck: c.RogueCheck.Duration,
		StateDir:   cfg.StateDir(),
		Logger:     logger,
	}
	for _, o := range c.ConsoleOUIs {
		opts.ConsoleOUIs = append(opts.ConsoleOUIs, dhcp.OUI(o))
	}
	for _, m := range c.ConsoleMACs {
		opts.ConsoleMACs = append(opts.ConsoleMACs, net.HardwareAddr(m[:]))
	}
	for _, r := range c.Reservations {
		opts.Reservations = append(opts.Reservations, dhcp.Reservation{MAC: net.HardwareAddr(r.MAC[:]), IP: r.IP, Name: r.Name})
	}
	return opts
}

func leasesSection(srv *dhcp.Server) func(ctx context.Context) status.Section {
	return func(context.Context) status.Section {
		st := srv.Status()
		sec := status.Section{Title: "Consoles with an address (DHCP)", Columns: []string{"MAC", "vendor", "IP", "hostname", "state", "expires"}}
		for _, l := range srv.Leases() {
			sec.Rows = append(sec.Rows, []string{l.MAC.String(), l.Vendor, l.IP.String(), l.Hostname, l.State, l.Remaining.Round(1e9).String()})
		}
		sec.Note = fmt.Sprintf("DHCP on %s: %s. %s", st.Interface, st.State, st.Message)
		return sec
	}
}
