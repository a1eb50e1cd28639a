package server

import (
	"context"
	"encoding/binary"
	"fmt"
	"log/slog"

	"github.com/psobox/psobox/gameserver/wire"
)

// Relaying 60/62/6C/6D (and Episode III's C9/CB): each subcommand is judged
// on its own, like the reference server does, against relayRules, then
// pushed to its receivers: 62/6D to the player in the header flag, 60/6C
// (and C9/CB) to everyone else in the lobby or game. The session goroutine
// does all the judging with its own reusable relayItem; the room's lock is
// held only while the subcommand is pushed to the receivers' outboxes (or
// held for a joiner), so a relayed command does not allocate.

// relayItem is one subcommand on its way to its receivers. Each session
// has one and reuses it.
type relayItem struct {
	cmd     uint16 // as received: 60, 62, 6C, 6D, C9 or CB
	flag    uint32 // 62/6D: the target's client ID
	private bool
	sub     wire.Subcommand // as the sender sent it
	final   uint8           // its number in the final numbering
	known   bool            // false: a prototype's subcommand with no final equivalent
	rule    relayRule
	from    wire.Version
	scratch []byte // the subcommand rewritten for one receiver
	heldMax int    // bound on what may be held for a joiner
}

// onRelay relays every subcommand of a 60, 62, 6C, 6D, C9 or CB. Commands
// whose framing is broken, or that no client could have sent, end the
// sender's session; a subcommand that may not be relayed is dropped and
// logged, and the session goes on.
func onRelay(c *Client, cmd wire.Command) error {
	if err := c.checkRelayCommand(cmd); err != nil {
		return err
	}
	data := cmd.Payload
	for len(data) > 0 {
		sub, rest, err := wire.NextSubcommand(data)
		if err != nil {
			return err // not reached: checked above
		}
		if err := c.relaySubcommand(cmd.Header, sub); err != nil {
			return err
		}
		data = rest
	}
	return nil
}

// checkRelayCommand checks what makes a whole command invalid.
func (c *Client) checkRelayCommand(cmd wire.Command) error {
	h, v := cmd.Header, c.Version()
	switch h.Command {
	case 0x60, 0x62, 0xC9, 0xCB:
		if len(cmd.Payload) > wire.MaxRelayPayload {
			return fmt.Errorf("command %02X of 0x%X bytes exceeds the 0x%X clients accept", h.Command, len(cmd.Payload), wire.MaxRelayPayload)
		}
	}
	if (h.Command == 0xC9 || h.Command == 0xCB) && !v.IsEp3() {
		return fmt.Errorf("command %02X is Episode III's, sent by %s", h.Command, v)
	}
	if err := wire.CheckSubcommands(cmd.Payload); err != nil {
		return fmt.Errorf("command %02X: %w", h.Command, err)
	}
	return nil
}

// relaySubcommand judges one subcommand and sends it on. Guild cards,
// symbol chat and word select are rebuilt per receiver (subchat.go).
func (c *Client) relaySubcommand(h wire.Header, sub wire.Subcommand) error {
	if isSocialSub(c.Version(), sub) {
		if r := c.currentRoom(); r != nil {
			return c.relaySocialSub(r, h, sub)
		}
		return nil
	}
	it := &c.sess.relay
	it.load(c, h, sub)
	why := it.check(c)
	if why == "" {
		why = c.deliverSubcommand(it)
	}
	if why != "" {
		c.srv.relayStats.dropped.Add(1)
		c.noteDropped(it, why)
		return nil
	}
	c.srv.relayStats.relayed.Add(1)
	return nil
}

func (c *Client) deliverSubcommand(it *relayItem) string {
	if g := c.sess.game; g != nil {
		if it.known && it.final == 0x1F && isPreV1(it.from) {
			g.doneLoading(c, c.sess.lobbySlot) // the prototypes send no 6F
		}
		return g.relay(c, it)
	}
	if l := c.sess.lobby; l != nil {
		l.relay(c, it)
		if it.known && it.final == 0x23 && it.sub.Param() == uint16(c.sess.lobbySlot) {
			l.sendArrows() // a player who appears in a lobby gets everyone's arrows
		}
		return ""
	}
	return reasonNoRoom
}

// load prepares it for sub, received in the header h.
func (it *relayItem) load(c *Client, h wire.Header, sub wire.Subcommand) {
	it.cmd, it.flag, it.sub, it.from = h.Command, h.Flag, sub, c.Version()
	it.private = h.Command == 0x62 || h.Command == 0x6D
	it.final, it.known = wire.SubcommandToFinal(it.from, sub.Number())
	it.rule = relayRules[it.final]
	if !it.known {
		it.rule = relayRule{flags: rGame | rSameVersion} // only the sender's own version knows it
	}
	it.heldMax = c.srv.opts.SendQueueBytes
}

