package dhcp

import (
	"net"
	"net/netip"
	"sync"
	"time"
)

// How long an address stays out of the pool after a client declined it or
// another host answered the ARP probe for it.
const blockTime = 10 * time.Minute

type leaseState uint8

const (
	stateOffered leaseState = iota + 1
	stateBound
	stateReleased // released by the client, or an offer that was not taken
)

func (st leaseState) String() string {
	switch st {
	case stateOffered:
		return "offered"
	case stateBound:
		return "bound"
	case stateReleased:
		return "released"
	}
	return "unknown"
}

// lease is the store's record binding one MAC to one address. The record
// outlives the lease itself: an expired or released record still gives the
// client its old address back, until the pool needs the address for someone
// else (least recently freed first).
type lease struct {
	mac      hwKey
	ip       netip.Addr
	hostname string
	state    leaseState
	// expiry is the offer hold's end (offered), the lease's end (bound) or
	// the release time (released). Times from time.Now carry the monotonic
	// reading, so comparisons survive wall-clock jumps.
	expiry time.Time
	// probed is when an ARP probe last found ip free for this client.
	probed time.Time
}

func (l *lease) active(now time.Time) bool {
	return l.state != stateReleased && now.Before(l.expiry)
}

// block keeps an address out of use for a while.
type block struct {
	until  time.Time
	reason string           // "declined" or "conflict"
	by     net.HardwareAddr // who declined it, or who answered the probe
}

// store holds every lease record and decides allocations. One mutex guards
// it; a decision and its record update happen under the same lock, so two
// clients can never be handed the same address.
type store struct {
	mu      sync.Mutex
	cfg     *settings
	byMAC   map[hwKey]*lease
	byIP    map[netip.Addr]*lease
	blocked map[netip.Addr]block
	cursor  uint32 // where the search for never-used addresses continues
	changed func() // called after a change that must reach the lease file
}

func newStore(cfg *settings, changed func()) *store {
	if changed == nil {
		changed = func() {}
	}
	return &store{
		cfg: cfg, changed: changed,
		byMAC: map[hwKey]*lease{}, byIP: map[netip.Addr]*lease{}, blocked: map[netip.Addr]block{},
	}
}

// put makes (mac, ip) a record, dropping mac's record for another address
// and the previous holder's record for ip (which lost its affinity).
func (s *store) put(mac hwKey, ip netip.Addr) *lease {
	if old := s.byMAC[mac]; old != nil && old.ip != ip {
		delete(s.byIP, old.ip)
		delete(s.byMAC, mac)
	}
	if old := s.byIP[ip]; old != nil && old.mac != mac {
		delete(s.byMAC, old.mac)
		delete(s.byIP, ip)
	}
	l := s.byMAC[mac]
	if l == nil {
		l = &lease{mac: mac, ip: ip}
		s.byMAC[mac], s.byIP[ip] = l, l
	}
	return l
}

func (s *store) isBlocked(ip netip.Addr, now time.Time) bool {
	b, ok := s.blocked[ip]
	if ok && !now.Before(b.until) {
		delete(s.blocked, ip)
		return false
	}
	return ok
}

// takenByOther reports whether another client holds ip right now.
func (s *store) takenByOther(ip netip.Addr, mac hwKey, now time.Time) bool {
	l := s.byIP[ip]
	return l != nil && l.mac != mac && l.active(now)
}

// assignable reports whether the pool may give ip to mac.
func (s *store) assignable(ip netip.Addr, mac hwKey, now time.Time) bool {
	return s.cfg.inPool(ip) && !s.cfg.reservations.reservedForOther(ip, mac) &&
		!s.isBlocked(ip, now) && !s.takenByOther(ip, mac, now)
}

// candidate picks the address to offer mac: its reservation, its previous
// address, the address it asks for, a never-used pool address, or the pool
// address freed longest ago, in that order.
func (s *store) candidate(mac hwKey, pinned, requested netip.Addr, now time.Time) (netip.Addr, bool) {
	if pinned.IsValid() {
		ok := !s.isBlocked(pinned, now) && !s.takenByOther(pinned, mac, now)
		return pinned, ok
	}
	if l := s.byMAC[mac]; l != nil && s.assignable(l.ip, mac, now) {
		return l.ip, true
	}
	if requested.IsValid() && s.assignable(requested, mac, now) {
		return requested, true
	}
	if ip, ok := s.neverUsed(now); ok {
		return ip, true
	}
	return s.freedLongestAgo(mac, now)
}

func (s *store) poolSize() uint32 {
	return ipToU32(s.cfg.poolEnd) - ipToU32(s.cfg.poolStart) + 1
}

// neverUsed continues a round-robin walk of the pool for an address without
// any record, so fresh addresses are handed out before anyone's old one.
func (s *store) neverUsed(now time.Time) (netip.Addr, bool) {
	size, base := s.poolSize(), ipToU32(s.cfg.poolStart)
	for i := uint32(0); i < size; i++ {
		ip := u32ToIP(base + (s.cursor+i)%size)
		_, reserved := s.cfg.reservations.byIP[ip]
		if s.byIP[ip] == nil && !reserved && s.cfg.inPool(ip) && !s.isBlocked(ip, now) {
			s.cursor = (s.cursor + i + 1) % size
			return ip, true
		}
	}
	return netip.Addr{}, false
}

func (s *store) freedLongestAgo(mac hwKey, now time.Time) (netip.Addr, bool) {
	var best *lease
	for _, l := range s.byIP {
		if l.active(now) || !s.assignable(l.ip, mac, now) {
			continue
		}
		if best == nil || l.expiry.Before(best.expiry) {
			best = l
		}
	}
	if best == nil {
		return netip.Addr{}, false
	}
	return best.ip, true
}

// active counts records in use right now (for the status page).
func (s *store) activeCount(now time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, l := range s.byIP {
		if l.active(now) {
			n++
		}
	}
	return n
}
