package server

import (
	"net/netip"
	"time"

	"github.com/psobox/psobox/gameserver/wire"
)

// Status snapshots for the status page. They read only what other
// goroutines may read (atomics, the client set under Server.mu, each
// lobby under its own lock), so they are safe at any time and cost one
// pass over the clients and the lobbies.

// PlayerStatus is one connected client.
type PlayerStatus struct {
	Name      string       // character name, "" before the player data arrived
	Version   wire.Version // as identified so far
	GuildCard uint32       // 0 before login
	Addr      netip.Addr   // the client's address (IPv4 unmapped)
	Block     int          // 0 when not in a lobby
	Lobby     int          // number in the block (1-20); 0 when not in a lobby
	Game      string       // the name of the game the player is in; "" elsewhere
	Since     time.Time    // when the connection was accepted
}

// LobbyStatus is one lobby of an open block.
type LobbyStatus struct {
	Block, Number int // Number: 1-15 public, 16-20 Episode III CARD lobbies
	Name          string
	Players       []string
}

// VersionLabel names a version for people: "DC v2", "PC", "GC Ep1&2",
// "GC Ep3", "Xbox".
func VersionLabel(v wire.Version) string {
	if s, ok := versionLabels[v]; ok {
		return s
	}
	return v.String()
}

var versionLabels = map[wire.Version]string{
	wire.DCNTE: "DC NTE", wire.DC112000: "DC 11/2000", wire.DCV1: "DC v1", wire.DCV2: "DC v2",
	wire.PCNTE: "PC NTE", wire.PCV2: "PC", wire.GCNTE: "GC NTE", wire.GCV3: "GC Ep1&2",
	wire.GCEp3NTE: "GC Ep3 NTE", wire.GCEp3: "GC Ep3", wire.XBV3: "Xbox", wire.BBV4: "BB",
}

// Players lists every connected client, logins in progress included.
func (s *Server) Players() []PlayerStatus {
	inGame := s.gameOfPlayers() // before s.mu: no game lock is taken under it
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]PlayerStatus, 0, len(s.clients))
	for c := range s.clients {
		p := c.status()
		p.Game = inGame[c]
		out = append(out, p)
	}
	return out
}

// gameOfPlayers maps the players of every game to the game's name.
func (s *Server) gameOfPlayers() map[*Client]string {
	m := map[*Client]string{}
	for _, g := range s.games.list() {
		for _, c := range g.snapshot().players {
			m[c] = g.name
		}
	}
	return m
}

func (c *Client) status() PlayerStatus {
	p := PlayerStatus{Version: c.Version(), GuildCard: c.GuildCard(), Addr: c.remote.Addr(), Since: c.connected}
	if pl := c.Player(); pl != nil {
		p.Name = pl.Name
	}
	if l := c.location.Load(); l != nil {
		p.Block, p.Lobby = l.block, int(l.ID)
	}
	return p
}

// Lobbies lists every lobby of the open blocks with the names of its
// players.
func (s *Server) Lobbies() []LobbyStatus {
	var out []LobbyStatus
	for _, b := range s.lobbies.blocks() {
		for _, l := range b.lobbies {
			out = append(out, LobbyStatus{Block: b.Number, Number: int(l.ID), Name: l.Name(), Players: l.names()})
		}
	}
	return out
}

// names lists the players in the lobby, in slot order.
func (l *Lobby) names() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := []string{}
	for _, m := range l.members {
		if m != nil {
			out = append(out, nameOf(m))
		}
	}
	return out
}
