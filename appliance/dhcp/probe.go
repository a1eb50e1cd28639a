package dhcp

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"slices"
	"sync"
	"time"

	"github.com/insomniacslk/dhcp/dhcpv4"
	"github.com/insomniacslk/dhcp/iana"
)

// arpProber asks the link whether an address is in use. Probes take turns:
// they share one socket, and one probe must not eat another's answers.
type arpProber struct {
	mu   sync.Mutex
	link Link
	wait time.Duration
}

func (p *arpProber) probe(ip netip.Addr, client net.HardwareAddr) (net.HardwareAddr, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	buf := make([]byte, 1500)
	drain(p.link.ReadARP, buf, 1000)
	if err := p.link.WriteARP(arpProbe(p.link.HardwareAddr(), ip), broadcastMAC); err != nil {
		return nil, fmt.Errorf("send ARP probe for %v: %w", ip, err)
	}
	deadline := time.Now().Add(p.wait)
	for {
		n, _, err := p.link.ReadARP(buf, deadline)
		if isTimeout(err) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read ARP: %w", err)
		}
		if a, err := parseARP(buf[:n]); err == nil && a.claims(ip, client) {
			return slices.Clone(a.senderMAC), nil
		}
	}
}

// rogueCheck broadcasts a DISCOVER of our own and collects the OFFERs other
// servers send back during listen. Like a real client it repeats the
// DISCOVER (every second): a lost packet must not hide a server, and
// dnsmasq, common in home routers, pings an address before offering it and
// answers only about 3 s later. Once a server answered, it listens one more
// second for others and stops.
func rogueCheck(ctx context.Context, link Link, listen time.Duration) ([]RogueServer, error) {
	buf := make([]byte, 1500)
	drain(link.ReadIP, buf, 1000)
	xid := rogueXID()
	end := time.Now().Add(listen)
	var lastSent time.Time
	var found []RogueServer
	for time.Now().Before(end) {
		if err := ctx.Err(); err != nil {
			return found, err
		}
		if time.Since(lastSent) >= time.Second {
			lastSent = time.Now()
			if err := link.WriteIP(discoverPacket(link.HardwareAddr(), xid), broadcastMAC); err != nil {
				return found, fmt.Errorf("send DISCOVER: %w", err)
			}
		}
		// Short reads keep the loop responsive to ctx and to the resend.
		n, from, err := link.ReadIP(buf, minTime(end, time.Now().Add(100*time.Millisecond)))
		if isTimeout(err) {
			continue
		}
		if err != nil {
			return found, fmt.Errorf("read OFFERs: %w", err)
		}
		if r, ok := offerFor(buf[:n], from, xid); ok && !slices.ContainsFunc(found, r.same) {
			if len(found) == 0 {
				end = minTime(end, time.Now().Add(time.Second)) // one more second for others
			}
			found = append(found, r)
		}
	}
	return found, nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// rogueXID must not come from dhcpv4.GenerateTransactionID (see the package
// doc); math/rand/v2 is seeded by the runtime and never waits.
func rogueXID() dhcpv4.TransactionID {
	v := rand.Uint32()
	return dhcpv4.TransactionID{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
}

// discoverPacket is a client's broadcast DISCOVER from 0.0.0.0:68, asking
// for broadcast answers so every server's reply reaches the packet socket.
func discoverPacket(mac net.HardwareAddr, xid dhcpv4.TransactionID) []byte {
	d := &dhcpv4.DHCPv4{
		OpCode: dhcpv4.OpcodeBootRequest, HWType: iana.HWTypeEthernet, TransactionID: xid,
		Flags: 0x8000, ClientHWAddr: mac, Options: dhcpv4.Options{},
	}
	d.UpdateOption(dhcpv4.OptMessageType(dhcpv4.MessageTypeDiscover))
	d.UpdateOption(dhcpv4.OptParameterRequestList(dhcpv4.OptionSubnetMask, dhcpv4.OptionRouter, dhcpv4.OptionDomainNameServer))
	return marshalUDP(udpPacket{
		src: netip.IPv4Unspecified(), dst: limitedBroadcast,
		srcPort: clientPort, dstPort: serverPort, payload: encode(d),
	})
}

// offerFor recognizes another server's OFFER to our DISCOVER.
func offerFor(pkt []byte, from net.HardwareAddr, xid dhcpv4.TransactionID) (RogueServer, bool) {
	u, err := parseUDP(pkt)
	if err != nil || u.dstPort != clientPort {
		return RogueServer{}, false
	}
	m, err := dhcpv4.FromBytes(u.payload)
	if err != nil || m.OpCode != dhcpv4.OpcodeBootReply || m.TransactionID != xid ||
		m.MessageType() != dhcpv4.MessageTypeOffer {
		return RogueServer{}, false
	}
	id := addrOf(m.ServerIdentifier())
	if !id.IsValid() {
		id = u.src
	}
	return RogueServer{ServerID: id, MAC: slices.Clone(from)}, true
}

func (r RogueServer) same(o RogueServer) bool {
	return r.ServerID == o.ServerID && keyOf(r.MAC) == keyOf(o.MAC)
}
