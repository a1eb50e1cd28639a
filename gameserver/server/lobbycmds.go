package server

import (
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
