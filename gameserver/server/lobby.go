package server

import (
	"errors"
	"sync"

	"github.com/psobox/psobox/gameserver/wire"
)

// Lobby sizes: 15 lobbies for everyone (DC v1 sees the first 10), 5 more
// for Episode III; 12 players each.
const (
	publicLobbies = 15
	ep3Lobbies    = 5
	v1Lobbies     = 10
	lobbyPlayers  = 12
)

// rosterIP is the address put in roster entries: the clients need a
// nonzero one and use it for nothing else, and players' real addresses are
// not shown to each other.
var rosterIP = [4]byte{127, 0, 0, 1}

var errLobbiesFull = errors.New("every lobby is full")

// Lobby is one public lobby. Its mutex guards the member slots and the
// leader; it is held while a change is announced, so every member sees
// joins and leaves in the same order. Announcing only pushes to the
// members' outboxes, which never block, so the lock is held briefly.
//
// Lock order: Lobby.mu, then a client's outbox lock. A goroutine holds at
// most one lobby lock.
type Lobby struct {
	ID    uint32 // number in the block: 1-15 public, 16-20 Episode III
	block int    // the block's number (blocks.go)
	event uint8

	mu      sync.Mutex
	members [lobbyPlayers]*Client
	leader  uint8
}

// lobbyAllowed: lobbies 16-20 are Episode III's; DC v1 has only 1-10.
func lobbyAllowed(id uint32, v wire.Version) bool {
	switch {
	case id < 1 || id > publicLobbies+ep3Lobbies:
		return false
	case id > publicLobbies:
		return v.IsEp3()
	case v.IsV1():
		return id <= v1Lobbies
	}
	return true
}

// add seats c in a free slot and announces the join: the newcomer gets the
// whole roster (C5, 67), everyone else the newcomer (C5, 68).
func (l *Lobby) add(c *Client) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	slot := -1
	for i, m := range l.members {
		if m == nil {
			slot = i
			break
		}
	}
	if slot < 0 {
		return false
	}
	if l.count() == 0 {
		l.leader = uint8(slot)
	}
	l.members[slot] = c
	c.sess.lobby, c.sess.lobbySlot = l, uint8(slot)
	c.location.Store(l)
	for i, m := range l.members {
		if m == nil {
			continue
		}
		if m == c {
			l.sendRoster(m, uint8(i))
		} else {
			l.sendArrival(m, uint8(i), c, uint8(slot))
		}
	}
	return true
}

// remove takes c out and tells the others (69), handing the lead on.
func (l *Lobby) remove(c *Client, slot uint8) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.members[slot] != c {
		return
	}
	l.members[slot] = nil
	c.location.CompareAndSwap(l, nil)
	if l.leader == slot {
		l.leader = l.firstMember()
	}
	for _, m := range l.members {
		if m != nil {
			m.Send(&wire.LeaveLobby{Cmd: 0x69, Flag: uint32(slot), ClientID: slot, LeaderID: l.leader, DisableUDP: 1})
		}
	}
}

func (l *Lobby) count() int {
	n := 0
	for _, m := range l.members {
		if m != nil {
			n++
		}
	}
	return n
}

func (l *Lobby) firstMember() uint8 {
	for i, m := range l.members {
		if m != nil {
			return uint8(i)
		}
	}
	return 0
}

// Count returns the number of players in the lobby.
func (l *Lobby) Count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.count()
}

// each calls f for every member but skip, with the lock held: f may only
// push to outboxes.
func (l *Lobby) each(skip *Client, f func(m *Client, slot uint8)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, m := range l.members {
		if m != nil && m != skip {
			f(m, uint8(i))
		}
	}
}

// member returns the client in slot (nil if empty or out of range).
func (l *Lobby) member(slot uint32) *Client {
	if slot >= lobbyPlayers {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.members[slot]
}
