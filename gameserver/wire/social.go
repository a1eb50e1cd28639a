package wire

import "github.com/psobox/psobox/gameserver/wire/text"

// GuildCardSearch (40) looks for a player by guild card number.
type GuildCardSearch struct {
	Flag            uint32
	PlayerTag       uint32
	SearcherCard    uint32
	TargetGuildCard uint32
}

func (m *GuildCardSearch) Command() uint16 { return 0x40 }
func (m *GuildCardSearch) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	c.u32(&m.PlayerTag)
	c.u32(&m.SearcherCard)
	c.u32(&m.TargetGuildCard)
}

// GuildCardSearchResult (41) says where the player found is: a location
// string "GAME-OR-LOBBY,BLOCK##,SHIP", an embedded 19 to get there and the
// meet-user data the client sends back when it logs in there.
type GuildCardSearchResult struct {
	Flag            uint32
	PlayerTag       uint32
	SearcherCard    uint32
	ResultGuildCard uint32
	ReconnectHeader [8]byte // 4 bytes except on BB; ignored by clients
	ReconnectAddr   [4]byte
	ReconnectPort   uint16
	ReconnectUnused uint16
	Location        [0x88]byte // 0x44 chars
	MeetUser        MeetUser
}

func (m *GuildCardSearchResult) Command() uint16 { return 0x41 }
func (m *GuildCardSearchResult) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	c.u32(&m.PlayerTag)
	c.u32(&m.SearcherCard)
	c.u32(&m.ResultGuildCard)
	c.field(m.ReconnectHeader[:], c.v.HeaderFormat().Len())
	c.bytes(m.ReconnectAddr[:])
	c.u16(&m.ReconnectPort)
	c.u16(&m.ReconnectUnused)
	c.field(m.Location[:], textWidth(c.v, 0x44))
	m.MeetUser.walk(c)
}

// SetLocation stores the location string.
func (m *GuildCardSearchResult) SetLocation(v Version, s string, lang text.Language) {
	clear(m.Location[:])
	text.Put(m.Location[:textWidth(v, 0x44)], FieldEncoding(v), s, lang)
}

// SimpleMail (81) is a short message to a guild card number, up to 170
// characters. BB adds the date received.
type SimpleMail struct {
	Flag         uint32
	PlayerTag    uint32
	FromCard     uint32
	FromName     [0x20]byte // 0x10 bytes single-byte, 0x20 UTF-16 (15 chars + terminator)
	ToCard       uint32
	ReceivedDate [0x28]byte // BB only
	Text         [0x400]byte
}

func mailTextSize(v Version) int { return textWidth(v, 0x200) }

func (m *SimpleMail) Command() uint16 { return 0x81 }
func (m *SimpleMail) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	c.u32(&m.PlayerTag)
	c.u32(&m.FromCard)
	c.field(m.FromName[:], textWidth(c.v, 0x10))
	c.u32(&m.ToCard)
	if c.v == BBV4 {
		c.bytes(m.ReceivedDate[:])
	}
	c.field(m.Text[:], mailTextSize(c.v))
}

// TextString decodes the message.
func (m *SimpleMail) TextString(v Version, lang text.Language) string {
	return text.Decode(FieldEncoding(v), m.Text[:mailTextSize(v)], lang)
}

// SetText stores the message (at most 170 characters are shown), keeping a
// terminator.
func (m *SimpleMail) SetText(v Version, s string, lang text.Language) {
	clear(m.Text[:])
	unit := FieldEncoding(v).UnitSize()
	text.Put(m.Text[:mailTextSize(v)-unit], FieldEncoding(v), s, lang)
}

// FromNameString decodes the sender's name.
func (m *SimpleMail) FromNameString(v Version, lang text.Language) string {
	return text.Decode(NameEncoding(v), m.FromName[:textWidth(v, 0x10)], lang)
}

// SetFromName stores the sender's name (15 characters and a terminator).
func (m *SimpleMail) SetFromName(v Version, s string, lang text.Language) {
	clear(m.FromName[:])
	w := textWidth(v, 0x10)
	text.Put(m.FromName[:w-FieldEncoding(v).UnitSize()], NameEncoding(v), s, lang)
}

// BlockedSenders (C6) is the full list of blocked guild card numbers (30 on
// V3, 28 on BB).
type BlockedSenders struct {
	Flag  uint32
	Cards [30]uint32
}

func (m *BlockedSenders) Command() uint16 { return 0xC6 }
func (m *BlockedSenders) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	n := 30
	if c.v == BBV4 {
		n = 28
	}
	for i := range m.Cards[:n] {
		c.u32(&m.Cards[i])
	}
}

// InfoBoardEntry is one player's info board.
type InfoBoardEntry struct {
	Name    [0x20]byte  // 0x10 chars
	Message [0x158]byte // 0xAC chars
}

// InfoBoard (D8 from the server) lists the boards of a lobby's players; the
// flag counts them.
type InfoBoard struct {
	Entries []InfoBoardEntry
}

func (m *InfoBoard) Command() uint16 { return 0xD8 }
func (m *InfoBoard) walk(c *cursor) {
	n := c.count(len(m.Entries), textWidth(c.v, 0x10+0xAC), 12)
	m.Entries = resize(m.Entries, n)
	c.flagIs(uint32(n))
	for i := range m.Entries {
		c.field(m.Entries[i].Name[:], textWidth(c.v, 0x10))
		c.field(m.Entries[i].Message[:], textWidth(c.v, 0xAC))
	}
}

// TradeItems is D0 (from the client) and D3 (from the server) of the V3/BB
// trade window: up to 32 items of 0x14 bytes.
type TradeItems struct {
	Cmd            uint16
	Flag           uint32
	TargetClientID uint16
	ItemCount      uint16
	Items          [0x20][0x14]byte
}

func (m *TradeItems) Command() uint16 { return m.Cmd }
func (m *TradeItems) walk(c *cursor) {
	c.command(&m.Cmd)
	c.flagRaw(&m.Flag)
	c.u16(&m.TargetClientID)
	c.u16(&m.ItemCount)
	for i := range m.Items {
		c.bytes(m.Items[i][:])
	}
}

func registerSocial(r registry) {
	r.add(ClientToServer, 0x40, vsGame, func() Msg { return &GuildCardSearch{} })
	r.add(ServerToClient, 0x41, vsGame, func() Msg { return &GuildCardSearchResult{} })
	r.both(0x81, vsGame, func() Msg { return &SimpleMail{} })
	r.add(ClientToServer, 0xC6, vsV3BB, func() Msg { return &BlockedSenders{} })
	r.add(ServerToClient, 0xD8, vsV3BB|vsPC, func() Msg { return &InfoBoard{} })
	r.add(ClientToServer, 0xD0, vsV3BB, func() Msg { return &TradeItems{} })
	r.add(ServerToClient, 0xD3, vsV3, func() Msg { return &TradeItems{} })
}
