package server

import (
	"fmt"

	"github.com/psobox/psobox/gameserver/wire"
)

// The subcommands of relayed commands that carry social content are not
// relayed as bytes but rebuilt for each receiver:
//
//   - 6x06 guild card (62/6D to one player): built in the receiver's
//     layout from the sender's player and card description (guildcard.go).
//   - 6x07 symbol chat: the same little-endian layout and number on every
//     version, so it goes to every version, DC NTE included; only the
//     sender's own client ID is accepted.
//   - 6x74 word select: the token numbers index each version's phrase
//     table, which differ; it is re-encoded (byte order, DC NTE/11-2000
//     numbering) for receivers whose version shares the sender's table
//     (wordSelectTable) and dropped for the others.
//
// A malformed one ends the sender's session, like any malformed command;
// one with another player's client ID is dropped and logged.

// isSocialSub reports the subcommands handled here (final numbering).
func isSocialSub(v wire.Version, sub wire.Subcommand) bool {
	n, ok := wire.SubcommandToFinal(v, sub.Number())
	return ok && (n == 0x06 || n == 0x07 || n == 0x74)
}

// relaySocialSub relays one social subcommand, rebuilt for each receiver;
// a malformed one ends the sender's session.
func (c *Client) relaySocialSub(r room, h wire.Header, sub wire.Subcommand) error {
	v := c.Version()
	m, err := wire.DecodeSubcommand(v, sub)
	if err != nil {
		return fmt.Errorf("command %02X: %w", h.Command, err)
	}
	switch m := m.(type) {
	case *wire.SubGuildCard:
		c.sendGuildCard(r, h, m)
	case *wire.SubSymbolChat:
		c.relaySymbolChat(r, h, sub, m)
	case *wire.SubWordSelect:
		c.relayWordSelect(r, h, m)
	}
	return nil
}

// isPrivate: 62 and 6D go to the client in the flag, 60 and 6C to all.
func isPrivate(h wire.Header) bool { return h.Command == 0x62 || h.Command == 0x6D }

// relaySymbolChat sends a symbol chat on, as it was sent (every version
// numbers and lays it out alike), to those who have not blocked the sender.
func (c *Client) relaySymbolChat(r room, h wire.Header, sub wire.Subcommand, m *wire.SubSymbolChat) {
	if m.ClientID != uint32(c.sess.lobbySlot) {
		c.log.Info("symbol chat with another client ID dropped", "client_id", m.ClientID)
		return
	}
	gc := c.GuildCard()
	send := func(t *Client) {
		if _, ok := wire.SubcommandFromFinal(t.Version(), 0x07); ok && !t.blocks(gc) {
			t.SendRaw(h.Command, h.Flag, sub)
		}
	}
	if isPrivate(h) {
		if t := r.member(h.Flag); t != nil && t != c {
			send(t)
		}
		return
	}
	r.each(c, func(t *Client, _ uint8) { send(t) })
}

// wordSelectTable groups the versions whose word select phrase tables
// number the phrases alike. DC v1 and v2 share one table, PC NTE and PC
// another; GameCube Episode I&II, Episode III (which uses the Episode I&II
// table outside its own games) and Xbox have tables of the same size and
// layout. DC NTE, 11/2000, the GameCube trial edition and Blue Burst each
// have their own.
func wordSelectTable(v wire.Version) int {
	switch v {
	case wire.DCV1, wire.DCV2:
		return 1
	case wire.PCNTE, wire.PCV2:
		return 2
	case wire.GCV3, wire.GCEp3NTE, wire.GCEp3, wire.XBV3:
		return 3
	}
	return 16 + int(v)
}

// relayWordSelect re-encodes a word select message for every other member
// whose version shares the sender's phrase table. Word select is public
// only; a private one is dropped, as the reference server does.
func (c *Client) relayWordSelect(r room, h wire.Header, m *wire.SubWordSelect) {
	v, slot := c.Version(), uint16(c.sess.lobbySlot)
	if m.ClientID(v) != slot || isPrivate(h) {
		c.log.Info("word select dropped", "client_id", m.ClientID(v), "command", fmt.Sprintf("%02X", h.Command))
		return
	}
	gc, table := c.GuildCard(), wordSelectTable(v)
	r.each(c, func(t *Client, _ uint8) {
		tv := t.Version()
		if wordSelectTable(tv) != table || t.blocks(gc) {
			return
		}
		out := *m
		out.Param = slot
		if tv.IsGC() {
			out.Param = slot<<8 | slot>>8
		}
		if data, err := wire.AppendSubcommand(nil, tv, &out); err == nil {
			t.SendRaw(h.Command, h.Flag, data)
		}
	})
}
