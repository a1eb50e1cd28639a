package dhcp

import (
	"cmp"
	"net"
	"net/netip"
	"slices"
	"sync/atomic"
	"time"

	"github.com/insomniacslk/dhcp/dhcpv4"
)

// State is where the server stands, for the status page.
type State string

const (
	StateStarting State = "starting" // before Serve
	StateChecking State = "checking" // listening for another DHCP server
	StateServing  State = "serving"
	StateRefused  State = "refused" // not serving: another server answers, or a capability is missing
	StateStopped  State = "stopped"
)

// RogueServer is another DHCP server seen by the rogue check.
type RogueServer struct {
	ServerID netip.Addr       // its option 54 (or the packet's source address)
	MAC      net.HardwareAddr // the Ethernet source of its OFFER
}

// Status is a snapshot for the status page and metrics.
type Status struct {
	Mode      Mode
	Interface string
	State     State
	Message   string        // a sentence for humans when not simply serving
	Rogues    []RogueServer // other servers seen by the last rogue check
	Forced    bool          // serving although Rogues is not empty
	// Unicast says layer-2 unicast replies work; without CAP_NET_RAW replies
	// that should be unicast are broadcast instead.
	Unicast        bool
	ARPProbe       bool
	LeaseFile      string
	LeaseFileError string // last load or save problem, "" when fine
	PoolSize       int
	LeasesActive   int
	Counters       Counters
}

// Counters count requests and outcomes since start.
type Counters struct {
	Received, Discover, Request, Decline, Release, Inform uint64
	Offer, Ack, Nak                                       uint64
	Ignored                                               uint64 // no answer: other clients in home mode, other servers' clients, invalid requests
	Exhausted                                             uint64 // DISCOVERs left without an offer because the pool is full
	Conflicts                                             uint64 // addresses found in use by the ARP probe
	ProbeErrors, SendErrors, Busy                         uint64
	UnicastL2, Broadcast, UnicastIP, Relayed              uint64 // replies by destination
}

type counters struct {
	received, discover, request, decline, release, inform atomic.Uint64
	offer, ack, nak, ignored, exhausted, conflicts        atomic.Uint64
	probeErrors, sendErrors, busy                         atomic.Uint64
	unicastL2, broadcast, unicastIP, relayed              atomic.Uint64
}

func (c *counters) countRequest(t dhcpv4.MessageType) {
	c.received.Add(1)
	switch t {
	case dhcpv4.MessageTypeDiscover:
		c.discover.Add(1)
	case dhcpv4.MessageTypeRequest:
		c.request.Add(1)
	case dhcpv4.MessageTypeDecline:
		c.decline.Add(1)
	case dhcpv4.MessageTypeRelease:
		c.release.Add(1)
	case dhcpv4.MessageTypeInform:
		c.inform.Add(1)
	}
}

func (c *counters) countReply(resp *dhcpv4.DHCPv4) {
	switch resp.MessageType() {
	case dhcpv4.MessageTypeOffer:
		c.offer.Add(1)
	case dhcpv4.MessageTypeAck:
		c.ack.Add(1)
	case dhcpv4.MessageTypeNak:
		c.nak.Add(1)
	}
}

func (c *counters) snapshot() Counters {
	return Counters{
		Received: c.received.Load(), Discover: c.discover.Load(), Request: c.request.Load(),
		Decline: c.decline.Load(), Release: c.release.Load(), Inform: c.inform.Load(),
		Offer: c.offer.Load(), Ack: c.ack.Load(), Nak: c.nak.Load(), Ignored: c.ignored.Load(),
		Exhausted: c.exhausted.Load(), Conflicts: c.conflicts.Load(), ProbeErrors: c.probeErrors.Load(),
		SendErrors: c.sendErrors.Load(), Busy: c.busy.Load(), UnicastL2: c.unicastL2.Load(),
		Broadcast: c.broadcast.Load(), UnicastIP: c.unicastIP.Load(), Relayed: c.relayed.Load(),
	}
}

// LeaseInfo is one line of the status page's lease list.
type LeaseInfo struct {
	MAC       net.HardwareAddr
	Vendor    string // guessed from the OUI, e.g. "Nintendo (GameCube BBA)"
	IP        netip.Addr
	Hostname  string    // option 12 from the client, or the reservation's name
	State     string    // offered, bound, expired, released, declined, conflict
	Expires   time.Time // wall-clock end of the offer, lease or block
	Remaining time.Duration
	Reserved  bool
	Console   bool
}

// leaseInfos turns store records and blocks into the status list, by address.
func leaseInfos(cfg *settings, recs []lease, blocks map[netip.Addr]block, now time.Time) []LeaseInfo {
	out := make([]LeaseInfo, 0, len(recs)+len(blocks))
	for _, l := range recs {
		out = append(out, recordInfo(cfg, l, now))
	}
	for ip, b := range blocks {
		out = append(out, LeaseInfo{
			MAC: b.by, Vendor: cfg.consoles.vendor(keyOf(b.by)), IP: ip, State: b.reason,
			Expires: wallOf(now, b.until), Remaining: b.until.Sub(now),
		})
	}
	slices.SortFunc(out, func(a, b LeaseInfo) int { return cmp.Or(a.IP.Compare(b.IP), slices.Compare(a.MAC, b.MAC)) })
	return out
}

func recordInfo(cfg *settings, l lease, now time.Time) LeaseInfo {
	res, reserved := cfg.reservations.byMAC[l.mac]
	info := LeaseInfo{
		MAC: l.mac.mac(), Vendor: cfg.consoles.vendor(l.mac), IP: l.ip, Hostname: l.hostname,
		State: l.state.String(), Expires: wallOf(now, l.expiry), Reserved: reserved && res.IP == l.ip,
		Console: cfg.consoles.isConsole(l.mac),
	}
	if info.Hostname == "" && info.Reserved {
		info.Hostname = res.Name
	}
	if l.active(now) {
		info.Remaining = l.expiry.Sub(now)
	} else if l.state == stateBound || l.state == stateOffered {
		info.State = "expired"
	}
	return info
}

// wallOf gives t on today's wall clock: t may carry a monotonic reading from
// a time when the wall clock was still wrong (a Pi boots in 1970).
func wallOf(now, t time.Time) time.Time {
	return now.Round(0).Add(t.Sub(now))
}
