package server

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/psobox/psobox/gameserver/wire"
)

// Games: up to four players (Episode III's spectator teams are not
// implemented), listed under the reference server's game menu ID so that
// recorded menu selections mean the same here.
const (
	gamePlayers    = 4
	gameMenuID     = 0x44000044
	maxListedGames = 0x40
)

const difficultyUltimate = 3

// minLevels are the lowest levels (0-based, as stored) that may play each
// difficulty: 1, 20, 40 and 80, as on the official servers.
var minLevels = [4]uint32{0, 19, 39, 79}

// minLevel is the lowest level that may play the game (Episode III has
// no levels to speak of).
func (s *gameSettings) minLevel() uint32 {
	if s.episode == 3 {
		return 0
	}
	return minLevels[s.difficulty&3]
}

// levelOf is a player's level, 0-based (0 before its player data came).
func levelOf(c *Client) uint32 {
	if p := c.Player(); p != nil {
		return p.Level
	}
	return 0
}

// gameMode is a game's mode, as chosen at creation.
type gameMode uint8

const (
	modeNormal gameMode = iota
	modeBattle
	modeChallenge
	modeSolo
)

func (m gameMode) String() string {
	return [...]string{"Normal", "Battle", "Challenge", "Solo"}[m]
}

// gameSettings are fixed when a game is created.
type gameSettings struct {
	name, password string
	episode        uint8 // 1 or 2; 3 is Episode III
	difficulty     uint8 // 0 Normal ... 3 Ultimate
	mode           gameMode
	allowV1        bool  // DC v2 and PC creators may close the game to DC v1
	sectionID      uint8 // the creator's: drops follow it
	event          uint8 // the creator's lobby's holiday event
	seed           uint32
	creator        wire.Version
	allowed        versionSet
}

// Game is one game: four slots, a leader, and the state of players joining.
// Its mutex guards everything below it and is held while a change is
// announced or a command relayed, so every member sees the same order of
// events; announcing and relaying only push to outboxes, which never block.
//
// Lock order: games.mu is never held while taking Game.mu; Game.mu comes
// before an outbox's lock. A goroutine holds at most one game or lobby lock.
type Game struct {
	ID uint32
	gameSettings
	created time.Time

	mu      sync.Mutex
	members [gamePlayers]*Client
	leader  uint8
	loading uint8                      // one bit per slot: joined and not done loading (6F)
	held    [gamePlayers]*heldCommands // commands for a joiner, until it answers the ping after its 64
	owed    [gamePlayers][gamePlayers]uint8
	trades  [gamePlayers]*cardTrade // Episode III card trades in progress
	battle  bool                    // Episode III: a battle runs
	quest   *gameQuest              // the quest chosen (quest_game.go)
	picking uint8                   // one bit per slot with the quest menu open
	gone    bool                    // the last player left: the game is off the list and cannot be joined
}

// games is the server's list of games; the zero value is empty.
type games struct {
	mu     sync.Mutex
	byID   map[uint32]*Game
	nextID uint32 // the last ID given
}

// create registers a new, empty game. IDs start at 1.
func (gs *games) create(s gameSettings, now time.Time) *Game {
	s.allowed = allowedVersions(&s)
	gs.mu.Lock()
	defer gs.mu.Unlock()
	if gs.byID == nil {
		gs.byID = map[uint32]*Game{}
	}
	gs.nextID++
	g := &Game{ID: gs.nextID, gameSettings: s, created: now}
	gs.byID[g.ID] = g
	return g
}

func (gs *games) byItem(id uint32) *Game {
	gs.mu.Lock()
	defer gs.mu.Unlock()
	return gs.byID[id]
}

// remove takes a game that emptied off the list.
func (gs *games) remove(g *Game) {
	gs.mu.Lock()
	defer gs.mu.Unlock()
	if gs.byID[g.ID] == g {
		delete(gs.byID, g.ID)
	}
}

// list returns the games in creation order.
func (gs *games) list() []*Game {
	gs.mu.Lock()
	all := make([]*Game, 0, len(gs.byID))
	for _, g := range gs.byID {
		all = append(all, g)
	}
	gs.mu.Unlock()
	slices.SortFunc(all, func(a, b *Game) int { return int(a.ID) - int(b.ID) })
	return all
}

