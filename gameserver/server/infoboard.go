package server

import (
	"github.com/psobox/psobox/gameserver/accounts"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// Info boards: D9 writes the player's own board (kept per account,
// profile.go); D8 asks for the boards of everyone in the room, sent back
// in the asker's layout and encoding. PC, GameCube and Xbox have them;
// Dreamcast has none.

// Widths of an info board entry in characters.
const (
	boardNameChars = 0x10
	boardTextChars = 0xAC
)

func onInfoBoardWrite(c *Client, cmd wire.Command) error {
	var m wire.PlainText
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	board := clip(m.String(c.Version(), c.sess.lang), accounts.MaxProfileText)
	c.editProfile(func(p *profile) { p.infoBoard = board })
	c.editStored(func(p *storedProfile) { p.InfoBoard = board })
	return nil
}

func onInfoBoardRequest(c *Client, cmd wire.Command) error {
	if err := c.decodeEmpty(cmd); err != nil {
		return err
	}
	var m wire.InfoBoard
	if r := c.currentRoom(); r != nil {
		v, lang := c.Version(), c.sess.lang
		r.each(nil, func(p *Client, _ uint8) {
			m.Entries = append(m.Entries, boardEntry(v, lang, nameOf(p), p.profile.Load()))
		})
	}
	return c.Send(&m)
}

// boardEntry is one player's board in version v's layout.
func boardEntry(v wire.Version, lang text.Language, name string, p *profile) wire.InfoBoardEntry {
	var e wire.InfoBoardEntry
	unit := 1
	if v.UsesUTF16() {
		unit = 2
	}
	text.Put(e.Name[:boardNameChars*unit], wire.NameEncoding(v), name, lang)
	if p != nil {
		text.Put(e.Message[:boardTextChars*unit], wire.FieldEncoding(v), p.infoBoard, lang)
	}
	return e
}
