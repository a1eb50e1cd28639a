package wire

import "github.com/psobox/psobox/gameserver/wire/text"

// GuildCard is a guild card in any version's layout (6x06, BB's guild card
// file). Text fields are sized for the widest layout.
type GuildCard struct {
	PlayerTag   uint32 // not BB
	Number      uint32
	XBUserID    [2]uint32   // Xbox only
	Name        [0x30]byte  // 0x18 bytes; 0x30 UTF-16 on PC/BB
	TeamName    [0x20]byte  // BB only
	Description [0x200]byte // DC 0x48, PC 0xB4, GC NTE 0x80, GC 0x6C, Xbox 0x200, BB 0xB0 bytes
	Unused      [0x11]byte  // DC only: 0x0F bytes on NTE, 0x11 later
	Present     uint8
	Language    uint8
	SectionID   uint8
	Class       uint8
}

// guildCardDescSize is the description's width in bytes on v.
func guildCardDescSize(v Version) int {
	switch {
	case v.IsDC():
		return 0x48
	case v.IsPC():
		return 0xB4
	case v == GCNTE:
		return 0x80
	case v == XBV3:
		return 0x200
	case v == BBV4:
		return 0xB0
	}
	return 0x6C
}

func (g *GuildCard) walk(c *cursor) {
	if c.v != BBV4 {
		c.u32(&g.PlayerTag)
	}
	c.u32(&g.Number)
	if c.v == XBV3 {
		c.u32(&g.XBUserID[0])
		c.u32(&g.XBUserID[1])
	}
	c.field(g.Name[:], textWidth(c.v, 0x18))
	if c.v == BBV4 {
		c.bytes(g.TeamName[:])
	}
	c.field(g.Description[:], guildCardDescSize(c.v))
	switch c.v {
	case DCNTE:
		c.field(g.Unused[:], 0x0F)
	case DC112000, DCV1, DCV2:
		c.bytes(g.Unused[:])
	}
	c.u8(&g.Present)
	c.u8(&g.Language)
	c.u8(&g.SectionID)
	c.u8(&g.Class)
}

// GuildCardInfo is the version-independent content of a guild card.
type GuildCardInfo struct {
	Number      uint32
	Name        string
	Description string
	Language    text.Language
	SectionID   uint8
	Class       uint8
}

// Info decodes a card received in v's layout.
func (g *GuildCard) Info(v Version) GuildCardInfo {
	lang := text.Language(g.Language)
	return GuildCardInfo{
		Number:      g.Number,
		Name:        text.Decode(NameEncoding(v), g.Name[:textWidth(v, 0x18)], lang),
		Description: text.Decode(FieldEncoding(v), g.Description[:guildCardDescSize(v)], lang),
		Language:    lang,
		SectionID:   g.SectionID,
		Class:       g.Class,
	}
}

// NewGuildCard builds a card in v's layout: the server builds every card it
// sends in the receiver's format rather than relaying the sender's.
func NewGuildCard(v Version, info GuildCardInfo) GuildCard {
	g := GuildCard{PlayerTag: 0x00010000, Number: info.Number, Present: 1,
		Language: uint8(info.Language), SectionID: info.SectionID, Class: info.Class}
	text.Put(g.Name[:textWidth(v, 0x18)], NameEncoding(v), info.Name, info.Language)
	text.Put(g.Description[:guildCardDescSize(v)], FieldEncoding(v), info.Description, info.Language)
	return g
}

// SubGuildCard (6x06, sent with 62 to one player) is a guild card.
type SubGuildCard struct {
	SubHeader
	Card    GuildCard
	Trailer [3]byte // DC: unused bytes after the card (1 on NTE, 3 later)
}

func (m *SubGuildCard) SubNumber() uint8 { return 0x06 }
func (m *SubGuildCard) walk(c *cursor) {
	m.Card.walk(c)
	switch c.v {
	case DCNTE:
		c.field(m.Trailer[:], 1)
	case DC112000, DCV1, DCV2:
		c.bytes(m.Trailer[:])
	}
}
