package server

import (
	"github.com/psobox/psobox/gameserver/wire"
)

// psobox is one ship with one block: choosing a ship or block (A0, A1; DC
// NTE's 8E, 8F) from a lobby takes the player back to the main menu, the
// way the reference server restarts its login sequence there.
func shipRoutes() map[uint16]handler {
	return map[uint16]handler{0xA0: onChangeShip, 0xA1: onChangeShip, 0x8E: onChangeShip, 0x8F: onChangeShip}
}

// onChangeShip leaves the lobby (telling the player itself with a 69 for
// its own slot), closes any text box (an empty D5 on V3, whose answer D6
// needs no reply), then asks for the player data again and shows the
// main menu.
func onChangeShip(c *Client, cmd wire.Command) error {
	v := c.Version()
	if (cmd.Header.Command == 0x8E || cmd.Header.Command == 0x8F) != (v == wire.DCNTE) {
		return errOutOfOrder(cmd, "by a version that has no such command")
	}
	var m wire.ChangeShipOrBlock
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	if l := c.sess.lobby; l != nil {
		slot := c.sess.lobbySlot
		c.Send(&wire.LeaveLobby{Cmd: 0x69, Flag: uint32(slot), ClientID: slot, DisableUDP: 1})
		c.leaveLobby()
	}
	c.sess.phase = phaseMenu
	if v.IsV3() || v == wire.GCNTE {
		c.messageBox("")
	}
	if isPreV1(v) {
		return c.sendMainMenu()
	}
	c.Send(c.serverTime())
	return c.requestPlayer(c.sendMainMenu)
}