// count is the number of players. Called with g.mu held.
func (g *Game) count() int {
	n := 0
	for _, m := range g.members {
		if m != nil {
			n++
		}
	}
	return n
}

func (g *Game) firstMember() uint8 {
	for i, m := range g.members {
		if m != nil {
			return uint8(i)
		}
	}
	return 0
}

func (g *Game) freeSlot() int {
	for i, m := range g.members {
		if m == nil {
			return i
		}
	}
	return -1
}

// snapshot is what lists and the status page show of a game.
type gameSnapshot struct {
	players []*Client
	loading bool
}

func (g *Game) snapshot() gameSnapshot {
	g.mu.Lock()
	defer g.mu.Unlock()
	var s gameSnapshot
	for _, m := range g.members {
		if m != nil {
			s.players = append(s.players, m)
		}
	}
	s.loading = g.loading != 0
	return s
}

// joinRefusal says why c cannot join now, "" if it can. Called with g.mu
// held.
func (g *Game) joinRefusal(c *Client, password string, checkPassword bool) string {
	switch {
	case g.gone:
		return "This game no longer exists."
	case g.count() >= gamePlayers:
		return "This game is full."
	}
	if why := versionRefusal(&g.gameSettings, c.Version()); why != "" {
		return why
	}
	switch {
	case g.mode == modeSolo:
		return "This game is a Solo\nMode game."
	case checkPassword && g.password != "" && password != g.password:
		return "Wrong password."
	case levelOf(c) < g.minLevel():
		return fmt.Sprintf("This game needs\nlevel %d or above.", g.minLevel()+1)
	case g.loading != 0:
		return "Another player is\njoining this game.\nTry again in a moment."
	case g.battle:
		return "A battle is in\nprogress in this game."
	}
	return g.questRefusal()
}

// join seats c in the first free slot and runs the server's part of the
// join: the 64 and a ping to c, 65 to the others, and what the others now
// owe c of the game's state. It returns a refusal instead when c cannot
// join.
func (g *Game) join(c *Client, password string, checkPassword bool) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	if why := g.joinRefusal(c, password, checkPassword); why != "" {
		return why
	}
	slot := uint8(g.freeSlot())
	if g.count() == 0 {
		g.leader = slot
	}
	g.members[slot] = c
	g.loading |= 1 << slot
	c.sess.game, c.sess.lobbySlot = g, slot
	g.sendJoin(c, slot)
	for i, m := range g.members {
		if m != nil && m != c {
			g.sendArrival(m, uint8(i), c, slot)
		}
	}
	g.expectSync(slot)
	return ""
}

// leave takes c out of the game, hands the lead on and tells the others
// (66). It reports whether the game is now empty.
func (g *Game) leave(c *Client, slot uint8) (empty bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.members[slot] != c {
		return false
	}
	g.members[slot] = nil
	g.loading &^= 1 << slot
	g.held[slot] = nil
	g.forgetSync(slot)
	g.endTradesWith(slot)
	g.questMemberLeft(c, slot)
	if g.leader == slot {
		g.leader = g.firstMember()
	}
	for _, m := range g.members {
		if m != nil {
			m.Send(&wire.LeaveLobby{Cmd: 0x66, Flag: uint32(slot), ClientID: slot, LeaderID: g.leader, DisableUDP: 1})
		}
	}
	g.gone = g.count() == 0
	return g.gone
}

// doneLoading notes that the player in slot finished loading (6F, or on
// the prototypes its first floor change): other players may join again.
func (g *Game) doneLoading(c *Client, slot uint8) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.members[slot] == c {
		g.loading &^= 1 << slot
	}
}

// each calls f for every member but skip with g.mu held; f may only push
// to outboxes. (Game and Lobby share each and member: chat and the social
// commands work in either.)
func (g *Game) each(skip *Client, f func(m *Client, slot uint8)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for i, m := range g.members {
		if m != nil && m != skip {
			f(m, uint8(i))
		}
	}
}

// member returns the player in slot, or nil.
func (g *Game) member(slot uint32) *Client {
	if slot >= gamePlayers {
		return nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.members[slot]
}
