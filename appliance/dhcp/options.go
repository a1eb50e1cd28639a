package dhcp

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"time"
)

// Mode says for whom the server answers.
type Mode string

const (
	// ModeIsland makes the server authoritative for the whole subnet: a
	// switch with only consoles and the Pi. Foreign requests get a NAK.
	ModeIsland Mode = "island"
	// ModeHome answers only consoles (by MAC prefix or explicit MAC) from a
	// small pool carved out of a home network; it never sends a NAK because
	// the home router owns the subnet.
	ModeHome Mode = "home"
)

// Defaults applied by New for zero fields.
const (
	DefaultLeaseTime = 24 * time.Hour
	DefaultProbeWait = 300 * time.Millisecond

	// MinConsoleLease is the shortest lease a console gets, whatever the
	// configured lease time: router7 found that Nintendo devices keep using
	// an address after their lease ran out, so leases for them stay long.
	MinConsoleLease = time.Hour
	// minLeaseTime rejects configurations where clients would renew
	// constantly; nothing on a LAN-party switch needs less.
	minLeaseTime = time.Minute
	// maxLeaseTime keeps option 51 (32-bit seconds) far from overflow.
	maxLeaseTime = 365 * 24 * time.Hour
	// maxPoolSize bounds the allocator's scans.
	maxPoolSize = 1 << 16
)

// Reservation pins an address to a MAC.
type Reservation struct {
	MAC  net.HardwareAddr
	IP   netip.Addr
	Name string // shown on the status page when the client sends no hostname
}

// Options configure a Server. The appliance config fills them from the user's
// file; zero values get the documented defaults. The mapping:
//
//	mode (island|home)               Mode (server mode: do not create a Server)
//	network.interface                Interface
//	network.address                  Address
//	dhcp.pool_start, dhcp.pool_end   PoolStart, PoolEnd
//	dhcp.lease_time                  LeaseTime
//	dhcp.domain                      Domain
//	dhcp.force                       Force
//	dhcp.rogue_check                 RogueCheck
//	dhcp.console_ouis                ConsoleOUIs (ParseOUI each entry)
//	dhcp.console_macs                ConsoleMACs
//	dhcp.reservations                Reservations
//	state directory                  StateDir
type Options struct {
	Mode      Mode
	Interface string       // the one interface served (SO_BINDTODEVICE)
	Address   netip.Prefix // the Pi's address and subnet: server id, router and DNS
	PoolStart netip.Addr   // first dynamic address (inclusive)
	PoolEnd   netip.Addr   // last dynamic address (inclusive)
	LeaseTime time.Duration
	Domain    string // option 15; empty leaves it out

	// Force serves in island mode even when another DHCP server answers
	// the rogue check (the warning is still logged and shown).
	Force bool
	// RogueCheck is how long to listen for another server's OFFER before
	// serving in island mode; 0 skips the check. Keep it at 5 s or more:
	// dnsmasq (in many home routers) pings an address before offering it
	// and answers a DISCOVER only after about 3 s.
	RogueCheck time.Duration

	ConsoleOUIs  []OUI              // extra console MAC prefixes for home mode
	ConsoleMACs  []net.HardwareAddr // extra console MACs for home mode
	Reservations []Reservation

	// StateDir holds the lease file; empty keeps leases in memory only.
	StateDir string
	// ProbeWait is how long the ARP probe waits for an answer before an
	// address counts as free; 0 means DefaultProbeWait, negative disables
	// probing (allowed in island mode only).
	ProbeWait time.Duration

	Logger *slog.Logger     // nil: slog.Default()
	Now    func() time.Time // nil: time.Now
	// Conn is an already bound UDP socket on port 67, tied to Interface
	// (socket activation with BindToDevice=, tests); nil opens one on
	// Interface in Listen.
	Conn net.PacketConn
	// Link is layer-2 access for unicast replies, ARP probes and the rogue
	// check; nil opens AF_PACKET sockets on Interface in Listen.
	Link Link
}

// settings is Options checked and resolved into the forms the handlers use.
type settings struct {
	mode         Mode
	iface        string
	server       netip.Addr
	subnet       netip.Prefix
	broadcast    netip.Addr
	poolStart    netip.Addr
	poolEnd      netip.Addr
	leaseTime    time.Duration
	domain       string
	force        bool
	rogueCheck   time.Duration
	probeWait    time.Duration
	stateDir     string
	reservations reservations
	consoles     *consoleSet
}

