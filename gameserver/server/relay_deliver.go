package server

import (
	"log/slog"

	"github.com/psobox/psobox/gameserver/wire"
)

// Reasons for drops that happen in normal play.
const (
	reasonNoTarget    = "no player in the target slot" // it left while others still address it
	reasonNoRoom      = "not in a lobby or game"       // sent after leaving a game
	reasonLeft        = "not in the game any more"
	reasonGameInLobby = "game subcommand sent in a lobby"
	reasonLobbyInGame = "lobby subcommand sent in a game"
)

// relay pushes it to its receivers in the lobby with l.mu held.
func (l *Lobby) relay(c *Client, it *relayItem) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if it.private {
		if it.flag < lobbyPlayers && l.members[it.flag] != nil {
			it.deliver(l.members[it.flag], nil)
		}
		return
	}
	for _, m := range l.members {
		if m != nil && m != c {
			it.deliver(m, nil)
		}
	}
}

// relay pushes it to its receivers in the game with g.mu held, after the
// checks that need the game's state; it returns why it was dropped, or "".
func (g *Game) relay(c *Client, it *relayItem) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	slot := c.sess.lobbySlot
	if g.members[slot] != c {
		return reasonLeft
	}
	if why := g.admit(slot, it); why != "" {
		return why
	}
	if it.private {
		if it.flag >= gamePlayers || g.members[it.flag] == nil {
			return reasonNoTarget
		}
		it.deliver(g.members[it.flag], g.held[it.flag])
		return ""
	}
	for i, m := range g.members {
		if m != nil && m != c {
			it.deliver(m, g.held[i])
		}
	}
	return ""
}

// admit applies the rules that depend on the game's state. Called with
// g.mu held.
func (g *Game) admit(slot uint8, it *relayItem) string {
	f := it.rule.flags
	switch {
	case f&rLeader != 0 && slot != g.leader:
		return "only the game's leader may send it"
	case f&rSyncLoad != 0 && g.loading == 0:
		return "join state sent while no player is joining"
	case f&rSync != 0 && !g.settleSync(slot, uint8(min(it.flag, 0xFF)), it.final):
		return "join state the sender does not owe that player"
	case f&rSelfOrFree != 0:
		if id := it.sub.Param(); id != uint16(slot) && (id >= gamePlayers || g.members[id] != nil) {
			return "creates an item for another player"
		}
	}
	return ""
}

// deliver pushes it to receiver m in m's numbering, or holds it while m
// joins. Called with the room's lock held.
func (it *relayItem) deliver(m *Client, held *heldCommands) {
	mv := m.Version()
	if !it.reaches(mv) {
		return
	}
	data, ok := it.bytesFor(mv)
	if !ok {
		return
	}
	cmd := it.cmd
	if cmd == 0xCB && mv == wire.GCEp3NTE {
		cmd = 0xC9 // the Episode III trial has no CB
	}
	if held == nil {
		m.SendRaw(cmd, it.flag, data)
		return
	}
	if len(held.data)+len(data) > it.heldMax {
		m.abort("too much game traffic held while joining", slog.LevelWarn)
		return
	}
	held.add(cmd, it.flag, data)
}

// reaches applies the receiver's side of the rules.
func (it *relayItem) reaches(mv wire.Version) bool {
	f := it.rule.flags
	switch {
	case (it.cmd == 0xC9 || it.cmd == 0xCB) && !mv.IsEp3():
		return false
	case f&rXbox != 0:
		return mv == wire.XBV3
	case f&rGCNTEOnly != 0:
		return gcTrialFamily(mv) && (mv == wire.GCNTE) == (it.from == wire.GCNTE)
	case f&rSameVersion != 0:
		return mv == it.from
	}
	return true
}

// bytesFor returns the subcommand as receiver version mv must see it: the
// prototypes number subcommands their own way, and a few subcommands are
// laid out per version. false: mv has no such subcommand.
func (it *relayItem) bytesFor(mv wire.Version) ([]byte, bool) {
	if it.needsTranscode(mv) {
		return it.transcodeFor(mv)
	}
	if mv == it.from || (!isPreV1(mv) && !isPreV1(it.from)) {
		return it.sub, true
	}
	n, ok := wire.SubcommandFromFinal(mv, it.final)
	if !ok || !it.known {
		return nil, false
	}
	it.scratch = append(it.scratch[:0], it.sub...)
	it.scratch[0] = n
	return it.scratch, true
}
