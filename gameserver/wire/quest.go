package wire

import "github.com/psobox/psobox/gameserver/wire/text"

// OpenFile is 44 (open an online quest file) and A6 (a download quest or GBA
// file). Layouts: DC 0x38 (one-byte type), PC/GC 0x38, Xbox 0x50 (extra
// file name and metadata), BB 0x50 (display name last).
type OpenFile struct {
	Cmd         uint16
	Flag        uint32     // echoed by V3/BB clients in their 44/A6
	Name        [0x22]byte // display name, "PSO/..."; BB: unused bytes
	Type        uint16     // A6: 0 quest, 1 quest+pvr, 2 GBA, 3 Ep3 (one byte on DC)
	Filename    [0x11]byte // 0x11 bytes on DC, 0x10 elsewhere
	FileSize    uint32
	XBFilename  [0x10]byte // Xbox only
	ContentMeta uint32     // Xbox only
	XBUnused    [4]byte    // Xbox only
	BBName      [0x18]byte // BB only
}

func (m *OpenFile) Command() uint16 { return m.Cmd }
func (m *OpenFile) walk(c *cursor) {
	c.command(&m.Cmd)
	c.flagRaw(&m.Flag)
	c.bytes(m.Name[:])
	if c.v.IsDC() {
		t := uint8(m.Type)
		c.u8(&t)
		m.Type = uint16(t)
		c.bytes(m.Filename[:])
	} else {
		c.u16(&m.Type)
		c.field(m.Filename[:], 0x10)
	}
	c.u32(&m.FileSize)
	switch c.v {
	case XBV3:
		c.bytes(m.XBFilename[:])
		c.u32(&m.ContentMeta)
		c.bytes(m.XBUnused[:])
	case BBV4:
		c.bytes(m.BBName[:])
	}
}

// FilenameString returns the file name.
func (m *OpenFile) FilenameString() string { return ascii(m.Filename[:]) }

// SetFilename stores the file name.
func (m *OpenFile) SetFilename(name string) {
	text.Put(m.Filename[:0x10], text.ASCII, name, text.English)
	m.Filename[0x10] = 0
}

// WriteFile is 13 (online quest chunk) and A7 (download chunk): 0x400-byte
// chunks, all full but the last; the flag is the chunk index.
type WriteFile struct {
	Cmd      uint16
	Flag     uint32
	Filename [0x10]byte
	Data     [0x400]byte
	DataSize uint32
}

func (m *WriteFile) Command() uint16 { return m.Cmd }
func (m *WriteFile) walk(c *cursor) {
	c.command(&m.Cmd)
	c.flagRaw(&m.Flag)
	c.bytes(m.Filename[:])
	c.bytes(m.Data[:])
	c.u32(&m.DataSize)
	if c.decoding() && m.DataSize > 0x400 {
		c.fail(ErrBadField, "chunk data size 0x%X exceeds 0x400", m.DataSize)
	}
}

// FileConfirm is the V3/BB acknowledgement of 44/13/A6/A7; the flag echoes
// the server's.
type FileConfirm struct {
	Cmd      uint16
	Flag     uint32
	Filename [0x10]byte
}

func (m *FileConfirm) Command() uint16 { return m.Cmd }
func (m *FileConfirm) walk(c *cursor) {
	c.command(&m.Cmd)
	c.flagRaw(&m.Flag)
	c.bytes(m.Filename[:])
}

// QuestMenuEntry is one category or quest of A2/A4.
type QuestMenuEntry struct {
	MenuID      uint32 // byte 0: episode (categories); byte 1: icon
	ItemID      uint32
	Name        [0x40]byte  // 0x20 chars
	Description [0x100]byte // 0x70 chars (Xbox 0x80, BB 0x78)
	BBDisabled  uint8
	BBUnused    [3]byte
}

func questDescChars(v Version) int {
	switch v {
	case XBV3:
		return 0x80
	case BBV4:
		return 0x78
	}
	return 0x70
}

