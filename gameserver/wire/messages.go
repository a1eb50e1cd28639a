package wire

import "github.com/psobox/psobox/gameserver/wire/text"

// ChatEncoding is the encoding of chat and message text on v: marked
// single-byte text, or UTF-16LE behind a language marker on PC and BB.
func ChatEncoding(v Version) text.Encoding {
	if v.UsesUTF16() {
		return text.UTF16Marked
	}
	return text.Marked
}

// FieldEncoding is the encoding of fixed text fields (menus, game names,
// descriptions, mail): marked single-byte text, or plain UTF-16LE.
func FieldEncoding(v Version) text.Encoding {
	if v.UsesUTF16() {
		return text.UTF16
	}
	return text.Marked
}

// NameEncoding is the encoding of player names in rosters, guild cards and
// mail: as FieldEncoding, except that BB always marks the language.
func NameEncoding(v Version) text.Encoding {
	if v == BBV4 {
		return text.UTF16Marked
	}
	return FieldEncoding(v)
}

// appendTerminated encodes s for v followed by a NUL unit.
func appendTerminated(dst []byte, v Version, s string, lang text.Language) []byte {
	dst = text.Append(dst, ChatEncoding(v), s, lang)
	return append(dst, make([]byte, ChatEncoding(v).UnitSize())...)
}

// TextMessage is the layout of 01 (lobby message box), 06 (chat), 11 (ship
// info), B0 (overlay message) and BB's EE (scrolling message). The server's
// 06 carries the sender's guild card number, and text "name\tmessage".
type TextMessage struct {
	Cmd       uint16
	Flag      uint32
	Unused    uint32
	GuildCard uint32
	Text      []byte // raw, NUL-terminated and padded as sent
}

// NewTextMessage builds one of these commands with text for v.
func NewTextMessage(cmd uint16, v Version, guildCard uint32, s string, lang text.Language) *TextMessage {
	return &TextMessage{Cmd: cmd, GuildCard: guildCard, Text: appendTerminated(nil, v, s, lang)}
}

func (m *TextMessage) Command() uint16 { return m.Cmd }
func (m *TextMessage) walk(c *cursor) {
	c.command(&m.Cmd)
	c.flagRaw(&m.Flag)
	c.u32(&m.Unused)
	c.u32(&m.GuildCard)
	c.restMax(&m.Text, 0x1000)
}

// String decodes the text (a leading language marker selects the charset and
// is removed).
func (m *TextMessage) String(v Version, lang text.Language) string {
	return text.Decode(ChatEncoding(v), m.Text, lang)
}

// PlainText is the layout of commands that are only text: 1A and D5 (large
// message boxes), A3 and A5 (quest info), 8A (lobby name, server side), C7
// (auto-reply) and D9 (info board).
type PlainText struct {
	Cmd  uint16
	Flag uint32
	Text []byte
}

// NewPlainText builds one of these commands with text for v.
func NewPlainText(cmd uint16, v Version, s string, lang text.Language) *PlainText {
	return &PlainText{Cmd: cmd, Text: appendTerminated(nil, v, s, lang)}
}

func (m *PlainText) Command() uint16 { return m.Cmd }
func (m *PlainText) walk(c *cursor) {
	c.command(&m.Cmd)
	c.flagRaw(&m.Flag)
	c.restMax(&m.Text, 0x1000)
}

// String decodes the text.
func (m *PlainText) String(v Version, lang text.Language) string {
	return text.Decode(ChatEncoding(v), m.Text, lang)
}

func registerMessages(r registry) {
	newText := func() Msg { return &TextMessage{} }
	newPlain := func() Msg { return &PlainText{} }
	r.both(0x06, vsGame, newText)
	for _, cmd := range []uint16{0x01, 0x11, 0xB0} {
		r.add(ServerToClient, cmd, vsGame, newText)
	}
	r.add(ServerToClient, 0xEE, vsBB, newText)
	for _, cmd := range []uint16{0x1A, 0xD5, 0xA3, 0xA5} {
		r.add(ServerToClient, cmd, vsGame, newPlain)
	}
	r.add(ServerToClient, 0x8A, vsV2Plus, newPlain)
	r.add(ClientToServer, 0xC7, vsV3BB|vsPC, newPlain)
	r.add(ClientToServer, 0xD9, vsV3BB|vsPC, newPlain)
}
