package server

import (
	"github.com/psobox/psobox/gameserver/wire"
)

// The join handshake (the reference server documents it at its 64 command):
// the server sends 64 to the joiner and 65 to the others, which pauses the
// game; the leader sends the joiner the game's state (6x6D items, 6x6B
// enemies, 6x6C objects, 6x6E flags, 6x6F quest flags, 6x71), every other
// player its own state (6x70), then the leader resumes the game for all
// (6x72). The joiner processes all of it once it has loaded, and says 6F.
//
// A client must not see the state on the same frame as its 64 (its item
// IDs would then be reset after the leader set them), so everything relayed
// to a joiner is held back until it answers the ping (1D) sent right after
// the 64: by then it has started loading.

// Join-sync subcommands a member owes a joiner, as bits of Game.owed.
const (
	owesEnemies    = 1 << iota // 6x6B
	owesObjects                // 6x6C
	owesItems                  // 6x6D
	owesFlags                  // 6x6E
	owesQuest                  // 6x6F
	owesState                  // 6x70
	owesUnblock                // 6x71
	owesLeaderSync = owesEnemies | owesObjects | owesItems | owesFlags | owesQuest | owesUnblock
)

// syncBit is the bit of final subcommand n in Game.owed (0: not a sync
// subcommand tracked per joiner).
func syncBit(n uint8) uint8 {
	if n >= 0x6B && n <= 0x71 {
		return 1 << (n - 0x6B)
	}
	return 0
}

// sendJoin sends the joiner its 64 in its own layout, then the ping whose
// answer releases what was held for it. Called with g.mu held.
func (g *Game) sendJoin(c *Client, slot uint8) {
	rv := c.Version()
	m := &wire.JoinGame{
		ClientID: slot, LeaderID: g.leader, DisableUDP: 1, Difficulty: g.difficulty,
		Event: g.event, SectionID: g.sectionID, RandomSeed: g.seed, Episode: g.episodeByte(),
	}
	switch g.mode {
	case modeBattle:
		m.BattleMode = 1
	case modeChallenge:
		m.ChallengeMode = 1
	}
	if rv == wire.XBV3 {
		m.Tail[0] = 1 // voice chat on, as the reference server sends it
	}
	for i, p := range g.members {
		if p == nil {
			continue
		}
		e := localizedEntry(p, uint8(i), rv, languageOf(c))
		m.Players[i] = e.Lobby
		if rv.IsEp3() {
			m.HasEp3Players = true
			m.Ep3Players[i] = wire.Ep3GamePlayer{Inventory: e.Inventory, Disp: e.Disp}
		}
		m.Flag++
	}
	g.held[slot] = &heldCommands{}
	c.Send(m)
	c.Send(&wire.Empty{Cmd: 0x1D})
}

// episodeByte is the episode as 64 carries it: 1, 2, or FF for Episode III.
func (g *Game) episodeByte() uint8 {
	if g.episode == 3 {
		return 0xFF
	}
	return g.episode
}

// sendArrival tells member m (in mslot) that c joined in slot: its records,
// then 65 with its roster entry, both in m's layout. Called with g.mu held.
func (g *Game) sendArrival(m *Client, mslot uint8, c *Client, slot uint8) {
	rv := m.Version()
	if recordsFamily(rv) != 0 {
		m.Send(&wire.PlayerRecords{Entries: []wire.RecordsEntry{recordsEntry(c, slot, rv)}})
	}
	join := wire.JoinLobby{Cmd: 0x65, ClientID: mslot, LeaderID: g.leader, DisableUDP: 1, EnableBattleV1: 1, Event: g.event, XBVoiceChat: 1}
	join.Entries = []wire.LobbyEntry{localizedEntry(c, slot, rv, languageOf(m))}
	m.Send(&join)
}

// expectSync records what the others owe a joiner: the leader the game's
// state, everyone their player state. Called with g.mu held.
func (g *Game) expectSync(joiner uint8) {
	for i, m := range g.members {
		if m == nil || uint8(i) == joiner {
			continue
		}
		g.owed[i][joiner] |= owesState
		if uint8(i) == g.leader {
			g.owed[i][joiner] |= owesLeaderSync
		}
	}
}

// forgetSync drops what a leaving player owed and was owed. Called with
// g.mu held.
func (g *Game) forgetSync(slot uint8) {
	g.owed[slot] = [gamePlayers]uint8{}
	for i := range g.owed {
		g.owed[i][slot] = 0
	}
}

// settleSync checks that sender owes target the sync subcommand n and
// marks it paid. Called with g.mu held.
func (g *Game) settleSync(sender, target uint8, n uint8) bool {
	bit := syncBit(n)
	if target >= gamePlayers || g.owed[sender][target]&bit == 0 {
		return false
	}
	g.owed[sender][target] &^= bit
	return true
}

// heldCommands are the commands relayed to a joiner before it answered the
// ping after its 64, kept in order.
type heldCommands struct {
	items []heldItem
	data  []byte
}

type heldItem struct {
	cmd    uint16
	flag   uint32
	off, n int
}

func (h *heldCommands) add(cmd uint16, flag uint32, payload []byte) {
	h.items = append(h.items, heldItem{cmd, flag, len(h.data), len(payload)})
	h.data = append(h.data, payload...)
}

// release sends c what was held for it, in order, and stops holding.
func (g *Game) release(c *Client, slot uint8) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	h := g.held[slot]
	if g.members[slot] != c || h == nil {
		return 0
	}
	g.held[slot] = nil
	for _, it := range h.items {
		c.SendRaw(it.cmd, it.flag, h.data[it.off:it.off+it.n])
	}
	return len(h.items)
}
