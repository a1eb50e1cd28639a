package server

import (
	"fmt"
	"strings"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// onChat sends a lobby chat line to everyone in the lobby, the speaker
// included, re-encoded for each receiver's version.
func onChat(c *Client, cmd wire.Command) error {
	var m wire.TextMessage
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	v := c.Version()
	line := m.String(v, c.sess.lang)
	if v.IsEp3() && len(m.Text) > 0 && m.Text[0] != '\t' {
		line = line[min(1, len(line)):] // leading byte: Episode III's private-message mask
	}
	line = strings.TrimRight(line, "\x00")
	if line == "" {
		return nil
	}
	name, gc, slot := c.displayName(), c.GuildCard(), c.sess.lobbySlot
	if room := c.currentRoom(); room != nil {
		room.each(nil, func(r *Client, _ uint8) {
			r.Send(wire.NewTextMessage(0x06, r.Version(), gc, chatLine(r.Version(), name, slot, line), languageOf(r)))
		})
	}
	return nil
}

// chatLine is "name<tab>text"; DC NTE shows "name>slot" instead.
func chatLine(rv wire.Version, name string, slot uint8, line string) string {
	if rv == wire.DCNTE {
		return fmt.Sprintf("%s>%X%s", name, slot, line)
	}
	return name + "\t" + line
}

func (c *Client) displayName() string {
	if p := c.Player(); p != nil {
		return p.Name
	}
	return "?"
}

// languageOf is a receiver's language, from its last player data (other
// clients' session state is not ours to read).
func languageOf(c *Client) text.Language {
	if p := c.Player(); p != nil {
		return p.Language
	}
	return text.English
}

// notYetRoutes are lobby and game commands of features that come later
// (quests, guild card search, mail, info boards). They are
// checked against their layout and answered with a message instead of
// leaving the player waiting or dropping them.
func notYetRoutes() map[uint16]handler {
	r := map[uint16]handler{}
	for _, cmd := range []uint16{0x1F, 0x40, 0x81, 0xA2, 0xC6, 0xC7, 0xC8, 0xD8, 0xD9} {
		r[cmd] = onNotYet
	}
	return r
}

func onNotYet(c *Client, cmd wire.Command) error {
	if _, err := wire.Decode(c.Version(), wire.ClientToServer, cmd.Header, cmd.Payload); err != nil {
		return err
	}
	c.log.Info("feature not available yet", "command", fmt.Sprintf("%02X", cmd.Header.Command))
	return c.lobbyMessage("This is not available\non this server yet.")
}
