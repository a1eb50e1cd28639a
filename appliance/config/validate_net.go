package config

import (
	"fmt"
	"net/netip"
	"strings"
	"time"
)

func (c *Config) checkNetwork() error {
	n := c.Network
	if err := c.checkInterface(); err != nil {
		return err
	}
	if err := checkAddress(n.Address); err != nil {
		return err
	}
	if !isUnicast4(n.Sentinel) {
		return refuse("network.sentinel", n.Sentinel, "must be a unicast IPv4 address, such as \"198.18.55.1\"")
	}
	if c.Mode != Server && n.Address.Masked().Contains(n.Sentinel) {
		return refuse("network.sentinel", n.Sentinel, fmt.Sprintf(
			"must lie outside the consoles' subnet %s (GameCube PSO refuses servers on its own subnet)", c.ServedSubnet()))
	}
	return c.checkAdvertise()
}

func (c *Config) checkInterface() error {
	name := c.Network.Interface
	if name == "" && c.Mode != Server {
		return refuse("network.interface", name, fmt.Sprintf(
			"must name the consoles' LAN interface (such as \"eth0\") in %s mode", c.Mode))
	}
	if name != "" && !validIfname(name) {
		return refuse("network.interface", name,
			"must be a Linux interface name: 1 to 15 characters, no spaces, '/' or ':'")
	}
	return nil
}

// validIfname follows the kernel's dev_valid_name.
func validIfname(s string) bool {
	if len(s) > 15 || s == "." || s == ".." {
		return false
	}
	return !strings.ContainsAny(s, "/: \t\n\r\v\f\x00")
}

func checkAddress(p netip.Prefix) error {
	const key = "network.address"
	a := p.Addr()
	if !p.IsValid() || !a.Is4() {
		return refuse(key, p, `must be an IPv4 address with its prefix length, such as "10.55.0.1/24"`)
	}
	if p.Bits() < 8 || p.Bits() > 30 {
		return refuse(key, p, "prefix length must be between /8 and /30")
	}
	if a == p.Masked().Addr() || a == broadcast(p) {
		return refuse(key, p, "must be a host address, not the subnet's network or broadcast address")
	}
	return nil
}

func (c *Config) checkAdvertise() error {
	a := c.Network.Advertise
	if !a.IsValid() {
		return nil
	}
	if c.Mode != Server {
		return refuse("network.advertise", a, `is used only in server mode; island and home answer with network.sentinel (set advertise = "")`)
	}
	if !isUnicast4(a) {
		return refuse("network.advertise", a, `must be "" or a unicast IPv4 address`)
	}
	return nil
}

// isUnicast4 accepts IPv4 addresses a console can connect to.
func isUnicast4(a netip.Addr) bool {
	return a.Is4() && !a.IsUnspecified() && !a.IsLoopback() && !a.IsMulticast() &&
		!a.IsLinkLocalUnicast() && a != netip.AddrFrom4([4]byte{255, 255, 255, 255})
}

// broadcast returns the last address of an IPv4 prefix.
func broadcast(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().As4()
	host := uint32(1)<<(32-p.Bits()) - 1
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]) | host
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// isHostIn reports whether a is a usable host address of p (neither the
// network nor the broadcast address).
func isHostIn(p netip.Prefix, a netip.Addr) bool {
	return p.Masked().Contains(a) && a != p.Masked().Addr() && a != broadcast(p)
}

func (c *Config) checkDNS() error {
	d := c.DNS
	if err := listenAddr("dns.listen", d.Listen); err != nil {
		return err
	}
	if len(d.Upstreams) == 0 && !d.Catchall && d.ResolvConf == "" {
		return refuse("dns.resolv_conf", d.ResolvConf, "must name a resolver file when dns.upstreams is empty")
	}
	if err := intIn("dns.cache_entries", d.CacheEntries, 0, 1_000_000); err != nil {
		return err
	}
	if err := intIn("dns.rate_limit", d.RateLimit, 0, 1_000_000); err != nil {
		return err
	}
	for i, name := range d.ExtraHostnames {
		if !validDNSName(name) {
			return refuse(fmt.Sprintf("dns.extra_hostnames[%d]", i), name, "must be a DNS name such as \"pso.example.net\"")
		}
	}
	return durationIn("dns.timeout", d.Timeout, 100*time.Millisecond, 10*time.Second)
}

func (c *Config) checkDHCP() error {
	d := c.DHCP
	if c.Mode == Server && d.Enabled {
		return refuse("dhcp.enabled", true, dhcpInServerMode)
	}
	if err := durationIn("dhcp.lease_time", d.LeaseTime, time.Minute, 720*time.Hour); err != nil {
		return err
	}
	if err := durationIn("dhcp.rogue_check", d.RogueCheck, 0, 30*time.Second); err != nil {
		return err
	}
	if d.Domain != "" && !validDNSName(d.Domain) {
		return refuse("dhcp.domain", d.Domain, `must be "" or a DNS name such as "psobox" or "lan.example"`)
	}
	for i, m := range d.ConsoleMACs {
		if m[0]&1 != 0 {
			return refuse(fmt.Sprintf("dhcp.console_macs[%d]", i), m, "must be a unicast MAC address")
		}
	}
	if !d.Enabled {
		return nil
	}
	if err := c.checkPool(); err != nil {
		return err
	}
	return c.checkReservations()
}
