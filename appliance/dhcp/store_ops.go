package dhcp

import (
	"net"
	"net/netip"
	"time"
)

// A cached "free" probe result is trusted this long, so a client that
// repeats its DISCOVER is not slowed down by a second probe.
const probeValid = time.Minute

// offerHold is how long an offered address waits for the client's REQUEST.
const offerHold = time.Minute

// offer picks an address for mac and holds it. needProbe says whether the
// address must be ARP-probed before the OFFER goes out: not when it is the
// client's own running lease, nor when a probe just found it free.
func (s *store) offer(mac hwKey, pinned, requested netip.Addr, hostname string, now time.Time) (ip netip.Addr, needProbe, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ip, ok = s.candidate(mac, pinned, requested, now)
	if !ok {
		return ip, false, false
	}
	l := s.put(mac, ip)
	if hostname != "" {
		l.hostname = hostname
	}
	runningLease := l.state == stateBound && l.active(now)
	if !runningLease {
		l.state, l.expiry = stateOffered, now.Add(offerHold)
	}
	recentlyProbed := !l.probed.IsZero() && now.Sub(l.probed) < probeValid
	return ip, !runningLease && !recentlyProbed, true
}

// probedFree remembers that a probe found ip free for mac.
func (s *store) probedFree(mac hwKey, ip netip.Addr, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l := s.byMAC[mac]; l != nil && l.ip == ip {
		l.probed = now
	}
}

// conflict takes ip out of the pool because owner answered the probe, and
// withdraws the offer just made to mac.
func (s *store) conflict(ip netip.Addr, mac hwKey, owner net.HardwareAddr, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[ip] = block{until: now.Add(blockTime), reason: "conflict", by: owner}
	if l := s.byIP[ip]; l != nil && l.mac == mac && l.state == stateOffered {
		delete(s.byIP, ip)
		delete(s.byMAC, mac)
	}
}

// verdict is the store's answer to a REQUEST.
type verdict int

const (
	verdictIgnore verdict = iota
	verdictAck
	verdictNak
)

// claim is a client's REQUEST for an address.
type claim struct {
	mac      hwKey
	ip       netip.Addr
	pinned   netip.Addr // the client's reservation, if any
	hostname string
	lease    time.Duration
}

// confirm decides a REQUEST and, on ACK, binds the lease. The reason
// explains a NAK or an ignore in the log. In home mode a refusal is silence:
// the home router is the authority for everything we did not hand out.
func (s *store) confirm(c claim, now time.Time) (verdict, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if reason := s.refusal(c, now); reason != "" {
		if s.cfg.mode == ModeHome {
			return verdictIgnore, reason
		}
		return verdictNak, reason
	}
	if s.cfg.mode == ModeHome && !c.pinned.IsValid() && !s.hasRecord(c.mac, c.ip) {
		return verdictIgnore, "not an address this server handed out"
	}
	l := s.put(c.mac, c.ip)
	l.state, l.expiry = stateBound, now.Add(c.lease)
	if c.hostname != "" {
		l.hostname = c.hostname
	}
	s.changed()
	return verdictAck, ""
}

// refusal says why c cannot have its address, or "" when it can.
func (s *store) refusal(c claim, now time.Time) string {
	switch {
	case !s.cfg.subnet.Contains(c.ip):
		return "address is not in subnet " + s.cfg.subnet.String()
	case c.pinned.IsValid() && c.ip != c.pinned:
		return "client has a reservation for " + c.pinned.String()
	case !c.pinned.IsValid() && s.cfg.reservations.reservedForOther(c.ip, c.mac):
		return "address is reserved for another client"
	case !c.pinned.IsValid() && !s.cfg.inPool(c.ip):
		return "address is outside the pool"
	case s.isBlocked(c.ip, now):
		return "address was declined or is used by another host"
	case s.takenByOther(c.ip, c.mac, now):
		return "address is leased to another client"
	}
	return ""
}

func (s *store) hasRecord(mac hwKey, ip netip.Addr) bool {
	l := s.byMAC[mac]
	return l != nil && l.ip == ip
}

// decline blocks ip after mac found it in use; only an address we offered
// or leased to mac counts, so no client can block arbitrary addresses.
func (s *store) decline(mac hwKey, ip netip.Addr, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.hasRecord(mac, ip) {
		return false
	}
	delete(s.byIP, ip)
	delete(s.byMAC, mac)
	s.blocked[ip] = block{until: now.Add(blockTime), reason: "declined", by: mac.mac()}
	s.changed()
	return true
}

// release ends mac's lease on ip early; the record keeps the affinity.
func (s *store) release(mac hwKey, ip netip.Addr, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.byMAC[mac]
	if l == nil || l.ip != ip || l.state != stateBound {
		return false
	}
	l.state, l.expiry = stateReleased, now
	s.changed()
	return true
}

// withdrawOffer frees the address offered to mac, which chose another server.
func (s *store) withdrawOffer(mac hwKey, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l := s.byMAC[mac]; l != nil && l.state == stateOffered {
		l.state, l.expiry = stateReleased, now
	}
}

// records copies every lease record, for saving and the status page.
func (s *store) records() []lease {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]lease, 0, len(s.byIP))
	for _, l := range s.byIP {
		out = append(out, *l)
	}
	return out
}

// blocks copies the blocked addresses still in force.
func (s *store) blocks(now time.Time) map[netip.Addr]block {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[netip.Addr]block{}
	for ip, b := range s.blocked {
		if now.Before(b.until) {
			out[ip] = b
		}
	}
	return out
}

// replace loads records from the lease file, keeping only those the current
// configuration still allows (the pool or the reservations may have changed).
func (s *store) replace(recs []lease) (dropped int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byMAC, s.byIP = map[hwKey]*lease{}, map[netip.Addr]*lease{}
	for i := range recs {
		l := recs[i]
		res, pinned := s.cfg.reservations.byMAC[l.mac]
		allowed := (pinned && res.IP == l.ip) || (!pinned && s.cfg.inPool(l.ip) && !s.cfg.reservations.reservedForOther(l.ip, l.mac))
		if !allowed || s.byMAC[l.mac] != nil || s.byIP[l.ip] != nil {
			dropped++
			continue
		}
		s.byMAC[l.mac], s.byIP[l.ip] = &l, &l
	}
	return dropped
}
