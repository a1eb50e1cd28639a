package dhcp

import (
	"fmt"
	"net"
	"net/netip"

	"github.com/insomniacslk/dhcp/dhcpv4"
	"github.com/insomniacslk/dhcp/iana"
)

// Handler is one step of the request chain, coredhcp's shape: it reads the
// request, fills in the reply and says whether the chain stops here. A nil
// reply means no answer at all.
type Handler func(req, resp *dhcpv4.DHCPv4) (*dhcpv4.DHCPv4, bool)

// runChain passes a fresh reply for req through the handlers and returns the
// reply to send, or nil for none.
func runChain(chain []Handler, req *dhcpv4.DHCPv4) *dhcpv4.DHCPv4 {
	resp := newReply(req)
	for _, h := range chain {
		var stop bool
		resp, stop = h(req, resp)
		if resp == nil || stop {
			break
		}
	}
	return resp
}

// newReply starts the reply to req. It is built field by field on purpose:
// dhcpv4.New and NewReplyFromRequest draw a transaction ID from a generator
// that can spin for minutes on a freshly booted Pi, and a reply reuses the
// request's ID anyway.
func newReply(req *dhcpv4.DHCPv4) *dhcpv4.DHCPv4 {
	resp := &dhcpv4.DHCPv4{
		OpCode:        dhcpv4.OpcodeBootReply,
		HWType:        req.HWType,
		TransactionID: req.TransactionID,
		Flags:         req.Flags,
		ClientIPAddr:  net.IPv4zero,
		YourIPAddr:    net.IPv4zero,
		ServerIPAddr:  net.IPv4zero,
		GatewayIPAddr: req.GatewayIPAddr,
		ClientHWAddr:  req.ClientHWAddr,
		Options:       dhcpv4.Options{},
	}
	// RFC 6842: echo the client identifier; RFC 3046: echo relay information.
	for _, code := range []dhcpv4.OptionCode{dhcpv4.OptionClientIdentifier, dhcpv4.OptionRelayAgentInformation} {
		if v := req.Options.Get(code); v != nil {
			resp.Options.Update(dhcpv4.OptGeneric(code, v))
		}
	}
	return resp
}

// drop ends the chain without an answer.
func drop() (*dhcpv4.DHCPv4, bool) { return nil, true }

// checkRequest drops what no server should answer: replies, non-Ethernet
// hardware, missing message types, and our own rogue-check DISCOVER (own
// gives the interface's MAC, nil when unknown).
func checkRequest(own func() net.HardwareAddr) Handler {
	return func(req, resp *dhcpv4.DHCPv4) (*dhcpv4.DHCPv4, bool) {
		mac, ownMAC := req.ClientHWAddr, own()
		switch {
		case req.OpCode != dhcpv4.OpcodeBootRequest,
			req.HWType != iana.HWTypeEthernet,
			len(mac) != 6,
			mac[0]&0x01 != 0, // multicast or broadcast is never a client
			keyOf(mac) == hwKey{},
			req.MessageType() == dhcpv4.MessageTypeNone,
			ownMAC != nil && keyOf(mac) == keyOf(ownMAC):
			return drop()
		}
		return resp, false
	}
}

// modeFilter lets everyone through in island mode and only consoles in home
// mode; everyone else is ignored without a word. Relayed requests from
// another subnet are ignored too: the pool belongs to this one.
func modeFilter(s *settings) Handler {
	return func(req, resp *dhcpv4.DHCPv4) (*dhcpv4.DHCPv4, bool) {
		if gi := addrOf(req.GatewayIPAddr); gi.IsValid() && !s.subnet.Contains(gi) {
			return drop()
		}
		if s.mode == ModeHome && !s.consoles.isConsole(keyOf(req.ClientHWAddr)) {
			return drop()
		}
		return resp, false
	}
}

// reservations pins a reserved client's address by writing it into the
// reply's yiaddr; the lease step treats a preset yiaddr as the only address
// that client may have.
func (r reservations) handler() Handler {
	return func(req, resp *dhcpv4.DHCPv4) (*dhcpv4.DHCPv4, bool) {
		if res, ok := r.byMAC[keyOf(req.ClientHWAddr)]; ok {
			resp.YourIPAddr = net.IP(res.IP.AsSlice())
		}
		return resp, false
	}
}

// options adds the option set PSO GC is known to accept (1, 3, 6, 15, 28,
// 51, 54, 58, 59) to OFFER and ACK, and only the server id to NAK.
func optionsStep(s *settings) Handler {
	server := net.IP(s.server.AsSlice())
	return func(req, resp *dhcpv4.DHCPv4) (*dhcpv4.DHCPv4, bool) {
		resp.UpdateOption(dhcpv4.OptServerIdentifier(server))
		if resp.MessageType() == dhcpv4.MessageTypeNak {
			return resp, true
		}
		resp.UpdateOption(dhcpv4.OptSubnetMask(s.mask()))
		resp.UpdateOption(dhcpv4.OptRouter(server))
		resp.UpdateOption(dhcpv4.OptDNS(server))
		resp.UpdateOption(dhcpv4.OptBroadcastAddress(net.IP(s.broadcast.AsSlice())))
		if s.domain != "" {
			resp.UpdateOption(dhcpv4.OptDomainName(s.domain))
		}
		if lease := resp.IPAddressLeaseTime(0); lease > 0 {
			resp.UpdateOption(dhcpv4.OptRenewTimeValue(lease / 2))
			resp.UpdateOption(dhcpv4.OptRebindingTimeValue(lease * 7 / 8))
		}
		return resp, false
	}
}

// addrOf converts a packet's IP field; zero, missing or non-IPv4 values give
// the invalid Addr.
func addrOf(ip net.IP) netip.Addr {
	a, ok := netip.AddrFromSlice(ip.To4())
	if !ok || a.IsUnspecified() {
		return netip.Addr{}
	}
	return a
}

// reservations indexes the configured reservations both ways.
type reservations struct {
	byMAC map[hwKey]Reservation
	byIP  map[netip.Addr]hwKey
}

func newReservations() reservations {
	return reservations{byMAC: map[hwKey]Reservation{}, byIP: map[netip.Addr]hwKey{}}
}

func (r reservations) add(res Reservation) error {
	k := keyOf(res.MAC)
	if _, dup := r.byMAC[k]; dup {
		return fmt.Errorf("dhcp: MAC %v has two reservations", res.MAC)
	}
	if other, dup := r.byIP[res.IP]; dup {
		return fmt.Errorf("dhcp: %v is reserved for both %v and %v", res.IP, other.mac(), res.MAC)
	}
	r.byMAC[k], r.byIP[res.IP] = res, k
	return nil
}

// reservedForOther reports whether ip is pinned to a MAC other than k.
func (r reservations) reservedForOther(ip netip.Addr, k hwKey) bool {
	owner, ok := r.byIP[ip]
	return ok && owner != k
}
