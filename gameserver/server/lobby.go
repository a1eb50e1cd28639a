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
	ID    uint32
	event uint8

	mu      sync.Mutex
	members [lobbyPlayers]*Client
	leader  uint8
}

// lobbies is the server's fixed set of public lobbies, IDs 1-20.
type lobbies struct {
	all []*Lobby
}

func newLobbies(event uint8) *lobbies {
	ls := &lobbies{}
	for id := uint32(1); id <= publicLobbies+ep3Lobbies; id++ {
		ls.all = append(ls.all, &Lobby{ID: id, event: event})
	}
	return ls
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

// visible lists the lobbies version v has, in ID order (83).
func (ls *lobbies) visible(v wire.Version) []*Lobby {
	var out []*Lobby
	for _, l := range ls.all {
		if lobbyAllowed(l.ID, v) {
			out = append(out, l)
		}
	}
	return out
}

// searchOrder is where a player without a preference goes: Episode III
// players to their own lobbies first.
func (ls *lobbies) searchOrder(v wire.Version) []*Lobby {
	vis := ls.visible(v)
	if !v.IsEp3() {
		return vis
	}
	return append(vis[publicLobbies:], vis[:publicLobbies]...)
}

func (ls *lobbies) byID(id uint32) *Lobby {
	if id < 1 || int(id) > len(ls.all) {
		return nil
	}
	return ls.all[id-1]
}

// join puts c in its preferred lobby if there is room, else the first one
// with room, and announces it.
func (ls *lobbies) join(c *Client, preferred uint32) (*Lobby, error) {
	v := c.Version()
	if l := ls.byID(preferred); l != nil && lobbyAllowed(l.ID, v) && l.add(c) {
		return l, nil
	}
	for _, l := range ls.searchOrder(v) {
		if l.add(c) {
			return l, nil
		}
	}
	return nil, errLobbiesFull
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