// check applies the rules that need no room state; it returns why the
// subcommand is dropped, or "".
func (it *relayItem) check(c *Client) string {
	f := it.rule.flags
	inGame := c.sess.game != nil
	switch {
	case f&rInvalid != 0 && !isPreV1(it.from):
		return "invalid subcommand"
	case f&rBlocked != 0:
		return "blocked subcommand (players warp with the server's help only)"
	case f&rBBOnly != 0:
		return "Blue Burst subcommand"
	case f&rGame != 0 && !inGame:
		return reasonGameInLobby
	case f&rLobby != 0 && inGame:
		return reasonLobbyInGame
	case f&rPublic != 0 && it.private:
		return "must be sent to everyone, was sent to one player"
	case f&(rPrivate|rSync) != 0 && !it.private:
		return "must be sent to one player, was sent to everyone"
	}
	if f&rSelf != 0 && !it.fromSelf(c) {
		return "carries another player's client ID"
	}
	return it.checkSpecial(c)
}

// checkSpecial applies the rules of the few subcommands tied to a version,
// an episode or a setting.
func (it *relayItem) checkSpecial(c *Client) string {
	f, v := it.rule.flags, it.from
	switch {
	case f&(rEp3Game|rEp3Lobby) != 0 && !v.IsEp3():
		return "Episode III subcommand from another version"
	case f&rEp3Game != 0 && c.sess.game.episode != 3:
		return "Episode III subcommand outside an Episode III game"
	case f&rEp3Lobby != 0 && c.sess.game != nil:
		return "Episode III lobby subcommand sent in a game"
	case f&rXbox != 0 && v != wire.XBV3:
		return "Xbox subcommand from another version"
	case f&rGCNTEOnly != 0 && !gcTrialFamily(v):
		return "GameCube subcommand from an older version"
	case f&rUltimate != 0 && c.sess.game.difficulty != difficultyUltimate:
		return "Ultimate subcommand outside an Ultimate game"
	case f&rCamera != 0 && !isCameraSound(it.sub):
		return "sound other than the camera shutter"
	}
	if it.known && (it.final == 0x71 || it.final == 0x72) && len(it.sub) >= 4 {
		it.sub[2], it.sub[3] = 0, 0 // unused; the reference server clears it too
	}
	return ""
}

// fromSelf reports whether the client ID the subcommand carries is the
// sender's.
func (it *relayItem) fromSelf(c *Client) bool {
	at, width := int(it.rule.selfAt), 2
	if it.final == 0x07 {
		width = 4 // symbol chat's client ID is 32 bits
	}
	if len(it.sub) < at+width {
		return false
	}
	var id uint16
	if it.rule.flags&rSelfBE != 0 && it.from.IsGC() {
		id = binary.BigEndian.Uint16(it.sub[at:])
	} else {
		id = binary.LittleEndian.Uint16(it.sub[at:])
	}
	if width == 4 && binary.LittleEndian.Uint16(it.sub[at+2:]) != 0 {
		return false
	}
	return id == uint16(c.sess.lobbySlot)
}

func gcTrialFamily(v wire.Version) bool { return v.IsV3() || v == wire.GCNTE || v == wire.BBV4 }

// isCameraSound: 6xB2 plays any sound, but clients send it only for the
// camera shutter.
func isCameraSound(sub wire.Subcommand) bool {
	return len(sub) >= 12 && binary.LittleEndian.Uint32(sub[8:]) == 0x00051720
}

// benignDrop are drops consoles cause in normal play (commands crossing a
// player's move between rooms, a few subcommands sent in the wrong place);
// they are logged at debug level, the others at info.
var benignDrop = map[string]bool{
	reasonNoTarget: true, reasonNoRoom: true, reasonLeft: true,
	reasonGameInLobby: true, reasonLobbyInGame: true,
}

// noteDropped logs a dropped subcommand: every one at first, then one in
// 256 so a misbehaving client cannot flood the log.
func (c *Client) noteDropped(it *relayItem, why string) {
	c.sess.relayDrops++
	n := c.sess.relayDrops
	if n > 32 && n%256 != 0 {
		return
	}
	level := slog.LevelInfo
	if benignDrop[why] {
		level = slog.LevelDebug
	}
	c.log.Log(context.Background(), level, "dropped subcommand", "command", fmt.Sprintf("%02X", it.cmd), "flag", it.flag,
		"subcommand", fmt.Sprintf("%02X", it.sub.Number()), "bytes", len(it.sub), "reason", why, "drops", n)
}
