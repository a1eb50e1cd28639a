package server

import (
	"github.com/psobox/psobox/gameserver/wire"
)

// Guild cards (6x06) go from one player to another with 62. The card a
// client sends is in its own layout and only its description is taken;
// the server builds the card the target receives in the target's layout
// from the sender's canonical player and guild card number, so DC, PC,
// GameCube and Xbox players exchange cards with each other.

// xbUserIDTag marks the Xbox user ID made up for cards from players who
// have none (not on Xbox): the high word, above their guild card number.
const xbUserIDTag = 0xAE000000

// sendGuildCard forwards m, sent by c in 62/6D, to the player in the flag.
func (c *Client) sendGuildCard(r room, h wire.Header, m *wire.SubGuildCard) {
	if !isPrivate(h) {
		c.log.Info("guild card sent to everyone dropped")
		return
	}
	t := r.member(h.Flag)
	if t == nil || t == c || t.blocks(c.GuildCard()) {
		return
	}
	card := c.guildCardFor(t.Version(), m.Card.Info(c.Version()).Description, m.Card.XBUserID)
	data, err := wire.AppendSubcommand(nil, t.Version(), &wire.SubGuildCard{Card: card})
	if err != nil {
		c.log.Error("cannot build a guild card", "to", t.Version(), "err", err)
		return
	}
	t.SendRaw(h.Command, h.Flag, data)
}

// guildCardFor is c's card with description in version tv's layout.
func (c *Client) guildCardFor(tv wire.Version, description string, xbUserID [2]uint32) wire.GuildCard {
	info := wire.GuildCardInfo{Number: c.GuildCard(), Name: nameOf(c), Description: description, Language: languageOf(c)}
	if p := c.Player(); p != nil {
		info.SectionID, info.Class = p.SectionID, p.Class
	}
	card := wire.NewGuildCard(tv, info)
	if tv == wire.XBV3 {
		card.XBUserID = xbUserID
		if c.Version() != wire.XBV3 || xbUserID == [2]uint32{} {
			card.XBUserID = [2]uint32{xbUserIDTag, c.GuildCard()}
		}
	}
	return card
}