func questEntrySize(v Version) int {
	n := 8 + textWidth(v, 0x20) + textWidth(v, questDescChars(v))
	if v == BBV4 {
		n += 4
	}
	return n
}

func (e *QuestMenuEntry) walk(c *cursor) {
	c.u32(&e.MenuID)
	c.u32(&e.ItemID)
	c.field(e.Name[:], textWidth(c.v, 0x20))
	c.field(e.Description[:], textWidth(c.v, questDescChars(c.v)))
	if c.v == BBV4 {
		c.u8(&e.BBDisabled)
		c.bytes(e.BBUnused[:])
	}
}

// SetText stores the entry's name and short description for v.
func (e *QuestMenuEntry) SetText(v Version, name, desc string, lang text.Language) {
	clear(e.Name[:])
	clear(e.Description[:])
	text.Put(e.Name[:textWidth(v, 0x20)], FieldEncoding(v), name, lang)
	text.Put(e.Description[:textWidth(v, questDescChars(v))], FieldEncoding(v), desc, lang)
}

// NameString decodes the entry's name.
func (e *QuestMenuEntry) NameString(v Version, lang text.Language) string {
	return text.Decode(FieldEncoding(v), e.Name[:textWidth(v, 0x20)], lang)
}

// DescriptionString decodes the entry's short description.
func (e *QuestMenuEntry) DescriptionString(v Version, lang text.Language) string {
	return text.Decode(FieldEncoding(v), e.Description[:textWidth(v, questDescChars(v))], lang)
}

// QuestMenu is A2 (online quests) and A4 (download quests); the flag counts
// the entries.
type QuestMenu struct {
	Cmd     uint16
	Entries []QuestMenuEntry
}

func (m *QuestMenu) Command() uint16 { return m.Cmd }
func (m *QuestMenu) walk(c *cursor) {
	c.command(&m.Cmd)
	n := c.count(len(m.Entries), questEntrySize(c.v), 0x40)
	m.Entries = resize(m.Entries, n)
	c.flagIs(uint32(n))
	for i := range m.Entries {
		m.Entries[i].walk(c)
	}
}

// QuestStatistic (AA) is sent by quest opcode F92E; the server answers AB.
type QuestStatistic struct {
	Flag   uint32
	StatID uint16
	Unused uint16
	Label1 uint16
	Label2 uint16
	Params [8]uint32
}

func (m *QuestStatistic) Command() uint16 { return 0xAA }
func (m *QuestStatistic) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	c.u16(&m.StatID)
	c.u16(&m.Unused)
	c.u16(&m.Label1)
	c.u16(&m.Label2)
	for i := range m.Params {
		c.u32(&m.Params[i])
	}
}

// CallQuestLabel (AB) starts a quest thread at a label.
type CallQuestLabel struct {
	Flag   uint32
	Label  uint16
	Unused uint16
}

func (m *CallQuestLabel) Command() uint16 { return 0xAB }
func (m *CallQuestLabel) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	c.u16(&m.Label)
	c.u16(&m.Unused)
}

func registerQuest(r registry) {
	for _, cmd := range []uint16{0x44, 0xA6} {
		r.add(ServerToClient, cmd, vsGame, func() Msg { return &OpenFile{} })
	}
	for _, cmd := range []uint16{0x13, 0xA7} {
		r.add(ServerToClient, cmd, vsGame, func() Msg { return &WriteFile{} })
	}
	for _, cmd := range []uint16{0x13, 0x44, 0xA6, 0xA7} {
		r.add(ClientToServer, cmd, vsV3BB, func() Msg { return &FileConfirm{} })
	}
	for _, cmd := range []uint16{0xA2, 0xA4} {
		r.add(ServerToClient, cmd, vsGame, func() Msg { return &QuestMenu{} })
	}
	r.add(ClientToServer, 0xAA, vsV3BB, func() Msg { return &QuestStatistic{} })
	r.add(ServerToClient, 0xAB, vsV3BB, func() Msg { return &CallQuestLabel{} })
}
