package server

import (
	"fmt"

	"github.com/psobox/psobox/gameserver/wire"
)

// phase is where a session is; each command is allowed in some phases.
type phase uint8

// Phases, as bits so a route can allow several.
const (
	phaseLogin phase = 1 << iota // after the server init, before the login completes
	phaseMenu                    // logged in: main menu, information, loading the player
	phaseLobby                   // in a lobby
	phaseGame                    // in a game
	phaseLeft                    // left a game (98), choosing a lobby (84)

	phaseLoggedIn = phaseMenu | phaseLobby | phaseGame | phaseLeft
)

func (p phase) String() string {
	switch p {
	case 0:
		return "greeting"
	case phaseLogin:
		return "login"
	case phaseMenu:
		return "menu"
	case phaseLobby:
		return "lobby"
	case phaseGame:
		return "game"
	case phaseLeft:
		return "leaving game"
	}
	return fmt.Sprintf("phase(%d)", uint8(p))
}

// handler runs one received command on the session goroutine. An error
// ends the session; the client gets what was queued before it.
type handler func(c *Client, cmd wire.Command) error

// route says in which phases a command is accepted and what handles it.
type route struct {
	phases phase
	fn     handler
}

// routes is the dispatch table of the DC, PC, GameCube and Xbox protocol:
// for each command number, the handlers of the phases it is allowed in (8A
// is DC NTE's connection info at login and a lobby name request in a
// lobby). It is built once and never changed; lobby and game commands are
// added in buildRoutes as they are implemented.
var routes = buildRoutes()

func buildRoutes() map[uint16][]route {
	r := map[uint16][]route{}
	add := func(p phase, hs map[uint16]handler) {
		for cmd, h := range hs {
			r[cmd] = append(r[cmd], route{p, h})
		}
	}
	add(phaseLogin, loginRoutes())
	// Games first: their 09, 10 and 1D take precedence in their phases.
	add(phaseLobby, gameLobbyRoutes())
	add(phaseGame, gameRoutes())
	add(phaseLeft, leftGameRoutes())
	add(phaseGame, questGameRoutes())
	add(phaseLoggedIn, menuRoutes())
	add(phaseLoggedIn, questFileRoutes())
	add(phaseMenu, map[uint16]handler{0x10: on10})
	add(phaseMenu, questMenuRoutes())
	add(phaseLobby, lobbyRoutes())
	add(phaseLobby, questLobbyRoutes())
	add(phaseLobby|phaseGame, notYetRoutes())
	return r
}

// dispatch runs cmd's handler after checking that the command is known
// and allowed in the session's phase.
func (c *Client) dispatch(cmd wire.Command) error {
	c.sess.lastCmd = cmd.Header.Command
	if n := c.srv.panicOn.Load(); n != 0 && uint16(n-1) == cmd.Header.Command {
		panic(fmt.Sprintf("test panic on command %02X", cmd.Header.Command))
	}
	rs, ok := routes[cmd.Header.Command]
	if !ok {
		return fmt.Errorf("unknown command %02X (flag %X, 0x%X bytes) in %s", cmd.Header.Command, cmd.Header.Flag, len(cmd.Payload), c.sess.phase)
	}
	for _, r := range rs {
		if r.phases&c.sess.phase != 0 {
			return r.fn(c, cmd)
		}
	}
	return fmt.Errorf("command %02X not allowed in %s", cmd.Header.Command, c.sess.phase)
}

// decode decodes a received command into m in the client's layout.
func (c *Client) decode(cmd wire.Command, m wire.Msg) error {
	return wire.DecodeInto(c.Version(), cmd.Header, cmd.Payload, m)
}

// decodeEmpty checks that a command that has no payload has none.
func (c *Client) decodeEmpty(cmd wire.Command) error {
	var m wire.Empty
	return c.decode(cmd, &m)
}

// errOutOfOrder is a command sent at a point of the login it cannot come.
func errOutOfOrder(cmd wire.Command, when string) error {
	return fmt.Errorf("command %02X out of order: sent %s", cmd.Header.Command, when)
}
