package dhcp

import (
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/mdlayher/packet"
	"golang.org/x/net/bpf"
)

// Link is layer-2 access to the served interface: unicast replies to
// clients that have no address yet, ARP probes, and the rogue check. The
// real one uses AF_PACKET sockets (CAP_NET_RAW); tests use a fake.
//
// Reads return an error matching os.ErrDeadlineExceeded at the deadline.
type Link interface {
	HardwareAddr() net.HardwareAddr
	// WriteIP sends an IPv4 packet (IP header onward) to the MAC dst.
	WriteIP(pkt []byte, dst net.HardwareAddr) error
	// ReadIP receives IPv4 UDP packets sent to the DHCP client port.
	ReadIP(buf []byte, deadline time.Time) (int, net.HardwareAddr, error)
	// WriteARP sends an ARP message to the MAC dst.
	WriteARP(pkt []byte, dst net.HardwareAddr) error
	// ReadARP receives ARP messages.
	ReadARP(buf []byte, deadline time.Time) (int, net.HardwareAddr, error)
	Close() error
}

var broadcastMAC = net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

const (
	etherTypeIPv4 = 0x0800
	etherTypeARP  = 0x0806
)

// packetLink is Link over two cooked (SOCK_DGRAM) packet sockets: the
// kernel writes and strips the Ethernet header.
type packetLink struct {
	mac net.HardwareAddr
	ip  *packet.Conn
	arp *packet.Conn
}

// openPacketLink opens the sockets on ifname; it needs CAP_NET_RAW.
func openPacketLink(ifname string) (*packetLink, error) {
	ifi, err := net.InterfaceByName(ifname)
	if err != nil {
		return nil, fmt.Errorf("interface %s: %w", ifname, err)
	}
	if len(ifi.HardwareAddr) != 6 {
		return nil, fmt.Errorf("interface %s has no Ethernet address", ifname)
	}
	filter, err := clientPortFilter()
	if err != nil {
		return nil, err
	}
	ipc, err := packet.Listen(ifi, packet.Datagram, etherTypeIPv4, &packet.Config{Filter: filter})
	if err != nil {
		return nil, fmt.Errorf("packet socket on %s: %w", ifname, err)
	}
	arpc, err := packet.Listen(ifi, packet.Datagram, etherTypeARP, nil)
	if err != nil {
		ipc.Close()
		return nil, fmt.Errorf("ARP socket on %s: %w", ifname, err)
	}
	return &packetLink{mac: ifi.HardwareAddr, ip: ipc, arp: arpc}, nil
}

// clientPortFilter keeps only unfragmented IPv4 UDP to port 68, so the IP
// socket does not queue every packet on the link. Offsets start at the IP
// header because the socket is cooked.
func clientPortFilter() ([]bpf.RawInstruction, error) {
	return bpf.Assemble([]bpf.Instruction{
		bpf.LoadAbsolute{Off: 9, Size: 1},                              // protocol
		bpf.JumpIf{Cond: bpf.JumpNotEqual, Val: protoUDP, SkipTrue: 6}, // → drop
		bpf.LoadAbsolute{Off: 6, Size: 2},                              // flags and fragment offset
		bpf.JumpIf{Cond: bpf.JumpBitsSet, Val: 0x3fff, SkipTrue: 4},    // fragment → drop
		bpf.LoadMemShift{Off: 0},                                       // X = header length
		bpf.LoadIndirect{Off: 2, Size: 2},                              // UDP destination port
		bpf.JumpIf{Cond: bpf.JumpNotEqual, Val: clientPort, SkipTrue: 1},
		bpf.RetConstant{Val: 0xffff},
		bpf.RetConstant{Val: 0},
	})
}

func (l *packetLink) HardwareAddr() net.HardwareAddr { return l.mac }

func (l *packetLink) WriteIP(pkt []byte, dst net.HardwareAddr) error {
	_, err := l.ip.WriteTo(pkt, &packet.Addr{HardwareAddr: dst})
	return err
}

func (l *packetLink) ReadIP(buf []byte, deadline time.Time) (int, net.HardwareAddr, error) {
	return readPacket(l.ip, buf, deadline)
}

func (l *packetLink) WriteARP(pkt []byte, dst net.HardwareAddr) error {
	_, err := l.arp.WriteTo(pkt, &packet.Addr{HardwareAddr: dst})
	return err
}

func (l *packetLink) ReadARP(buf []byte, deadline time.Time) (int, net.HardwareAddr, error) {
	return readPacket(l.arp, buf, deadline)
}

func readPacket(c *packet.Conn, buf []byte, deadline time.Time) (int, net.HardwareAddr, error) {
	if err := c.SetReadDeadline(deadline); err != nil {
		return 0, nil, err
	}
	n, from, err := c.ReadFrom(buf)
	if err != nil {
		return 0, nil, err
	}
	return n, from.(*packet.Addr).HardwareAddr, nil
}

func (l *packetLink) Close() error {
	return errors.Join(l.ip.Close(), l.arp.Close())
}

func isTimeout(err error) bool {
	return errors.Is(err, os.ErrDeadlineExceeded)
}

// drain discards what a read function has queued, so a probe only looks at
// answers to itself. It gives up after max packets (a busy link).
func drain(read func([]byte, time.Time) (int, net.HardwareAddr, error), buf []byte, max int) {
	for range max {
		if _, _, err := read(buf, time.Now().Add(time.Millisecond)); err != nil {
			return
		}
	}
}
