package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"

	miekg "github.com/miekg/dns"
	"github.com/psobox/psobox/appliance/config"
	"github.com/psobox/psobox/appliance/dns"
	"github.com/psobox/psobox/internal/fanout"
)

// liveDNS is the DNS service with settings a reload can change while it
// serves: upstreams, extra hostnames, allow list, catch-all, cache, rate
// limit and timeout. The DNS server built at start owns the sockets and
// keeps them for the whole run; a reload builds a second server from the
// new settings on idle stand-in sockets, and a link at the front of the
// first server's chain hands every query to the newest one. No query is
// lost and no socket is rebound (socket-activated sockets could not be).
type liveDNS struct {
	base   *dns.Server // bound the sockets; its chain answers until the first reload
	logger *slog.Logger
	active atomic.Pointer[standby] // the newest reloaded settings; nil: base's own
	subs   fanout.Set[dns.Lookup]  // hear every lookup, from base and standbys alike

	mu      sync.Mutex
	ctx     context.Context // Listen's: lives for the whole run
	stopped bool
	reloads int
	retired dnsHistory     // what replaced standbys counted and saw
	wg      sync.WaitGroup // standbys' Serve
}

// standby is a DNS server built by a reload; it serves on idle sockets,
// so only its handler is used, and Serve just runs its upstream pools.
type standby struct {
	srv    *dns.Server
	cancel context.CancelFunc
}

// newLiveDNS builds the DNS service; sockets from systemd, when given,
// replace binding dns.listen.
func newLiveDNS(cfg *config.Config, logger *slog.Logger, pc net.PacketConn, ln net.Listener) (*liveDNS, error) {
	l := &liveDNS{logger: logger}
	opts := dnsOptions(cfg, logger)
	opts.PacketConn, opts.Listener = pc, ln
	opts.Middleware = append(opts.Middleware, l.route)
	srv, err := dns.New(opts)
	if err != nil {
		return nil, err
	}
	srv.SubscribeLookups(l.subs.Publish)
	l.base = srv
	return l, nil
}

// route sends each query through the newest reloaded settings, if any.
func (l *liveDNS) route(next dns.Handler) dns.Handler {
	return dns.HandlerFunc(func(ctx context.Context, w dns.ResponseWriter, r *miekg.Msg) (int, error) {
		if s := l.active.Load(); s != nil {
			return s.srv.Handler().ServeDNS(ctx, w, r)
		}
		return next.ServeDNS(ctx, w, r)
	})
}

// Name is the component tag in logs.
func (l *liveDNS) Name() string { return l.base.Name() }

// Endpoints are the base server's sockets.
func (l *liveDNS) Endpoints() []string { return l.base.Endpoints() }

// Listen binds (or adopts) the sockets.
func (l *liveDNS) Listen(ctx context.Context) error {
	l.mu.Lock()
	l.ctx = ctx
	l.mu.Unlock()
	return l.base.Listen(ctx)
}

// Serve answers until ctx is done, then stops the standbys too.
func (l *liveDNS) Serve(ctx context.Context) error {
	err := l.base.Serve(ctx)
	l.mu.Lock()
	l.stopped = true
	if s := l.active.Load(); s != nil {
		s.cancel()
	}
	l.mu.Unlock()
	l.wg.Wait()
	return err
}

// udpAddr is the bound UDP address, for the watchdog's DNS probe.
func (l *liveDNS) udpAddr() net.Addr {
	for _, a := range l.base.Addrs() {
		if a.Network() == "udp" {
			return a
		}
	}
	return nil
}

// reload switches to the DNS settings of cfg; on an error the running
// settings stay.
func (l *liveDNS) reload(cfg *config.Config) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	addrs := l.base.Addrs()
	if l.ctx == nil || l.stopped || len(addrs) != 2 {
		return errors.New("dns: not serving")
	}
	l.reloads++
	opts := dnsOptions(cfg, l.logger.With("reload", l.reloads))
	opts.PacketConn, opts.Listener = newIdlePacketConn(addrs[0]), newIdleListener(addrs[1])
	srv, err := dns.New(opts)
	if err != nil {
		return err
	}
	if err := srv.Listen(l.ctx); err != nil {
		return fmt.Errorf("dns: %w", err)
	}
	srv.SubscribeLookups(l.subs.Publish)
	l.start(srv)
	return nil
}

// start makes srv the active settings and retires the previous ones.
func (l *liveDNS) start(srv *dns.Server) {
	ctx, cancel := context.WithCancel(l.ctx)
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		if err := srv.Serve(ctx); err != nil {
			l.logger.Warn("reloaded DNS settings stopped with an error", "err", err)
		}
	}()
	old := l.active.Swap(&standby{srv: srv, cancel: cancel})
	if old != nil {
		// Counted before it stops: the totals never go down.
		l.retired.add(old.srv.Stats(), old.srv.Lookups())
		old.cancel()
	}
}
