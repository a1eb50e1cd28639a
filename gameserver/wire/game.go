package wire

import "github.com/psobox/psobox/gameserver/wire/text"

// CreateGame is 0C (DC v1 and NTE), C1 (DC v2 and later) and Ep3's EC. DC
// NTE's form stops after the password; BB adds the solo-mode flag.
type CreateGame struct {
	Cmd           uint16
	Flag          uint32
	MenuID        uint32
	ItemID        uint32
	Name          [0x20]byte // 0x10 bytes marked, 0x20 UTF-16 on PC/BB
	Password      [0x20]byte
	Difficulty    uint8
	BattleMode    uint8
	ChallengeMode uint8 // Ep3: 1 forbids spectators
	Episode       uint8 // V3+: 1, 2 (3 on Ep3, 4 on BB); DC v2/PC: 1 means v2 only
	SoloMode      uint8 // BB only
	BBUnused      [3]byte
}

func (m *CreateGame) Command() uint16 { return m.Cmd }
func (m *CreateGame) walk(c *cursor) {
	c.command(&m.Cmd)
	c.flagRaw(&m.Flag)
	c.u32(&m.MenuID)
	c.u32(&m.ItemID)
	c.field(m.Name[:], textWidth(c.v, 0x10))
	c.field(m.Password[:], textWidth(c.v, 0x10))
	if c.v == DCNTE {
		return
	}
	c.u8(&m.Difficulty)
	c.u8(&m.BattleMode)
	c.u8(&m.ChallengeMode)
	c.u8(&m.Episode)
	if c.v == BBV4 {
		c.u8(&m.SoloMode)
		c.bytes(m.BBUnused[:])
	}
}

// gameTextEncoding: DC NTE's game names are plain Shift-JIS.
func gameTextEncoding(v Version) text.Encoding {
	if v == DCNTE {
		return text.ShiftJIS
	}
	return FieldEncoding(v)
}

// NameString decodes the game name.
func (m *CreateGame) NameString(v Version, lang text.Language) string {
	return text.Decode(gameTextEncoding(v), m.Name[:textWidth(v, 0x10)], lang)
}

// PasswordString decodes the game password.
func (m *CreateGame) PasswordString(v Version, lang text.Language) string {
	return text.Decode(gameTextEncoding(v), m.Password[:textWidth(v, 0x10)], lang)
}

// SetName stores the game name in v's encoding.
func (m *CreateGame) SetName(v Version, s string, lang text.Language) {
	clear(m.Name[:])
	text.Put(m.Name[:textWidth(v, 0x10)], gameTextEncoding(v), s, lang)
}

// SetPassword stores the game password in v's encoding.
func (m *CreateGame) SetPassword(v Version, s string, lang text.Language) {
	clear(m.Password[:])
	text.Put(m.Password[:textWidth(v, 0x10)], gameTextEncoding(v), s, lang)
}

func registerGame(r registry) {
	newCreate := func() Msg { return &CreateGame{} }
	r.add(ClientToServer, 0x0C, vsV1, newCreate)
	r.add(ClientToServer, 0xC1, vsV2Plus, newCreate)
	r.add(ClientToServer, 0xEC, vsEp3, newCreate)
}
