package server

import (
	"fmt"

	"github.com/psobox/psobox/gameserver/wire"
)

// notYetRoutes are lobby commands of features that come later (the
// lobby's information counter, choice search). They are checked against
// their layout and answered with a message instead of leaving the player
// waiting or dropping them.
func notYetRoutes() map[uint16]handler {
	r := map[uint16]handler{}
	for _, cmd := range []uint16{0x1F, 0xC0} {
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
