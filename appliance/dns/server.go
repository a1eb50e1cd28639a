package dns

import (
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"sync"
)

// Server is psobox's DNS service: New, then Listen, then Serve.
type Server struct {
	opts    Options
	log     *slog.Logger
	stats   *counters
	lookups *lookupLog
	ifaces  *interfaceCache
	handler Handler

	upstreams *upstreamSet // nil in catch-all mode
	resolv    *resolvConf  // nil unless upstreams come from resolv.conf

	mu      sync.Mutex // guards the sockets, bound and unwatch, set by Listen
	pc      net.PacketConn
	ln      net.Listener
	bound   netip.AddrPort
	unwatch func() bool // stops Listen's close-on-cancel once Serve has closed the sockets
}

// New checks opts and assembles the handler chain. It opens no socket.
func New(opts Options) (*Server, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("dns: %w", err)
	}
	s := &Server{
		opts:    opts,
		log:     opts.Logger,
		stats:   new(counters),
		lookups: newLookupLog(defaultLookupLogSize),
		ifaces:  &interfaceCache{source: opts.Interfaces, now: opts.Now},
	}
	if !opts.Catchall {
		if err := s.setUpstreams(); err != nil {
			return nil, fmt.Errorf("dns: %w", err)
		}
	}
	if s.handler, err = s.buildChain(s.upstreams); err != nil {
		return nil, fmt.Errorf("dns: %w", err)
	}
	return s, nil
}

// setUpstreams follows the configured list, or else resolv.conf.
func (s *Server) setUpstreams() error {
	if len(s.opts.Upstreams) > 0 {
		servers, err := parseUpstreams(s.opts.Upstreams)
		if err != nil {
			return err
		}
		s.upstreams = newUpstreamSet(func() []netip.AddrPort { return servers }, s.opts.Dial)
		return nil
	}
	s.resolv = &resolvConf{path: s.opts.ResolvConf, now: s.opts.Now, isSelf: s.isSelf, log: s.log}
	s.upstreams = newUpstreamSet(s.resolv.current, s.opts.Dial)
	return nil
}

// buildChain assembles the links in their fixed order:
// metrics → extra middleware → acl → ratelimit → minimal ANY → lookup
// recorder → PSO names → cache → forward to ex, or catch-all in place of the
// last two.
func (s *Server) buildChain(ex exchanger) (Handler, error) {
	o := s.opts
	names, err := newHostnameTable(o.ExtraHostnames)
	if err != nil {
		return nil, err
	}
	allow, err := newAllowList(o.Served, o.Allow, loopbackPrefixes())
	if err != nil {
		return nil, err
	}
	policy := gameAddrPolicy{fixed: o.GameAddr, ifaces: s.ifaces}
	mws := append([]Middleware{metricsMiddleware(s.stats)}, o.Middleware...)
	mws = append(mws, aclMiddleware(allow))
	if o.RateLimit > 0 {
		mws = append(mws, rateLimitMiddleware(newRateLimiter(o.RateLimit, maxRateSources, o.Now)))
	}
	mws = append(mws, minimalAnyMiddleware(), lookupRecorderMiddleware(names, s.lookups, o.Now), psoNamesMiddleware(names, policy, s.stats))
	if o.Catchall {
		return Chain(catchAllHandler(policy, s.stats), mws...), nil
	}
	if o.CacheEntries > 0 {
		mws = append(mws, cacheMiddleware(newCache(o.CacheEntries, o.Now), s.stats))
	}
	return Chain(forwardHandler(ex, o.Timeout, s.stats), mws...), nil
}

// isSelf reports whether a nameserver from resolv.conf is this server, so
// that forwarding to it would loop.
func (s *Server) isSelf(ns netip.AddrPort) bool {
	s.mu.Lock()
	bound := s.bound
	s.mu.Unlock()
	if !bound.IsValid() || ns.Port() != bound.Port() {
		return false
	}
	a := ns.Addr().Unmap().WithZone("")
	if !bound.Addr().IsUnspecified() {
		return a == bound.Addr()
	}
	return a.IsLoopback() || a.IsUnspecified() || a == s.opts.GameAddr || s.ifaces.isOwn(a)
}

// Name is the component tag in logs.
func (s *Server) Name() string { return "dns" }

// Endpoints describes the bound sockets for the start-up log and the status
// page, after Listen.
func (s *Server) Endpoints() []string {
	var out []string
	for _, a := range s.Addrs() {
		out = append(out, a.Network()+" "+a.String())
	}
	return out
}

// Handler is the assembled chain, for benchmarks and for embedding the
// resolver in another server.
func (s *Server) Handler() Handler { return s.handler }

// Lookups returns the recent PSO hostname lookups, most recent first, one per
// client and name.
func (s *Server) Lookups() []Lookup { return s.lookups.lookups() }

// SubscribeLookups calls fn for every PSO hostname lookup from now on, until
// cancel is called. fn runs on the query's goroutine and must not block.
func (s *Server) SubscribeLookups(fn func(Lookup)) (cancel func()) {
	return s.lookups.subs.Subscribe(fn)
}

// Stats returns the query counters.
func (s *Server) Stats() Stats { return s.stats.snapshot() }

// Addrs returns the bound UDP and TCP addresses, after Listen.
func (s *Server) Addrs() []net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pc == nil {
		return nil
	}
	return []net.Addr{s.pc.LocalAddr(), s.ln.Addr()}
}
