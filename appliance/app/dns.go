package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"

	"github.com/psobox/psobox/appliance/config"
	"github.com/psobox/psobox/appliance/dns"
	"github.com/psobox/psobox/appliance/lifecycle"
	"github.com/psobox/psobox/appliance/status"
	"github.com/psobox/psobox/appliance/systemd"
)

// dns builds the DNS server: PSO names answered with the game server's
// address for the mode, everything else forwarded, only for the LAN.
// Its settings can change on a reload (liveDNS).
func (w *wiring) dns(logger *slog.Logger) (lifecycle.Service, error) {
	pc, ln := w.sup.takeDNS(logger)
	srv, err := newLiveDNS(w.cfg, logger, pc, ln)
	if err != nil {
		return nil, err
	}
	w.sup.dns = srv
	w.sup.probes = append(w.sup.probes, systemd.DNSProbe(srv.udpAddr))
	w.sources = append(w.sources, status.NewSource("dns", lookupsSection(srv)))
	return srv, nil
}

func dnsOptions(cfg *config.Config, logger *slog.Logger) dns.Options {
	c := cfg.DNS
	opts := dns.Options{
		Listen:         c.Listen,
		ResolvConf:     c.ResolvConf,
		Catchall:       c.Catchall,
		Allow:          c.Allow,
		CacheEntries:   c.CacheEntries,
		RateLimit:      c.RateLimit,
		ExtraHostnames: c.ExtraHostnames,
		Timeout:        c.Timeout.Duration,
		Served:         servedSubnets(cfg),
		GameAddr:       gameAddr(cfg),
		Logger:         logger,
	}
	for _, u := range c.Upstreams {
		opts.Upstreams = append(opts.Upstreams, u.String())
	}
	return opts
}

// gameAddr is what DNS answers for PSO names: the off-subnet sentinel in
// island and home modes (GC Plus and Ep3 refuse a server on their own
// subnet), network.advertise in server mode (zero: chosen per client).
func gameAddr(cfg *config.Config) netip.Addr {
	if cfg.Mode == config.Server {
		return cfg.Network.Advertise
	}
	return cfg.Network.Sentinel
}

// servedSubnets are the LAN subnets whose clients DNS always answers.
func servedSubnets(cfg *config.Config) []netip.Prefix {
	if cfg.Mode == config.Server {
		return nil
	}
	return []netip.Prefix{cfg.ServedSubnet()}
}

func lookupsSection(srv interface{ Lookups() []dns.Lookup }) func(ctx context.Context) status.Section {
	return func(context.Context) status.Section {
		sec := status.Section{Title: "Consoles looking up PSO servers (DNS)", Columns: []string{"when", "client", "looked up", "queries"}}
		for _, l := range srv.Lookups() {
			sec.Rows = append(sec.Rows, []string{l.Time.Format("15:04:05"), l.Client.String(), l.String(), fmt.Sprint(l.Count)})
		}
		if len(sec.Rows) == 0 {
			sec.Note = "No console has looked up a PSO server name yet."
		}
		return sec
	}
}
