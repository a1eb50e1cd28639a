package dhcp

import (
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/insomniacslk/dhcp/dhcpv4"
)

// maxProbeTries bounds the addresses one DISCOVER may probe.
const maxProbeTries = 4

// prober asks the link whether another host uses ip; client's own answers
// do not count. It returns the MAC of the host that answered, or nil.
type prober func(ip netip.Addr, client net.HardwareAddr) (net.HardwareAddr, error)

// leaseStep is the chain step that runs the RFC 2131 state machine over the
// lease store.
type leaseStep struct {
	cfg       *settings
	store     *store
	now       func() time.Time
	probe     prober // nil: no probing
	log       *slog.Logger
	stats     *counters
	exhausted rateLimit // pool-exhausted warnings
	failed    rateLimit // probe-failure errors
}

func (ls *leaseStep) handle(req, resp *dhcpv4.DHCPv4) (*dhcpv4.DHCPv4, bool) {
	switch req.MessageType() {
	case dhcpv4.MessageTypeDiscover:
		return ls.discover(req, resp)
	case dhcpv4.MessageTypeRequest:
		return ls.request(req, resp)
	case dhcpv4.MessageTypeDecline:
		ls.decline(req)
	case dhcpv4.MessageTypeRelease:
		ls.release(req)
	case dhcpv4.MessageTypeInform:
		return ls.inform(req, resp)
	}
	return drop()
}

// leaseFor gives consoles at least MinConsoleLease (see its comment).
func (ls *leaseStep) leaseFor(mac hwKey) time.Duration {
	if ls.cfg.consoles.isConsole(mac) && ls.cfg.leaseTime < MinConsoleLease {
		return MinConsoleLease
	}
	return ls.cfg.leaseTime
}

func (ls *leaseStep) discover(req, resp *dhcpv4.DHCPv4) (*dhcpv4.DHCPv4, bool) {
	mac, pinned := keyOf(req.ClientHWAddr), addrOf(resp.YourIPAddr)
	requested := addrOf(req.RequestedIPAddress())
	for range maxProbeTries {
		ip, needProbe, ok := ls.store.offer(mac, pinned, requested, req.HostName(), ls.now())
		if !ok {
			ls.noAddress(req, pinned)
			return drop()
		}
		if needProbe && ls.probe != nil {
			if !ls.probeFree(ip, req.ClientHWAddr) {
				if pinned.IsValid() {
					return drop()
				}
				continue
			}
		}
		return ls.grant(resp, dhcpv4.MessageTypeOffer, ip, mac), false
	}
	ls.log.Warn("no offer: every address tried is in use by another host", "mac", req.ClientHWAddr.String())
	return drop()
}

// probeFree probes ip and records the outcome; a failed probe counts as
// "in use", so a broken socket never leads to a duplicate address.
func (ls *leaseStep) probeFree(ip netip.Addr, client net.HardwareAddr) bool {
	owner, err := ls.probe(ip, client)
	if err != nil {
		ls.stats.probeErrors.Add(1)
		if ls.failed.allow(ls.now()) {
			ls.log.Error("ARP probe failed; not offering the address", "ip", ip, "err", err)
		}
		return false
	}
	mac := keyOf(client)
	if owner != nil {
		ls.stats.conflicts.Add(1)
		ls.store.conflict(ip, mac, owner, ls.now())
		ls.log.Warn("address answers ARP: skipping it", "ip", ip, "owner", owner.String(), "for", client.String())
		return false
	}
	ls.store.probedFree(mac, ip, ls.now())
	return true
}

func (ls *leaseStep) noAddress(req *dhcpv4.DHCPv4, pinned netip.Addr) {
	if pinned.IsValid() {
		ls.log.Warn("reserved address is in use by another client or blocked", "mac", req.ClientHWAddr.String(), "ip", pinned)
		return
	}
	ls.stats.exhausted.Add(1)
	if ls.exhausted.allow(ls.now()) {
		ls.log.Warn("address pool exhausted: no offer", "mac", req.ClientHWAddr.String(),
			"pool", ls.cfg.poolStart.String()+"-"+ls.cfg.poolEnd.String())
	}
}

// grant fills an OFFER or ACK for ip with its lease time.
func (ls *leaseStep) grant(resp *dhcpv4.DHCPv4, t dhcpv4.MessageType, ip netip.Addr, mac hwKey) *dhcpv4.DHCPv4 {
	resp.YourIPAddr = net.IP(ip.AsSlice())
	resp.UpdateOption(dhcpv4.OptMessageType(t))
	resp.UpdateOption(dhcpv4.OptIPAddressLeaseTime(ls.leaseFor(mac)))
	return resp
}

