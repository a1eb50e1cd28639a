package dns

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"slices"
	"sync"
	"time"

	miekg "github.com/miekg/dns"
)

// DialFunc opens a connection to an upstream resolver, like
// net.Dialer.DialContext.
type DialFunc func(ctx context.Context, network, address string) (net.Conn, error)

var errNoUpstreams = errors.New("no upstream resolvers")

// upstreamSet forwards to a list of resolvers, preferring the one that
// answered last and moving on to the next when one fails.
type upstreamSet struct {
	servers func() []netip.AddrPort
	dial    DialFunc

	mu        sync.Mutex
	pools     map[netip.AddrPort]*udpPool
	preferred netip.AddrPort
	closed    bool
}

func newUpstreamSet(servers func() []netip.AddrPort, dial DialFunc) *upstreamSet {
	return &upstreamSet{servers: servers, dial: dial, pools: make(map[netip.AddrPort]*udpPool)}
}

// exchange tries each upstream in turn. Each attempt gets an equal share of
// the time left, so that one silent upstream cannot use up the whole query's
// deadline; a refusing one (ICMP unreachable) fails at once.
func (u *upstreamSet) exchange(ctx context.Context, q *miekg.Msg) (*miekg.Msg, error) {
	servers, start := u.ordered()
	if len(servers) == 0 {
		return nil, errNoUpstreams
	}
	var errs []error
	for i := range servers {
		server := servers[(start+i)%len(servers)]
		resp, err := u.attempt(ctx, server, q, len(servers)-i)
		if err == nil {
			u.prefer(server)
			return resp, nil
		}
		errs = append(errs, fmt.Errorf("%v: %w", server, err))
		if ctx.Err() != nil {
			break
		}
	}
	return nil, errors.Join(errs...)
}

// attempt asks one upstream, within 1/left of the time remaining.
func (u *upstreamSet) attempt(ctx context.Context, server netip.AddrPort, q *miekg.Msg, left int) (*miekg.Msg, error) {
	if deadline, ok := ctx.Deadline(); ok {
		share := time.Until(deadline) / time.Duration(left)
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, share)
		defer cancel()
	}
	pool, err := u.pool(server)
	if err != nil {
		return nil, err
	}
	resp, err := pool.exchange(ctx, q)
	if err == nil && resp.Truncated {
		resp = u.retryOverTCP(ctx, server, q, resp)
	}
	if err == nil {
		err = usableAnswer(resp)
	}
	return resp, err
}

// retryOverTCP fetches the whole answer that came truncated over UDP. If TCP
// fails too, the truncated answer is still an answer: the client sees TC and
// may try TCP itself.
func (u *upstreamSet) retryOverTCP(ctx context.Context, server netip.AddrPort, q, truncated *miekg.Msg) *miekg.Msg {
	resp, err := exchangeTCP(ctx, u.dial, server, q)
	if err != nil {
		return truncated
	}
	return resp
}

// ordered returns the current upstreams and the index of the preferred one,
// and closes the sockets of upstreams that are gone (resolv.conf changed).
func (u *upstreamSet) ordered() ([]netip.AddrPort, int) {
	servers := u.servers()
	u.mu.Lock()
	defer u.mu.Unlock()
	u.prune(servers) // a few upstreams at most: cheap enough for every query
	for i, s := range servers {
		if s == u.preferred {
			return servers, i
		}
	}
	return servers, 0
}

func (u *upstreamSet) prune(keep []netip.AddrPort) {
	for s, p := range u.pools {
		if !slices.Contains(keep, s) {
			p.close()
			delete(u.pools, s)
		}
	}
}

func (u *upstreamSet) prefer(server netip.AddrPort) {
	u.mu.Lock()
	u.preferred = server
	u.mu.Unlock()
}

func (u *upstreamSet) pool(server netip.AddrPort) (*udpPool, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.closed {
		return nil, net.ErrClosed
	}
	p, ok := u.pools[server]
	if !ok {
		p = &udpPool{server: server, dial: u.dial, idle: make([]*udpConn, 0, udpPoolSize)}
		u.pools[server] = p
	}
	return p, nil
}

// close closes every idle upstream socket; sockets in use close when their
// query ends.
func (u *upstreamSet) close() {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.closed = true
	u.prune(nil)
}

// exchangeTCP asks server over a fresh TCP connection.
func exchangeTCP(ctx context.Context, dial DialFunc, server netip.AddrPort, q *miekg.Msg) (*miekg.Msg, error) {
	c, err := dial(ctx, "tcp", server.String())
	if err != nil {
		return nil, fmt.Errorf("dial tcp: %w", err)
	}
	defer c.Close()
	if deadline, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(deadline)
	}
	co := &miekg.Conn{Conn: c}
	q.Id = uint16(rand.Uint32())
	if err := co.WriteMsg(q); err != nil {
		return nil, fmt.Errorf("write tcp: %w", err)
	}
	resp, err := co.ReadMsg()
	if err != nil {
		return nil, fmt.Errorf("read tcp: %w", err)
	}
	if !answers(resp, q) {
		return nil, errors.New("tcp answer does not match the query")
	}
	return resp, nil
}