func resolve(o Options) (settings, error) {
	s := settings{
		mode: o.Mode, iface: o.Interface, domain: o.Domain, force: o.Force,
		rogueCheck: o.RogueCheck, stateDir: o.StateDir,
		leaseTime: orDefault(o.LeaseTime, DefaultLeaseTime),
		probeWait: orDefault(o.ProbeWait, DefaultProbeWait),
	}
	if err := s.checkBasics(o); err != nil {
		return settings{}, err
	}
	if err := s.resolveSubnet(o.Address); err != nil {
		return settings{}, err
	}
	if err := s.resolvePool(o.PoolStart, o.PoolEnd); err != nil {
		return settings{}, err
	}
	var err error
	if s.reservations, err = s.checkReservations(o.Reservations); err != nil {
		return settings{}, err
	}
	s.consoles, err = newConsoleSet(o.ConsoleOUIs, o.ConsoleMACs)
	return s, err
}

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

func (s *settings) checkBasics(o Options) error {
	switch {
	case s.mode != ModeIsland && s.mode != ModeHome:
		return fmt.Errorf("dhcp: mode %q: want %q or %q (server mode runs no DHCP)", s.mode, ModeIsland, ModeHome)
	case s.iface == "" && o.Conn == nil:
		return errors.New("dhcp: no interface given")
	case s.leaseTime < minLeaseTime || s.leaseTime > maxLeaseTime:
		return fmt.Errorf("dhcp: lease time %v is not between %v and %v", s.leaseTime, minLeaseTime, maxLeaseTime)
	case s.rogueCheck < 0:
		return fmt.Errorf("dhcp: rogue check time %v is negative", s.rogueCheck)
	case s.mode == ModeHome && s.probeWait < 0:
		return errors.New("dhcp: home mode needs the ARP probe (probe wait must not be negative)")
	case len(s.domain) > 255:
		return errors.New("dhcp: domain name longer than 255 bytes")
	}
	return nil
}

func (s *settings) resolveSubnet(p netip.Prefix) error {
	if !p.IsValid() || !p.Addr().Is4() {
		return fmt.Errorf("dhcp: address %v: want the Pi's IPv4 address with its prefix, like 10.55.0.1/24", p)
	}
	if p.Bits() < 8 || p.Bits() > 30 {
		return fmt.Errorf("dhcp: address %v: prefix length must be between /8 and /30", p)
	}
	s.server, s.subnet = p.Addr(), p.Masked()
	s.broadcast = lastAddr(s.subnet)
	if s.server == s.subnet.Addr() || s.server == s.broadcast {
		return fmt.Errorf("dhcp: address %v is the network or broadcast address of its subnet", p)
	}
	return nil
}

func (s *settings) resolvePool(start, end netip.Addr) error {
	for _, a := range []netip.Addr{start, end} {
		if !s.usable(a) {
			return fmt.Errorf("dhcp: pool address %v is not a host address of %v", a, s.subnet)
		}
	}
	if end.Less(start) {
		return fmt.Errorf("dhcp: pool end %v is before pool start %v", end, start)
	}
	if ipToU32(end)-ipToU32(start) >= maxPoolSize {
		return fmt.Errorf("dhcp: pool %v-%v has more than %d addresses", start, end, maxPoolSize)
	}
	s.poolStart, s.poolEnd = start, end
	return nil
}

// usable reports whether a is a host address of the subnet.
func (s *settings) usable(a netip.Addr) bool {
	return a.Is4() && s.subnet.Contains(a) && a != s.subnet.Addr() && a != s.broadcast
}

func (s *settings) inPool(a netip.Addr) bool {
	return a.Is4() && !a.Less(s.poolStart) && !s.poolEnd.Less(a) && a != s.server
}

func (s *settings) checkReservations(rs []Reservation) (reservations, error) {
	out := newReservations()
	for _, r := range rs {
		if len(r.MAC) != 6 {
			return out, fmt.Errorf("dhcp: reservation %v: MAC %q is not an Ethernet address", r.IP, r.MAC)
		}
		if !s.usable(r.IP) || r.IP == s.server {
			return out, fmt.Errorf("dhcp: reservation %v for %v: not a free host address of %v", r.IP, r.MAC, s.subnet)
		}
		if err := out.add(r); err != nil {
			return out, err
		}
	}
	return out, nil
}

func lastAddr(p netip.Prefix) netip.Addr {
	n := ipToU32(p.Masked().Addr()) | (1<<(32-p.Bits()) - 1)
	return u32ToIP(n)
}

func ipToU32(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func u32ToIP(n uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
}

func (s *settings) mask() net.IPMask {
	return net.CIDRMask(s.subnet.Bits(), 32)
}