func (ls *leaseStep) request(req, resp *dhcpv4.DHCPv4) (*dhcpv4.DHCPv4, bool) {
	mac, pinned := keyOf(req.ClientHWAddr), addrOf(resp.YourIPAddr)
	serverID, ciaddr := addrOf(req.ServerIdentifier()), addrOf(req.ClientIPAddr)
	if serverID.IsValid() && serverID != ls.cfg.server {
		ls.store.withdrawOffer(mac, ls.now()) // the client took another server's offer
		return drop()
	}
	// SELECTING and INIT-REBOOT name the address in option 50; RENEWING and
	// REBINDING clients already use it and put it in ciaddr.
	ip := addrOf(req.RequestedIPAddress())
	if ciaddr.IsValid() && (!serverID.IsValid() || !ip.IsValid()) {
		ip = ciaddr
	}
	if !ip.IsValid() {
		return drop()
	}
	c := claim{mac: mac, ip: ip, pinned: pinned, hostname: req.HostName(), lease: ls.leaseFor(mac)}
	switch v, reason := ls.store.confirm(c, ls.now()); v {
	case verdictAck:
		resp.ClientIPAddr = req.ClientIPAddr
		return ls.grant(resp, dhcpv4.MessageTypeAck, ip, mac), false
	case verdictNak:
		ls.log.Info("NAK", "mac", req.ClientHWAddr.String(), "ip", ip, "reason", reason)
		return nak(req, resp, reason), false
	default:
		ls.log.Debug("REQUEST ignored", "mac", req.ClientHWAddr.String(), "ip", ip, "reason", reason)
		return drop()
	}
}

// nak turns resp into a DHCPNAK: no addresses, only the message.
func nak(req, resp *dhcpv4.DHCPv4, reason string) *dhcpv4.DHCPv4 {
	resp.YourIPAddr, resp.ClientIPAddr = net.IPv4zero, net.IPv4zero
	resp.UpdateOption(dhcpv4.OptMessageType(dhcpv4.MessageTypeNak))
	resp.UpdateOption(dhcpv4.OptMessage(reason))
	if addrOf(req.GatewayIPAddr).IsValid() {
		resp.SetBroadcast() // RFC 2131 §4.3.2: the relay must broadcast it
	}
	return resp
}

// fromOtherServer reports a DECLINE or RELEASE addressed to another server.
func (ls *leaseStep) fromOtherServer(req *dhcpv4.DHCPv4) bool {
	id := addrOf(req.ServerIdentifier())
	return id.IsValid() && id != ls.cfg.server
}

func (ls *leaseStep) decline(req *dhcpv4.DHCPv4) {
	ip := addrOf(req.RequestedIPAddress())
	if ls.fromOtherServer(req) || !ls.store.decline(keyOf(req.ClientHWAddr), ip, ls.now()) {
		return
	}
	ls.log.Warn("client declined its address (in use by another host?); blocking it",
		"mac", req.ClientHWAddr.String(), "ip", ip, "for", blockTime)
}

func (ls *leaseStep) release(req *dhcpv4.DHCPv4) {
	ip := addrOf(req.ClientIPAddr)
	if ls.fromOtherServer(req) || !ls.store.release(keyOf(req.ClientHWAddr), ip, ls.now()) {
		return
	}
	ls.log.Info("lease released", "mac", req.ClientHWAddr.String(), "ip", ip)
}

// inform answers a client that configured its own address: options only,
// no yiaddr and no lease times.
func (ls *leaseStep) inform(req, resp *dhcpv4.DHCPv4) (*dhcpv4.DHCPv4, bool) {
	if ciaddr := addrOf(req.ClientIPAddr); !ls.cfg.subnet.Contains(ciaddr) {
		return drop()
	}
	resp.ClientIPAddr, resp.YourIPAddr = req.ClientIPAddr, net.IPv4zero
	resp.UpdateOption(dhcpv4.OptMessageType(dhcpv4.MessageTypeAck))
	return resp, false
}

// rateLimit lets one event through per interval (log lines that a flood of
// requests would otherwise repeat).
type rateLimit struct {
	mu    sync.Mutex
	every time.Duration
	last  time.Time
}

func (r *rateLimit) allow(now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.last.IsZero() && now.Sub(r.last) < r.every {
		return false
	}
	r.last = now
	return true
}
