package server

import (
	"fmt"

	"github.com/psobox/psobox/gameserver/wire"
)

func lobbyRoutes() map[uint16]handler {
	return map[uint16]handler{
		0x60: onRelay, 0x62: onRelay, 0x6C: onRelay, 0x6D: onRelay,
		0x06: onChat, 0x89: onArrow, 0x8A: onLobbyName, 0x84: onChangeLobby,
		0xA0: onChangeShip, 0xA1: onChangeBlock, 0x8E: onChangeShip, 0x8F: onChangeBlock,
		0x40: onSearch, 0x81: onMail, 0xC6: onBlockSenders, 0xC7: onAutoReply, 0xC8: onAutoReplyOff,
		0xD8: onInfoBoardRequest, 0xD9: onInfoBoardWrite,
	}
}

// goToLobby is the main menu's "Go to lobby": enable saving first (97,
// answered by 99) when the client reported its save info, then the lobby
// list, then (on the prototypes) the player data, then the join.
func (c *Client) goToLobby() error {
	if c.sess.enableSave && !isPreV1(c.Version()) {
		c.sess.enableSave = false
		c.sess.awaitSave = c.enterLobby
		return c.Send(&wire.Empty{Cmd: 0x97, Flag: 1})
	}
	return c.enterLobby()
}

func (c *Client) enterLobby() error {
	c.sendLobbyList()
	if isPreV1(c.Version()) {
		return c.requestPlayer(c.joinLobby)
	}
	return c.joinLobby()
}

// sendLobbyList (83) sets the lobby teleporter's entries.
func (c *Client) sendLobbyList() {
	var m wire.LobbyList
	for _, l := range c.currentBlock().visible(c.Version()) {
		m.Entries = append(m.Entries, wire.LobbyListEntry{MenuID: lobbyMenuID, ItemID: l.ID})
	}
	c.Send(&m)
}

func (c *Client) joinLobby() error {
	l, err := c.srv.lobbies.join(c, c.sess.preferLobby)
	c.sess.preferLobby = lobbyRef{}
	if err != nil {
		c.log.Warn("cannot join a lobby", "err", err)
		return c.boxThenMenu("All lobbies are full.\nPlease try again later.")
	}
	c.sess.phase = phaseLobby
	c.log.Info("joined lobby", "block", l.block, "lobby", l.ID, "slot", c.sess.lobbySlot)
	c.afterLobbyJoin()
	return nil
}

// boxThenMenu shows a message and returns to the main menu: after the
// player closes it (D6) on GameCube and Xbox, at once elsewhere.
func (c *Client) boxThenMenu(s string) error {
	if err := c.messageBox(s); err != nil {
		return err
	}
	if v := c.Version(); v.IsV3() || v == wire.GCNTE {
		c.sess.atWelcome = true
		return nil
	}
	return c.sendMainMenu()
}

func (c *Client) leaveLobby() {
	if l := c.sess.lobby; l != nil {
		c.sess.lobby = nil
		l.remove(c, c.sess.lobbySlot)
	}
}

// relayCompatible: DC NTE and 11/2000 number subcommands their own way, so
// relayed bytes only go between clients that number them alike.
// Translating them is part of the relay of games.
func relayCompatible(from, to wire.Version) bool {
	if isPreV1(from) || isPreV1(to) {
		return from == to
	}
	return true
}

// onRelay forwards 60/6C to everyone else in the lobby and 62/6D to the
// player in the flag, after checking the subcommand framing.
func onRelay(c *Client, cmd wire.Command) error {
	h := cmd.Header
	if (h.Command == 0x60 || h.Command == 0x62) && len(cmd.Payload) > wire.MaxRelayPayload {
		return fmt.Errorf("command %02X of 0x%X bytes exceeds the 0x%X clients accept", h.Command, len(cmd.Payload), wire.MaxRelayPayload)
	}
	if err := wire.CheckSubcommands(cmd.Payload); err != nil {
		return fmt.Errorf("command %02X: %w", h.Command, err)
	}
	l, v := c.sess.lobby, c.Version()
	if social, err := c.relaySocial(l, h, cmd.Payload); social || err != nil {
		return err // guild cards, symbol chat and word select (subchat.go)
	}
	if h.Command == 0x62 || h.Command == 0x6D {
		if t := l.member(h.Flag); t != nil && t != c && relayCompatible(v, t.Version()) {
			t.SendRaw(h.Command, h.Flag, cmd.Payload)
		}
		return nil
	}
	l.each(c, func(m *Client, _ uint8) {
		if relayCompatible(v, m.Version()) {
			m.SendRaw(h.Command, h.Flag, cmd.Payload)
		}
	})
	if c.showsSelf(cmd.Payload) {
		l.sendArrows()
	}
	return nil
}

// showsSelf reports a 6x23 (player visible) about the sender: a player who
// appears in a lobby gets everyone's arrows.
func (c *Client) showsSelf(data []byte) bool {
	for sub, err := range wire.Subcommands(data) {
		if err != nil {
			return false
		}
		n, ok := wire.SubcommandToFinal(c.Version(), sub.Number())
		if ok && n == 0x23 && sub.Param() == uint16(c.sess.lobbySlot) {
			return true
		}
	}
	return false
}

func onArrow(c *Client, cmd wire.Command) error {
	if err := c.decodeEmpty(cmd); err != nil {
		return err
	}
	c.arrow.Store(cmd.Header.Flag)
	c.sess.lobby.sendArrows()
	return nil
}

func onLobbyName(c *Client, cmd wire.Command) error {
	if err := c.decodeEmpty(cmd); err != nil {
		return err
	}
	return c.Send(wire.NewPlainText(0x8A, c.Version(), c.sess.lobby.Name(), c.sess.lang))
}

// onChangeLobby is the lobby teleporter (84).
func onChangeLobby(c *Client, cmd wire.Command) error {
	var m wire.MenuItemRef
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	old, oldSlot := c.sess.lobby, c.sess.lobbySlot
	to := c.sess.lobby.blockLobby(c.srv.lobbies, m.ItemID)
	switch {
	case m.MenuID != lobbyMenuID || to == nil || !lobbyAllowed(to.ID, c.Version()):
		return c.lobbyMessage("This lobby does not exist.")
	case to == old:
		return nil
	case !to.add(c):
		return c.lobbyMessage("This lobby is full.")
	}
	old.remove(c, oldSlot)
	c.log.Info("changed lobby", "block", to.block, "lobby", to.ID, "slot", c.sess.lobbySlot)
	return nil
}

// lobbyMessage shows a message box over the lobby (01).
func (c *Client) lobbyMessage(s string) error {
	return c.Send(wire.NewTextMessage(0x01, c.Version(), 0, s, c.sess.lang))
}
