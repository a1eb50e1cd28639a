package app

import (
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
// Its settings can change on a reload (liveDNS), so the status page reads
// it through the wrapper, whose counters and lookups span reloads.
func (w *wiring) dns(logger *slog.Logger) (lifecycle.Service, error) {
	pc, ln := w.sup.takeDNS(logger)
	srv, err := newLiveDNS(w.cfg, logger, pc, ln)
	if err != nil {
		return nil, err
	}
	w.sup.dns = srv
	w.sup.probes = append(w.sup.probes, systemd.DNSProbe(srv.udpAddr))
	w.page.dns = dnsStatus{srv}
	w.captureLookups(srv)
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

// dnsStatus shows the DNS server on the status page.
type dnsStatus struct {
	srv interface {
		Lookups() []dns.Lookup
		Stats() dns.Stats
	}
}

// Lookups gives client addresses unmapped, as DHCP and the game server
// write them, so that the page can join them by address.
func (d dnsStatus) Lookups() []status.LookupInfo {
	lookups := d.srv.Lookups()
	out := make([]status.LookupInfo, 0, len(lookups))
	for _, l := range lookups {
		out = append(out, status.LookupInfo{
			Time: l.Time, Client: l.Client.Unmap().String(), Name: l.Name,
			Platform: string(l.Host.Platform), Label: l.Host.Label, Count: l.Count, Summary: l.String(),
		})
	}
	return out
}

func (d dnsStatus) Counters() status.DNSCounters {
	st := d.srv.Stats()
	return status.DNSCounters{
		Queries: st.Queries, NoError: st.NoError, NXDomain: st.NXDomain, ServFail: st.ServFail,
		Refused: st.Refused, OtherRcode: st.Other, Dropped: st.Dropped, Invalid: st.Invalid,
		GameAnswers: st.GameAddrAnswers, CacheHits: st.CacheHits, CacheMisses: st.CacheMisses,
		Forwarded: st.Forwarded, UpstreamErrors: st.UpstreamErrors,
	}
}
