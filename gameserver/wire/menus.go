package wire

import "github.com/psobox/psobox/gameserver/wire/text"

// MenuItem is one entry of a menu or game list.
type MenuItem struct {
	MenuID        uint32
	ItemID        uint32
	DifficultyTag uint8 // game lists: 0x22 + difficulty (0x0A on Ep3)
	NumPlayers    uint8
	Name          [0x20]byte // 0x10 bytes marked, 0x20 UTF-16 on PC/BB
	Episode       uint8
	Flags         uint8 // 02 locked; 10 battle; 20 challenge; 40 v2-only / Ep1; 80 Ep2
}

func menuItemSize(v Version) int { return 0x0C + textWidth(v, 0x10) }

func (m *MenuItem) walk(c *cursor) {
	c.u32(&m.MenuID)
	c.u32(&m.ItemID)
	c.u8(&m.DifficultyTag)
	c.u8(&m.NumPlayers)
	c.field(m.Name[:], textWidth(c.v, 0x10))
	c.u8(&m.Episode)
	c.u8(&m.Flags)
}

// SetName stores the item's name in v's encoding.
func (m *MenuItem) SetName(v Version, s string, lang text.Language) {
	text.Put(m.Name[:textWidth(v, 0x10)], FieldEncoding(v), s, lang)
	clear(m.Name[textWidth(v, 0x10):])
}

// NameString decodes the item's name.
func (m *MenuItem) NameString(v Version, lang text.Language) string {
	return text.Decode(FieldEncoding(v), m.Name[:textWidth(v, 0x10)], lang)
}

// Menu is 07 (ship select), 08 (game list), 1F (information), A0/A1 (ship
// and block select) and DC NTE's 8E/8F. The first item names the ship and is
// not shown; the header flag counts the others.
type Menu struct {
	Cmd   uint16
	Items []MenuItem
}

func (m *Menu) Command() uint16 { return m.Cmd }
func (m *Menu) walk(c *cursor) {
	c.command(&m.Cmd)
	n := c.count(len(m.Items), menuItemSize(c.v), 0x100)
	m.Items = resize(m.Items, n)
	c.flagIs(uint32(max(n-1, 0)))
	for i := range m.Items {
		m.Items[i].walk(c)
	}
}

// MenuItemRef is 09 (item info request) and 84 (choose lobby).
type MenuItemRef struct {
	Cmd    uint16
	Flag   uint32
	MenuID uint32
	ItemID uint32
}

func (m *MenuItemRef) Command() uint16 { return m.Cmd }
func (m *MenuItemRef) walk(c *cursor) {
	c.command(&m.Cmd)
	c.flagRaw(&m.Flag)
	c.u32(&m.MenuID)
	c.u32(&m.ItemID)
}

// MenuSelection (10) is a menu choice. Flag bit 0 says a name follows, bit 1
// a password (name first when both); quest menus use the flag otherwise.
type MenuSelection struct {
	Flag       uint32
	MenuID     uint32
	ItemID     uint32
	NumStrings int
	Strings    [2][0x20]byte // 0x10 bytes marked, 0x20 UTF-16 on PC/BB
}

func (m *MenuSelection) Command() uint16 { return 0x10 }
func (m *MenuSelection) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	c.u32(&m.MenuID)
	c.u32(&m.ItemID)
	w := textWidth(c.v, 0x10)
	if c.decoding() {
		m.NumStrings = c.count(0, w, 2)
	}
	for i := 0; i < min(m.NumStrings, 2); i++ {
		c.field(m.Strings[i][:], w)
	}
}

// Password returns the game password, if one was sent.
func (m *MenuSelection) Password(v Version, lang text.Language) string {
	i := 1
	if m.NumStrings < 2 {
		i = 0
	}
	if m.Flag&2 == 0 || m.NumStrings == 0 {
		return ""
	}
	return text.Decode(FieldEncoding(v), m.Strings[i][:textWidth(v, 0x10)], lang)
}

// ChangeShipOrBlock is A0/A1 (and DC NTE's 8E/8F) from the client.
type ChangeShipOrBlock struct {
	Cmd       uint16
	Flag      uint32
	PlayerTag uint32
	GuildCard uint32
	Unused    [0x10]byte
}

func (m *ChangeShipOrBlock) Command() uint16 { return m.Cmd }
func (m *ChangeShipOrBlock) walk(c *cursor) {
	c.command(&m.Cmd)
	c.flagRaw(&m.Flag)
	c.u32(&m.PlayerTag)
	c.u32(&m.GuildCard)
	c.bytes(m.Unused[:])
}

// LobbyListEntry is one lobby of 83.
type LobbyListEntry struct {
	MenuID      uint32
	ItemID      uint32
	PlayerCount uint32 // ignored by clients
}

// LobbyList (83) sets the lobby teleporter's item IDs: DC v1 expects 10,
// Ep3 20, the others 15.
type LobbyList struct {
	Entries []LobbyListEntry
}

func (m *LobbyList) Command() uint16 { return 0x83 }
func (m *LobbyList) walk(c *cursor) {
	n := c.count(len(m.Entries), 0x0C, 0x40)
	m.Entries = resize(m.Entries, n)
	c.flagIs(uint32(n))
	for i := range m.Entries {
		e := &m.Entries[i]
		c.u32(&e.MenuID)
		c.u32(&e.ItemID)
		c.u32(&e.PlayerCount)
	}
}

// ArrowEntry is one player's lobby arrow.
type ArrowEntry struct {
	PlayerTag uint32
	GuildCard uint32
	Color     uint32
}

// Arrows (88 from the server, not DC NTE/v1) lists every lobby player's arrow.
type Arrows struct {
	Entries []ArrowEntry
}

func (m *Arrows) Command() uint16 { return 0x88 }
func (m *Arrows) walk(c *cursor) {
	n := c.count(len(m.Entries), 0x0C, 0x40)
	m.Entries = resize(m.Entries, n)
	c.flagIs(uint32(n))
	for i := range m.Entries {
		e := &m.Entries[i]
		c.u32(&e.PlayerTag)
		c.u32(&e.GuildCard)
		c.u32(&e.Color)
	}
}

func registerMenus(r registry) {
	newMenu := func() Msg { return &Menu{} }
	for _, cmd := range []uint16{0x07, 0x08, 0x1F, 0xA0, 0xA1} {
		r.add(ServerToClient, cmd, vsGame, newMenu)
	}
	for _, cmd := range []uint16{0x8E, 0x8F} {
		r.add(ServerToClient, cmd, setOf(DCNTE), newMenu)
		r.add(ClientToServer, cmd, setOf(DCNTE), func() Msg { return &ChangeShipOrBlock{} })
	}
	r.add(ServerToClient, 0xE6, vsEp3, newMenu)
	for _, cmd := range []uint16{0xA0, 0xA1} {
		r.add(ClientToServer, cmd, vsGame, func() Msg { return &ChangeShipOrBlock{} })
	}
	r.add(ClientToServer, 0x09, vsGame, func() Msg { return &MenuItemRef{} })
	r.add(ClientToServer, 0x84, vsGame, func() Msg { return &MenuItemRef{} })
	r.add(ClientToServer, 0x10, vsGame, func() Msg { return &MenuSelection{} })
	r.add(ServerToClient, 0x83, vsGame, func() Msg { return &LobbyList{} })
	r.add(ServerToClient, 0x88, vsGame&^setOf(DCNTE), func() Msg { return &Arrows{} })
}
