package server

import (
	"fmt"

	"github.com/psobox/psobox/gameserver/wire"
)

// blockMenuID is the menu ID of the block list (A1); the reference server
// has no blocks, so the number is one it does not use.
const blockMenuID = 0x66000066

// Name is the lobby's name as players read it (8A, $info, searches).
func (l *Lobby) Name() string {
	n := fmt.Sprintf("Lobby %d", l.ID)
	if l.ID > publicLobbies {
		n = fmt.Sprintf("CARD Lobby C%d", l.ID-publicLobbies)
	}
	if l.block > 1 {
		return fmt.Sprintf("Block %d, %s", l.block, n)
	}
	return n
}

// Block returns the number of the lobby's block.
func (l *Lobby) Block() int { return l.block }

// blockLobby is lobby number id of l's block (84 moves within a block).
func (l *Lobby) blockLobby(ls *lobbies, id uint32) *Lobby {
	if b := ls.block(uint32(l.block)); b != nil {
		return b.lobby(id)
	}
	return nil
}

// currentBlock is the block c is seated in, or block 1 in the menus.
func (c *Client) currentBlock() *Block {
	if l := c.sess.lobby; l != nil {
		return c.srv.lobbies.block(uint32(l.block))
	}
	return c.srv.lobbies.block(1)
}

// meetUserLobby reads the lobby (and block) a "meet user" login or a
// search result names: lobby menu ID with the lobby number, block menu ID
// with the block number.
func meetUserLobby(m wire.MeetUser) lobbyRef {
	var r lobbyRef
	for _, ref := range m.LobbyRefs {
		switch ref[0] {
		case lobbyMenuID:
			r.lobby = ref[1]
		case blockMenuID:
			r.block = ref[1]
		}
	}
	if r.lobby != 0 && r.block == 0 {
		r.block = 1
	}
	return r
}

// onChangeShip is the ship counter in the lobby (A0; DC NTE 8E): the
// player leaves the lobby for the main menu, which is this server's one
// ship.
func onChangeShip(c *Client, cmd wire.Command) error {
	var m wire.ChangeShipOrBlock
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	c.leaveToMenus()
	return c.sendMainMenu()
}

// onChangeBlock is the block counter in the lobby (A1; DC NTE 8F): the
// player leaves the lobby and chooses a block; the choice (10) seats the
// player in one of its lobbies.
func onChangeBlock(c *Client, cmd wire.Command) error {
	var m wire.ChangeShipOrBlock
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	c.leaveToMenus()
	return c.sendBlockMenu()
}

// leaveToMenus takes c out of its lobby: the others see it leave (69), and
// so does c itself, which then shows a menu.
func (c *Client) leaveToMenus() {
	slot := c.sess.lobbySlot
	c.leaveLobby()
	c.Send(&wire.LeaveLobby{Cmd: 0x69, Flag: uint32(slot), ClientID: slot, DisableUDP: 1})
	c.sess.phase = phaseMenu
}

// sendBlockMenu lists the open blocks with how many players each has.
func (c *Client) sendBlockMenu() error {
	v := c.Version()
	blocks := c.srv.lobbies.blocks()
	cmd := uint16(0xA1)
	if v == wire.DCNTE {
		cmd = 0x8F
	}
	m := &wire.Menu{Cmd: cmd, Items: make([]wire.MenuItem, 0, len(blocks)+1)}
	head := wire.MenuItem{MenuID: blockMenuID, ItemID: 0xFFFFFFFF, DifficultyTag: 4}
	head.SetName(v, c.srv.opts.ServerName, c.sess.lang)
	m.Items = append(m.Items, head)
	for _, b := range blocks {
		it := wire.MenuItem{MenuID: blockMenuID, ItemID: uint32(b.Number), DifficultyTag: 4, NumPlayers: 0x0F}
		it.SetName(v, fmt.Sprintf("BLOCK%02d", b.Number), c.sess.lang)
		m.Items = append(m.Items, it)
	}
	return c.Send(m)
}

// onBlockMenu seats the player in the block chosen from the block menu.
func (c *Client) onBlockMenu(item uint32) error {
	if c.srv.lobbies.block(item) == nil {
		return c.boxThenMenu("This block does not exist.")
	}
	c.sess.preferLobby = lobbyRef{block: item}
	return c.enterLobby()
}
