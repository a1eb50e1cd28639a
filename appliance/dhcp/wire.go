package dhcp

import (
	"net"
	"net/netip"
	"slices"

	"github.com/insomniacslk/dhcp/dhcpv4"
)

const (
	serverPort = 67
	clientPort = 68

	headerLen   = 240 // fixed BOOTP header plus the magic cookie
	bootpMinLen = 300 // RFC 951 minimum; some relays drop shorter packets
)

// leadingOptions is the order the emulated stacks known to work with PSO GC
// (Dolphin's HLE BBA, newserv's tapserver) send their options in: message
// type first, as every classic server does. The library sorts options by
// code, which would put the subnet mask first; old embedded DHCP clients
// are not worth that gamble.
var leadingOptions = [...]uint8{53, 54, 51, 58, 59, 1, 28, 6, 15, 3}

// encode serializes a reply with the options in leadingOptions order, then
// any others by code.
func encode(resp *dhcpv4.DHCPv4) []byte {
	bare := *resp
	bare.Options = dhcpv4.Options{}
	b := bare.ToBytes()[:headerLen]
	for _, code := range optionOrder(resp.Options) {
		b = appendOption(b, code, resp.Options[code])
	}
	b = append(b, 255) // End
	for len(b) < bootpMinLen {
		b = append(b, 0)
	}
	return b
}

func optionOrder(opts dhcpv4.Options) []uint8 {
	order := make([]uint8, 0, len(opts))
	for _, c := range leadingOptions {
		if _, ok := opts[c]; ok {
			order = append(order, c)
		}
	}
	rest := make([]uint8, 0, len(opts))
	for c := range opts {
		if c != 0 && c != 255 && !slices.Contains(leadingOptions[:], c) {
			rest = append(rest, c)
		}
	}
	slices.Sort(rest)
	return append(order, rest...)
}

// appendOption writes one option, split into 255-byte pieces (RFC 3396).
func appendOption(b []byte, code uint8, data []byte) []byte {
	if len(data) == 0 {
		return append(b, code, 0)
	}
	for len(data) > 0 {
		n := min(len(data), 255)
		b = append(b, code, byte(n))
		b = append(b, data[:n]...)
		data = data[n:]
	}
	return b
}

// destKind is how a reply travels, per RFC 2131 §4.1.
type destKind int

const (
	toRelay     destKind = iota // giaddr set: to the relay agent's server port
	toBroadcast                 // 255.255.255.255
	toClientIP                  // unicast to ciaddr (renewing, INFORM)
	toClientMAC                 // layer-2 unicast to chaddr, IP destination yiaddr
)

// destination is where one reply goes.
type destination struct {
	kind destKind
	ip   netip.Addr
	port int
	mac  net.HardwareAddr
}

// limitedBroadcast is 255.255.255.255, which reaches every host on the link.
var limitedBroadcast = netip.AddrFrom4([4]byte{255, 255, 255, 255})

// broadcastDest is a reply broadcast to the client port: the rule for
// NAKs and clients without an address, and the fallback when a layer-2
// unicast cannot be sent.
var broadcastDest = destination{kind: toBroadcast, ip: limitedBroadcast, port: clientPort}

// replyDestination applies RFC 2131 §4.1's rules in their order.
func replyDestination(req, resp *dhcpv4.DHCPv4) destination {
	switch {
	case addrOf(req.GatewayIPAddr).IsValid():
		return destination{kind: toRelay, ip: addrOf(req.GatewayIPAddr), port: serverPort}
	case resp.MessageType() == dhcpv4.MessageTypeNak:
		return broadcastDest
	case addrOf(req.ClientIPAddr).IsValid():
		return destination{kind: toClientIP, ip: addrOf(req.ClientIPAddr), port: clientPort}
	case req.IsBroadcast() || !addrOf(resp.YourIPAddr).IsValid():
		return broadcastDest
	}
	return destination{kind: toClientMAC, ip: addrOf(resp.YourIPAddr), port: clientPort, mac: req.ClientHWAddr}
}
