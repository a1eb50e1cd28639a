package wire

import (
	"encoding/binary"

	"github.com/psobox/psobox/gameserver/wire/text"
)

// Inventory is a player's inventory as every version sends it (0x34C bytes:
// item count, material bonuses, language, 30 items of 0x1C bytes).
type Inventory [0x34C]byte

// Language returns the client's language as recorded in the inventory.
func (inv *Inventory) Language() text.Language { return text.Language(inv[3]) }

// DispV123 is the player's stats and appearance on DC, PC, GC and Xbox
// (0xD0 bytes: stats, visual config with the name, options, tech levels).
type DispV123 [0xD0]byte

// DispV4 is the Blue Burst form (0x190 bytes): the visual config adds a
// UTF-16 name and a guild card number string, the option block is larger.
type DispV4 [0x190]byte

// Offsets shared by both disp layouts.
const (
	dispLevel      = 0x18
	dispNameV123   = 0x24 // 0x10 bytes
	dispShared     = 0x34 // 0x40-byte appearance block, same in both layouts
	dispNameColor  = 0x3C
	dispSectionID  = 0x54
	dispClass      = 0x55
	dispNameV4     = 0x74 // 0x20 bytes UTF-16
	dispConfigV123 = 0x74
	dispConfigV4   = 0x94
	dispTechV123   = 0xBC
	dispTechV4     = 0x17C
)

// Level returns the level stored (0-based: 0 shows as level 1).
func (d *DispV123) Level() uint32 { return binary.LittleEndian.Uint32(d[dispLevel:]) }

// SectionID returns the section ID (0-9).
func (d *DispV123) SectionID() uint8 { return d[dispSectionID] }

// Class returns the character class.
func (d *DispV123) Class() uint8 { return d[dispClass] }

// Name decodes the character name.
func (d *DispV123) Name(lang text.Language) string {
	return text.Decode(text.Marked, d[dispNameV123:dispNameV123+0x10], lang)
}

// Level returns the level stored (0-based).
func (d *DispV4) Level() uint32 { return binary.LittleEndian.Uint32(d[dispLevel:]) }

// SectionID returns the section ID.
func (d *DispV4) SectionID() uint8 { return d[dispSectionID] }

// Class returns the character class.
func (d *DispV4) Class() uint8 { return d[dispClass] }

// Name decodes the character name.
func (d *DispV4) Name() string {
	return text.Decode(text.UTF16Marked, d[dispNameV4:dispNameV4+0x20], text.English)
}

// ToV4 converts to the Blue Burst layout: the name is re-encoded in UTF-16,
// the guild card number string is left blank, options are copied as far as
// they go.
func (d *DispV123) ToV4(lang text.Language) DispV4 {
	var out DispV4
	copy(out[:dispNameV123], d[:dispNameV123])
	copy(out[dispShared:dispShared+0x40], d[dispShared:dispShared+0x40])
	text.Put(out[dispNameV4:dispNameV4+0x20], text.UTF16Marked, d.Name(lang), lang)
	copy(out[dispConfigV4:dispConfigV4+0x48], d[dispConfigV123:dispConfigV123+0x48])
	copy(out[dispTechV4:], d[dispTechV123:])
	return out
}

// ToV123 converts to the DC/PC/GC/Xbox layout, encoding the name for lang.
func (d *DispV4) ToV123(lang text.Language) DispV123 {
	var out DispV123
	copy(out[:dispNameV123], d[:dispNameV123])
	text.Put(out[dispNameV123:dispNameV123+0x10], text.Marked, d.Name(), lang)
	copy(out[dispShared:dispShared+0x40], d[dispShared:dispShared+0x40])
	copy(out[dispConfigV123:dispConfigV123+0x48], d[dispConfigV4:dispConfigV4+0x48])
	copy(out[dispTechV123:], d[dispTechV4:])
	return out
}

// LobbyData is a player's entry in rosters (64-68). Its layout differs per
// version: DC/GC 0x20 bytes, PC 0x30 (UTF-16 name), Xbox 0x4C (network
// location instead of the IP), BB 0x44 (team fields).
type LobbyData struct {
	PlayerTag  uint32 // 0x00010000 when a player is present
	GuildCard  uint32
	IP         [4]byte    // not Xbox/BB; clients need it nonzero
	XBNetLoc   [0x30]byte // Xbox only
	TeamMaster uint32     // BB only
	TeamID     uint32     // BB only
	BBUnknown  [0x0C]byte // BB only
	ClientID   uint32
	Name       [0x20]byte // 0x10 bytes single-byte, 0x20 UTF-16 on PC/BB
	HideHelp   uint32     // BB only
}

func lobbyDataSize(v Version) int {
	switch {
	case v == BBV4:
		return 0x44
	case v == XBV3:
		return 0x4C
	case v.IsPC():
		return 0x30
	}
	return 0x20
}

func (m *LobbyData) walk(c *cursor) {
	c.u32(&m.PlayerTag)
	c.u32(&m.GuildCard)
	switch c.v {
	case BBV4:
		c.u32(&m.TeamMaster)
		c.u32(&m.TeamID)
		c.bytes(m.BBUnknown[:])
	case XBV3:
		c.bytes(m.XBNetLoc[:])
	default:
		c.bytes(m.IP[:])
	}
	c.u32(&m.ClientID)
	c.field(m.Name[:], textWidth(c.v, 0x10))
	if c.v == BBV4 {
		c.u32(&m.HideHelp)
	}
}

// NameString decodes the player name.
func (m *LobbyData) NameString(v Version, lang text.Language) string {
	return text.Decode(NameEncoding(v), m.Name[:textWidth(v, 0x10)], lang)
}

// SetName stores the player name in v's encoding.
func (m *LobbyData) SetName(v Version, s string, lang text.Language) {
	clear(m.Name[:])
	text.Put(m.Name[:textWidth(v, 0x10)], NameEncoding(v), s, lang)
}

// Player is the canonical view of a character, built from any version's
// player data and exported to any receiver's layouts.
type Player struct {
	GuildCard uint32
	Name      string
	Language  text.Language
	SectionID uint8
	Class     uint8
	Level     uint32 // 0-based, as stored
	Inventory Inventory
	Disp      DispV123 // the DC/PC/GC/Xbox layout; BB data is converted
	InfoBoard string
	AutoReply string // empty: auto-reply off
	Blocked   [30]uint32
}

// GuildCardInfo returns the player's guild card with a description.
func (p *Player) GuildCardInfo(description string) GuildCardInfo {
	return GuildCardInfo{Number: p.GuildCard, Name: p.Name, Description: description,
		Language: p.Language, SectionID: p.SectionID, Class: p.Class}
}

// LobbyEntry exports the player as a roster entry (64-68) in v's layout.
func (p *Player) LobbyEntry(v Version, clientID uint32, ip [4]byte) LobbyEntry {
	e := LobbyEntry{Inventory: p.Inventory}
	e.Lobby = LobbyData{PlayerTag: 0x00010000, GuildCard: p.GuildCard, IP: ip, ClientID: clientID, HideHelp: 1}
	e.Lobby.SetName(v, p.Name, p.Language)
	if v == BBV4 {
		e.DispBB = p.Disp.ToV4(p.Language)
	} else {
		e.Disp = p.Disp
	}
	return e
}
