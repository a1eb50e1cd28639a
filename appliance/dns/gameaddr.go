package dns

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"
)

// interfaceMaxAge is how long a listing of the host's addresses is trusted.
// Addresses change rarely (DHCP renewals, netsetup), and listing them costs a
// netlink dump, too much to do for every query.
const interfaceMaxAge = 10 * time.Second

// InterfacePrefixes lists the host's interface addresses with their prefix
// lengths: the default Options.Interfaces.
func InterfacePrefixes() ([]netip.Prefix, error) {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil, fmt.Errorf("list interface addresses: %w", err)
	}
	var out []netip.Prefix
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			if p, ok := prefixOf(n); ok {
				out = append(out, p)
			}
		}
	}
	return out, nil
}

// prefixOf converts a net.IPNet, IPv4 in either length, to an unmapped prefix.
func prefixOf(n *net.IPNet) (netip.Prefix, bool) {
	ones, bits := n.Mask.Size()
	ip := n.IP
	if ip4 := ip.To4(); ip4 != nil {
		ip = ip4
		if bits == 128 {
			ones -= 96
		}
	}
	addr, ok := netip.AddrFromSlice(ip)
	if !ok || ones < 0 || ones > addr.BitLen() {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(addr, ones), true
}

// interfaceCache remembers the host's addresses for interfaceMaxAge.
type interfaceCache struct {
	source func() ([]netip.Prefix, error)
	now    func() time.Time

	mu       sync.Mutex
	fetched  time.Time
	prefixes []netip.Prefix
	err      error
}

// get returns the cached listing, refreshing it when it is too old. A failed
// refresh keeps the previous listing and reports the error beside it.
func (c *interfaceCache) get() ([]netip.Prefix, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if c.fetched.IsZero() || now.Sub(c.fetched) >= interfaceMaxAge || now.Before(c.fetched) {
		prefixes, err := c.source()
		if err == nil {
			c.prefixes = prefixes
		}
		c.err, c.fetched = err, now
	}
	return c.prefixes, c.err
}

// isOwn reports whether a is one of the host's addresses.
func (c *interfaceCache) isOwn(a netip.Addr) bool {
	prefixes, _ := c.get()
	for _, p := range prefixes {
		if p.Addr() == a {
			return true
		}
	}
	return false
}

// gameAddrPolicy decides the address a client gets for a PSO name: a fixed
// one (the sentinel, or an advertised address), else the host's address that
// this client can reach.
type gameAddrPolicy struct {
	fixed  netip.Addr
	ifaces *interfaceCache
}

var errNoGameAddr = errors.New("no IPv4 address of this host to give as the game server")

// forClient picks the game server address for client, which asked on local.
func (p gameAddrPolicy) forClient(client, local netip.Addr) (netip.Addr, error) {
	if p.fixed.IsValid() {
		return p.fixed, nil
	}
	prefixes, err := p.ifaces.get()
	if a, ok := reachableAddr(prefixes, client, local); ok {
		return a, nil
	}
	if err != nil {
		return netip.Addr{}, fmt.Errorf("%w: %w", errNoGameAddr, err)
	}
	return netip.Addr{}, errNoGameAddr
}

// reachableAddr is the server-mode rule, most specific first:
//  1. our address on the client's own subnet (longest matching prefix);
//  2. the address the query arrived on, when the socket knows it;
//  3. our first IPv4 unicast address, a public one if the client is public
//     (it came through a router, so our private addresses mean nothing to it).
func reachableAddr(prefixes []netip.Prefix, client, local netip.Addr) (netip.Addr, bool) {
	if a, ok := onLinkAddr(prefixes, client); ok {
		return a, true
	}
	if local.Is4() && !local.IsUnspecified() {
		return local, true
	}
	return firstUnicast4(prefixes, client.Is4() && !client.IsPrivate() && !client.IsLoopback())
}

func onLinkAddr(prefixes []netip.Prefix, client netip.Addr) (netip.Addr, bool) {
	best := netip.Prefix{}
	for _, p := range prefixes {
		if p.Addr().Is4() && p.Contains(client) && (!best.IsValid() || p.Bits() > best.Bits()) {
			best = p
		}
	}
	return best.Addr(), best.IsValid()
}

func firstUnicast4(prefixes []netip.Prefix, preferPublic bool) (netip.Addr, bool) {
	var first netip.Addr
	for _, p := range prefixes {
		a := p.Addr()
		if !a.Is4() || !a.IsGlobalUnicast() {
			continue
		}
		if !preferPublic || !a.IsPrivate() {
			return a, true
		}
		if !first.IsValid() {
			first = a
		}
	}
	return first, first.IsValid()
}
