package server

import (
	"fmt"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// onChat is a chat line (06): a command for the server when it starts with
// the chat command prefix, else sent to everyone in the room, the speaker
// included, encoded for each receiver (chatformat.go).
func onChat(c *Client, cmd wire.Command) error {
	m := &c.sess.social.chatIn
	if err := c.decode(cmd, m); err != nil {
		return err
	}
	line := &c.sess.social.line // reused: a line on the heap per chat would be garbage
	*line = chatLine{guildCard: c.GuildCard(), name: nameOf(c), slot: c.sess.lobbySlot}
	line.mask, line.text = c.decodeChatText(m.Text)
	if line.text == "" {
		return nil
	}
	if cmdText, ok := c.chatCommand(line.text); ok {
		return c.runChatCommand(cmdText)
	} else if cmdText != "" {
		line.text = cmdText // "$$..." says "$..."
	}
	if r := c.currentRoom(); r != nil {
		c.sayInRoom(r, line)
	}
	return nil
}

// decodeChatText decodes what a client said. In Episode III's CARD
// lobbies a line that does not start with a marker starts with the
// speaker's private mask byte instead (the slots the line is hidden from).
func (c *Client) decodeChatText(raw []byte) (mask byte, s string) {
	v := c.Version()
	if v.IsEp3() && c.inCardLobby() && len(raw) > 0 && raw[0] != '\t' {
		mask, raw = raw[0], raw[1:]
	}
	s = text.Decode(wire.ChatEncoding(v), raw, c.sess.lang)
	return mask, s
}

func (c *Client) inCardLobby() bool {
	l := c.sess.lobby
	return l != nil && l.ID > publicLobbies
}

// sayInRoom sends line to every member of r who has not blocked the
// speaker, building each receiver format's payload once.
func (c *Client) sayInRoom(r room, line *chatLine) {
	out := &c.sess.social.chatOut
	out.reset()
	masked := line.mask != 0
	eachMember(r, nil, func(m *Client, slot uint8) {
		if m.blocks(line.guildCard) {
			return
		}
		rv, lang := m.Version(), languageOf(m)
		withMask := masked && rv.IsEp3()
		whisper := masked && line.mask&(1<<slot) != 0
		k := chatFormat(rv, lang, withMask, whisper)
		payload := out.get(k, func(dst []byte) []byte {
			return appendChatPayload(dst, rv, lang, line, withMask, whisper)
		})
		m.SendRaw(0x06, 0, payload)
	})
}

// eachMember calls each on the room's concrete type: through the room
// interface the compiler must assume f escapes, and every chat line would
// allocate its closure.
func eachMember(r room, skip *Client, f func(m *Client, slot uint8)) {
	switch r := r.(type) {
	case *Lobby:
		r.each(skip, f)
	case *Game:
		r.each(skip, f)
	default:
		panic(fmt.Sprintf("server: unknown room type %T", r))
	}
}
