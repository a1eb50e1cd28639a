package app

import (
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
	w.captureLeases(srv)
	w.page.dhcp = dhcpStatus{srv}
	w.page.warnings = append(w.page.warnings, status.WarningFunc(func() []status.Warning {
		return dhcpWarnings(srv.Status())
	}))
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

// dhcpStatus shows the DHCP server on the status page.
type dhcpStatus struct{ srv *dhcp.Server }

func (d dhcpStatus) Leases() []status.LeaseInfo {
	leases := d.srv.Leases()
	out := make([]status.LeaseInfo, 0, len(leases))
	for _, l := range leases {
		out = append(out, status.LeaseInfo{
			MAC: l.MAC.String(), Vendor: l.Vendor, IP: l.IP.String(), Hostname: l.Hostname,
			State: l.State, Expires: l.Expires, Reserved: l.Reserved, Console: l.Console,
		})
	}
	return out
}

func (d dhcpStatus) Status() status.DHCPStatus {
	st := d.srv.Status()
	out := status.DHCPStatus{
		Interface: st.Interface, State: string(st.State), Message: st.Message, Forced: st.Forced,
		PoolSize: st.PoolSize, LeasesActive: st.LeasesActive, Counters: dhcpCounters(st.Counters),
	}
	for _, r := range st.Rogues {
		out.Rogues = append(out.Rogues, status.RogueServer{ServerID: r.ServerID.String(), MAC: r.MAC.String()})
	}
	return out
}

func dhcpCounters(c dhcp.Counters) status.DHCPCounters {
	return status.DHCPCounters{
		Received: c.Received, Discover: c.Discover, Request: c.Request, Decline: c.Decline,
		Release: c.Release, Inform: c.Inform, Offer: c.Offer, Ack: c.Ack, Nak: c.Nak,
		Ignored: c.Ignored, Exhausted: c.Exhausted, Conflicts: c.Conflicts,
		ProbeErrors: c.ProbeErrors, SendErrors: c.SendErrors,
	}
}

// dhcpWarnings are what the person at the party must know about DHCP: it
// refused to serve (another DHCP server, a missing capability), serves
// with a caveat, cannot keep its leases, or ran out of addresses.
func dhcpWarnings(st dhcp.Status) []status.Warning {
	var out []status.Warning
	add := func(l status.Level, msg string) {
		out = append(out, status.Warning{Component: "dhcp", Level: l, Message: msg})
	}
	switch {
	case st.State == dhcp.StateRefused:
		add(status.LevelError, st.Message+". Consoles get no address from psobox.")
	case st.State == dhcp.StateServing && st.Message != "":
		add(status.LevelWarning, st.Message)
	}
	if st.LeaseFileError != "" {
		add(status.LevelWarning, st.LeaseFileError+": leases will not survive a restart")
	}
	if n := st.Counters.Exhausted; n > 0 {
		add(status.LevelWarning, fmt.Sprintf("the pool of %d addresses ran out (%d requests went unanswered): "+
			"widen dhcp.pool_start to dhcp.pool_end", st.PoolSize, n))
	}
	return out
}
