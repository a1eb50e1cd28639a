package server

import (
	"fmt"
	"net/netip"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// Guild card search (40) finds a player by guild card number and answers
// with where the player is (41): a location string the console shows, the
// reconnect command (19) it follows to go there, and the meet-user data it
// sends back in its next login so the server seats it in that lobby. A
// player who is not found, not in a lobby, or blocked the searcher gets no
// answer, as the consoles expect (they give up after a while).

func onSearch(c *Client, cmd wire.Command) error {
	var m wire.GuildCardSearch
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	if m.SearcherCard != c.GuildCard() {
		return fmt.Errorf("guild card search as card %d by card %d", m.SearcherCard, c.GuildCard())
	}
	t := c.srv.findPlayer(m.TargetGuildCard)
	var l *Lobby
	if t != nil {
		l = t.location.Load()
	}
	switch {
	case t == nil:
		c.log.Info("guild card search found nobody", "target", m.TargetGuildCard)
	case t.blocks(c.GuildCard()):
		c.log.Info("guild card search: the player blocked the searcher", "target", m.TargetGuildCard)
	case l == nil:
		c.log.Info("guild card search: the player is not in a lobby", "target", m.TargetGuildCard)
	default:
		return c.Send(c.searchResult(t, l))
	}
	return nil
}

// searchResult is the 41 telling c that t is in lobby l.
func (c *Client) searchResult(t *Client, l *Lobby) *wire.GuildCardSearchResult {
	v, lang := c.Version(), c.sess.lang
	r := &wire.GuildCardSearchResult{PlayerTag: playerTag, SearcherCard: c.GuildCard(), ResultGuildCard: t.GuildCard()}
	hf := v.HeaderFormat()
	hdr, _ := hf.Append(nil, wire.Header{Command: 0x19, Size: uint16(hf.Len() + 8)})
	copy(r.ReconnectHeader[:], hdr)
	if local, err := netip.ParseAddrPort(c.conn.LocalAddr().String()); err == nil && local.Addr().Unmap().Is4() {
		r.ReconnectAddr = local.Addr().Unmap().As4()
		r.ReconnectPort = local.Port()
	}
	r.SetLocation(v, searchLocation(l, c.srv.opts.ServerName), lang)
	r.MeetUser.LobbyRefs[0] = [2]uint32{lobbyMenuID, l.ID}
	r.MeetUser.LobbyRefs[1] = [2]uint32{blockMenuID, uint32(l.block)}
	w := 0x20
	if v.UsesUTF16() {
		w = 0x40
	}
	text.Put(r.MeetUser.PlayerName[:w], wire.NameEncoding(v), nameOf(t), lang)
	return r
}

// searchLocation is "lobby,,block,ship" as the consoles show it:
// "BLOCK01-05,,BLOCK01,psobox", CARD lobbies "BLOCK01-C02".
func searchLocation(l *Lobby, ship string) string {
	lobby := fmt.Sprintf("%02d", l.ID)
	if l.ID > publicLobbies {
		lobby = fmt.Sprintf("C%02d", l.ID-publicLobbies)
	}
	return fmt.Sprintf("BLOCK%02d-%s,,BLOCK%02d,%s", l.block, lobby, l.block, ship)
}
