package dns

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"time"
)

// Defaults of the user's [dns] configuration keys. Zero values in Options
// mean these for Listen, ResolvConf and Timeout; for CacheEntries and
// RateLimit zero means off, so the configuration carries these defaults.
const (
	DefaultListen       = ":53"
	DefaultResolvConf   = "/etc/resolv.conf"
	DefaultTimeout      = 2 * time.Second
	DefaultCacheEntries = 4096
	DefaultRateLimit    = 100
)

// Options configures a Server. The first group maps one to one to the
// [dns] configuration keys; the second comes from the network mode; the
// last injects the kernel, the clock and hooks, nil meaning the real thing.
type Options struct {
	Listen         string         // dns.listen: UDP and TCP address; "" is DefaultListen
	Upstreams      []string       // dns.upstreams: "addr" or "addr:port"; empty: the nameservers of ResolvConf
	ResolvConf     string         // dns.resolv_conf: read when Upstreams is empty; "" is DefaultResolvConf
	Catchall       bool           // dns.catchall: every A query gets the game server address
	Allow          []netip.Prefix // dns.allow: more client prefixes besides Served and loopback
	CacheEntries   int            // dns.cache_entries: cache bound; 0 disables the cache
	RateLimit      int            // dns.rate_limit: queries per second per source; 0 disables
	ExtraHostnames []string       // dns.extra_hostnames: answered like the PSO hostnames
	Timeout        time.Duration  // dns.timeout: per forwarded query, all upstreams together; 0 is DefaultTimeout

	// Served are the subnets psobox serves (from the mode); their clients are
	// always allowed.
	Served []netip.Prefix
	// GameAddr is the IPv4 answer for PSO names: network.sentinel in island
	// and home modes, network.advertise in server mode. Zero: in server mode
	// without advertise, each client gets the host's address it can reach.
	GameAddr netip.Addr

	PacketConn net.PacketConn                 // pre-made UDP socket (socket activation); else bound by Listen
	Listener   net.Listener                   // pre-made TCP listener; else bound by Listen on the UDP port
	Dial       DialFunc                       // opens upstream connections; nil: net.Dialer
	Interfaces func() ([]netip.Prefix, error) // the host's addresses; nil: InterfacePrefixes
	Now        func() time.Time               // nil: time.Now
	Logger     *slog.Logger                   // nil: slog.Default()
	Middleware []Middleware                   // extra links run first, right after the metrics link
}

// withDefaults fills in the defaults and checks the values.
func (o Options) withDefaults() (Options, error) {
	if o.Listen == "" {
		o.Listen = DefaultListen
	}
	if o.ResolvConf == "" {
		o.ResolvConf = DefaultResolvConf
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Dial == nil {
		o.Dial = (&net.Dialer{}).DialContext
	}
	if o.Interfaces == nil {
		o.Interfaces = InterfacePrefixes
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	o.GameAddr = o.GameAddr.Unmap()
	return o, o.check()
}

func (o Options) check() error {
	var errs []error
	if o.Timeout < 0 {
		errs = append(errs, fmt.Errorf("timeout %v is negative", o.Timeout))
	}
	if o.CacheEntries < 0 {
		errs = append(errs, fmt.Errorf("cache_entries %d is negative", o.CacheEntries))
	}
	if o.RateLimit < 0 {
		errs = append(errs, fmt.Errorf("rate_limit %d is negative", o.RateLimit))
	}
	if o.GameAddr.IsValid() && !o.GameAddr.Unmap().Is4() {
		errs = append(errs, fmt.Errorf("game server address %v is not IPv4 (consoles only speak IPv4)", o.GameAddr))
	}
	if o.PacketConn == nil && o.Listener == nil {
		if _, _, err := net.SplitHostPort(o.Listen); err != nil {
			errs = append(errs, fmt.Errorf("listen %q: %w", o.Listen, err))
		}
	}
	return errors.Join(errs...)
}
