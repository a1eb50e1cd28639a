package server

import (
	"sync/atomic"
	"time"
)

// relayCounters count relayed and dropped subcommands for the status page.
type relayCounters struct {
	relayed, dropped atomic.Uint64
}

// GameSummary is one game as the status page shows it.
type GameSummary struct {
	ID         uint32
	Name       string
	Group      string   // versions that may join: "DC/PC", "GC/Xbox", "Ep3"...
	Players    []string // character names, in slot order
	Episode    int      // 1, 2; 3 for Episode III
	Difficulty string   // "Normal", "Hard", "Very Hard", "Ultimate"
	Mode       string   // "Normal", "Battle", "Challenge", "Solo"
	Quest      string   // the quest in progress; "" when none
	Password   bool     // the game has a password (never the password itself)
	Loading    bool     // a player is joining
	Created    time.Time
}

// Games lists the games in creation order. It is safe to call from any
// goroutine.
func (s *Server) Games() []GameSummary {
	var out []GameSummary
	for _, g := range s.games.list() {
		snap := g.snapshot()
		if len(snap.players) == 0 {
			continue
		}
		gs := GameSummary{
			ID: g.ID, Name: g.name, Group: groupLabel(g.creator), Episode: int(g.episode),
			Difficulty: difficultyName(g.difficulty), Mode: g.mode.String(), Password: g.password != "",
			Loading: snap.loading, Created: g.created, Quest: g.questName(),
		}
		for _, p := range snap.players {
			gs.Players = append(gs.Players, nameOf(p))
		}
		out = append(out, gs)
	}
	return out
}

// RelayStats returns how many subcommands were relayed and dropped since
// the server started.
func (s *Server) RelayStats() (relayed, dropped uint64) {
	return s.relayStats.relayed.Load(), s.relayStats.dropped.Load()
}
