package systemd

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"

	miekg "github.com/miekg/dns"
)

// probeName is what the DNS probe asks about. An ANY query is answered by
// psobox's DNS itself (RFC 8482's minimal answer), after the ACL and rate
// limiter: it exercises the whole serving path, never goes upstream, and
// is not a PSO name, so the status page's lookup list does not show it.
const probeName = "watchdog.psobox.invalid."

// errNotBound is a probe run before its service bound a socket.
var errNotBound = errors.New("no socket bound yet")

// DNSProbe sends a query to the DNS server's UDP socket, whose address
// addr returns (nil before Listen), and wants an answer. Any answer counts,
// REFUSED included: the probe checks that the server answers, not what.
func DNSProbe(addr func() net.Addr) Probe {
	return Probe{Name: "dns", Check: func(ctx context.Context) error {
		target, err := dialable(addr())
		if err != nil {
			return err
		}
		q := new(miekg.Msg)
		q.SetQuestion(probeName, miekg.TypeANY)
		c := &miekg.Client{Net: "udp"}
		if _, _, err := c.ExchangeContext(ctx, q, target.String()); err != nil {
			return fmt.Errorf("query to %v: %w", target, err)
		}
		return nil
	}}
}

// TCPProbe connects to the TCP listener whose address addr returns (nil
// before Listen) and closes the connection again: the listener accepts.
// The game server adds one for a game port.
func TCPProbe(name string, addr func() net.Addr) Probe {
	return Probe{Name: name, Check: func(ctx context.Context) error {
		target, err := dialable(addr())
		if err != nil {
			return err
		}
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", target.String())
		if err != nil {
			return err
		}
		return c.Close()
	}}
}

// dialable is where a probe reaches a bound socket: its address, with a
// wildcard (0.0.0.0, ::) replaced by 127.0.0.1.
func dialable(a net.Addr) (netip.AddrPort, error) {
	var ap netip.AddrPort
	switch a := a.(type) {
	case *net.UDPAddr:
		ap = a.AddrPort()
	case *net.TCPAddr:
		ap = a.AddrPort()
	case nil:
		return ap, errNotBound
	default:
		return ap, fmt.Errorf("cannot probe a %s address", a.Network())
	}
	if !ap.IsValid() {
		return ap, errNotBound
	}
	ip := ap.Addr().Unmap()
	if ip.IsUnspecified() {
		// Go binds "" and "::" dual-stack, so IPv4 loopback reaches both,
		// and works where lo has no ::1 (IPv6 turned off).
		ip = netip.AddrFrom4([4]byte{127, 0, 0, 1})
	}
	return netip.AddrPortFrom(ip, ap.Port()), nil
}
