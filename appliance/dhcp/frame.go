package dhcp

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
)

const (
	ipv4HeaderLen = 20
	udpHeaderLen  = 8
	arpLen        = 28
	protoUDP      = 17
)

// udpPacket is an IPv4/UDP datagram as the packet socket sees it (the
// kernel adds and strips the Ethernet header).
type udpPacket struct {
	src, dst         netip.Addr
	srcPort, dstPort uint16
	payload          []byte
}

// marshalUDP builds the IPv4 and UDP headers around payload, checksums
// included: an L2-unicast reply bypasses the kernel's UDP stack.
func marshalUDP(p udpPacket) []byte {
	total := ipv4HeaderLen + udpHeaderLen + len(p.payload)
	b := make([]byte, total)
	b[0] = 0x45 // IPv4, 5-word header
	binary.BigEndian.PutUint16(b[2:], uint16(total))
	b[8] = 64 // TTL
	b[9] = protoUDP
	src, dst := p.src.As4(), p.dst.As4()
	copy(b[12:16], src[:])
	copy(b[16:20], dst[:])
	binary.BigEndian.PutUint16(b[10:], checksum(b[:ipv4HeaderLen], 0))
	u := b[ipv4HeaderLen:]
	binary.BigEndian.PutUint16(u[0:], p.srcPort)
	binary.BigEndian.PutUint16(u[2:], p.dstPort)
	binary.BigEndian.PutUint16(u[4:], uint16(udpHeaderLen+len(p.payload)))
	copy(u[udpHeaderLen:], p.payload)
	sum := checksum(u, pseudoHeaderSum(src, dst, len(u)))
	if sum == 0 {
		sum = 0xffff // zero means "no checksum" in UDP over IPv4
	}
	binary.BigEndian.PutUint16(u[6:], sum)
	return b
}

func pseudoHeaderSum(src, dst [4]byte, udpLen int) uint32 {
	s := uint32(binary.BigEndian.Uint16(src[0:])) + uint32(binary.BigEndian.Uint16(src[2:]))
	s += uint32(binary.BigEndian.Uint16(dst[0:])) + uint32(binary.BigEndian.Uint16(dst[2:]))
	return s + protoUDP + uint32(udpLen)
}

// checksum is the Internet checksum (RFC 1071) of b, starting from initial.
func checksum(b []byte, initial uint32) uint16 {
	s := initial
	for ; len(b) >= 2; b = b[2:] {
		s += uint32(binary.BigEndian.Uint16(b))
	}
	if len(b) == 1 {
		s += uint32(b[0]) << 8
	}
	for s > 0xffff {
		s = s>>16 + s&0xffff
	}
	return ^uint16(s)
}

var errNotUDP = errors.New("not an unfragmented IPv4 UDP packet")

// parseUDP reads an IPv4/UDP packet; the payload aliases b.
func parseUDP(b []byte) (udpPacket, error) {
	if len(b) < ipv4HeaderLen || b[0]>>4 != 4 {
		return udpPacket{}, errNotUDP
	}
	ihl := int(b[0]&0x0f) * 4
	total := int(binary.BigEndian.Uint16(b[2:]))
	fragmented := binary.BigEndian.Uint16(b[6:])&0x3fff != 0 // MF flag or an offset
	if ihl < ipv4HeaderLen || total < ihl+udpHeaderLen || total > len(b) || b[9] != protoUDP || fragmented {
		return udpPacket{}, errNotUDP
	}
	u := b[ihl:total]
	ulen := int(binary.BigEndian.Uint16(u[4:]))
	if ulen < udpHeaderLen || ulen > len(u) {
		return udpPacket{}, fmt.Errorf("UDP length %d does not fit the %d-byte IP payload", ulen, len(u))
	}
	return udpPacket{
		src:     netip.AddrFrom4([4]byte(b[12:16])),
		dst:     netip.AddrFrom4([4]byte(b[16:20])),
		srcPort: binary.BigEndian.Uint16(u[0:]),
		dstPort: binary.BigEndian.Uint16(u[2:]),
		payload: u[udpHeaderLen:ulen],
	}, nil
}

// arpPacket is the part of an Ethernet/IPv4 ARP message the probe reads:
// who sent it, and for which address (requests and replies alike).
type arpPacket struct {
	senderMAC          net.HardwareAddr
	senderIP, targetIP netip.Addr
}

// arpProbe is an RFC 5227 probe: "who has ip?" with sender address 0.0.0.0,
// so no host updates its ARP cache from it.
func arpProbe(own net.HardwareAddr, ip netip.Addr) []byte {
	b := make([]byte, arpLen)
	binary.BigEndian.PutUint16(b[0:], 1)      // Ethernet
	binary.BigEndian.PutUint16(b[2:], 0x0800) // IPv4
	b[4], b[5] = 6, 4
	binary.BigEndian.PutUint16(b[6:], 1) // request
	copy(b[8:14], own)
	target := ip.As4()
	copy(b[24:28], target[:])
	return b
}

var errNotARP = errors.New("not an Ethernet/IPv4 ARP message")

func parseARP(b []byte) (arpPacket, error) {
	if len(b) < arpLen || binary.BigEndian.Uint16(b[0:]) != 1 || binary.BigEndian.Uint16(b[2:]) != 0x0800 ||
		b[4] != 6 || b[5] != 4 {
		return arpPacket{}, errNotARP
	}
	return arpPacket{
		senderMAC: net.HardwareAddr(b[8:14]),
		senderIP:  netip.AddrFrom4([4]byte(b[14:18])),
		targetIP:  netip.AddrFrom4([4]byte(b[24:28])),
	}, nil
}

// claims reports whether the message shows a host other than client using
// ip: a reply for it, or any message sent from it (RFC 5227 §2.1.1).
func (a arpPacket) claims(ip netip.Addr, client net.HardwareAddr) bool {
	if a.senderIP != ip {
		return false
	}
	return keyOf(a.senderMAC) != keyOf(client)
}
