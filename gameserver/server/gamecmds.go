package server

import (
	"fmt"
	"maps"
	"math/rand/v2"

	"github.com/psobox/psobox/gameserver/wire"
)

// gameLobbyRoutes are the lobby's game commands: the game list, creating a
// game, joining one from the list, and Episode III's relayed commands.
func gameLobbyRoutes() map[uint16]handler {
	r := map[uint16]handler{
		0x08: onGameList, 0x09: onMenuInfo, 0x10: onLobbyMenu,
		0x0C: onCreateGame, 0xC1: onCreateGame, 0xEC: onCreateGame,
		0xC9: onRelay, 0xCB: onRelay, 0xCA: onEp3ServerData,
	}
	return r
}

// gameRoutes are the commands of a player in a game.
func gameRoutes() map[uint16]handler {
	r := map[uint16]handler{
		0x60: onRelay, 0x62: onRelay, 0x6C: onRelay, 0x6D: onRelay,
		0xC9: onRelay, 0xCB: onRelay, 0xCA: onEp3ServerData,
		0x06: onChat, 0x1D: onGamePing, 0x6F: onDoneLoading, 0x8A: onGameName, 0x98: onLeaveGame,
	}
	maps.Copy(r, ep3GameRoutes())
	return r
}

// leftGameRoutes: after leaving a game (98) the client picks its lobby
// (84); game commands still in flight are dropped.
func leftGameRoutes() map[uint16]handler {
	return map[uint16]handler{
		0x84: onLobbyAfterGame,
		0x60: onRelay, 0x62: onRelay, 0x6C: onRelay, 0x6D: onRelay, 0xC9: onRelay, 0xCB: onRelay,
	}
}

// lobbyMenus handles 10 in a lobby by menu ID (the game list; later menus
// add themselves here).
var lobbyMenus = map[uint32]func(c *Client, m *wire.MenuSelection) error{
	gameMenuID: (*Client).joinFromList,
}

func onLobbyMenu(c *Client, cmd wire.Command) error {
	var m wire.MenuSelection
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	if h, ok := lobbyMenus[m.MenuID]; ok {
		return h(c, &m)
	}
	return c.lobbyMessage("Incorrect menu ID.")
}

// onCreateGame is 0C (DC v1 and the prototypes), C1 (later versions) and
// Episode III's EC: the creator leaves the lobby and is the game's first
// player and leader.
func onCreateGame(c *Client, cmd wire.Command) error {
	var m wire.CreateGame
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	if (cmd.Header.Command == 0xEC) != c.Version().IsEp3() {
		return fmt.Errorf("command %02X cannot create a game on %s", cmd.Header.Command, c.Version())
	}
	s, err := c.newGameSettings(&m)
	if err != nil {
		return err
	}
	if levelOf(c) < s.minLevel() {
		return c.lobbyMessage(fmt.Sprintf("%s needs level %d\nor above.", difficultyName(s.difficulty), s.minLevel()+1))
	}
	c.sess.fromBlock = uint32(c.sess.lobby.block)
	c.leaveLobby()
	g := c.srv.games.create(s, c.srv.opts.Now())
	g.join(c, "", false)
	c.log.Info("created game", "game", g.ID, "name", g.name, "episode", g.episode, "difficulty", g.difficulty,
		"mode", g.mode, "group", groupLabel(g.creator), "password", g.password != "")
	c.sess.phase = phaseGame
	return nil
}

// newGameSettings reads a create command the way the reference server
// does: DC v2 and PC may close the game to DC v1 (episode byte 1), V3
// consoles choose the episode, Episode III plays its own.
func (c *Client) newGameSettings(m *wire.CreateGame) (gameSettings, error) {
	v, lang := c.Version(), c.sess.lang
	s := gameSettings{
		name: m.NameString(v, lang), password: m.PasswordString(v, lang),
		episode: 1, allowV1: true, creator: v, seed: rand.Uint32(),
	}
	if p := c.Player(); p != nil {
		s.sectionID = p.SectionID
	}
	if l := c.sess.lobby; l != nil {
		s.event = l.event
	}
	if isPreV1(v) {
		return s, nil // the prototypes have no settings
	}
	if m.Difficulty > difficultyUltimate {
		return s, fmt.Errorf("create game: difficulty %d does not exist", m.Difficulty)
	}
	s.difficulty = m.Difficulty
	switch {
	case v.IsV2() && v != wire.GCNTE:
		s.allowV1 = m.Episode == 0
	case v.IsEp3():
		s.episode = 3
	case !v.IsV1() && m.Episode == 2:
		s.episode = 2
	}
	if m.BattleMode != 0 {
		s.mode = modeBattle
	}
	if m.ChallengeMode != 0 && !v.IsEp3() {
		s.mode = modeChallenge // Episode III's flag only closes the game to spectators
	}
	return s, nil
}

// joinFromList is a game chosen from the game list (10).
func (c *Client) joinFromList(m *wire.MenuSelection) error {
	g := c.srv.games.byItem(m.ItemID)
	if g == nil {
		return c.lobbyMessage("This game no longer exists.")
	}
	password := m.Password(c.Version(), c.sess.lang)
	g.mu.Lock()
	why := g.joinRefusal(c, password, true)
	g.mu.Unlock()
	if why != "" {
		c.log.Info("refused to join game", "game", g.ID, "reason", why)
		return c.lobbyMessage(why)
	}
	// Leave the lobby first: lobby traffic must not reach a client that is
	// loading a game.
	back := lobbyRef{block: uint32(c.sess.lobby.block), lobby: c.sess.lobby.ID}
	c.sess.fromBlock = back.block
	c.leaveLobby()
	if why := g.join(c, password, true); why != "" {
		c.sess.preferLobby = back // someone was faster: back to the lobby
		err := c.joinLobby()
		c.lobbyMessage(why)
		return err
	}
	c.log.Info("joined game", "game", g.ID, "slot", c.sess.lobbySlot)
	c.sess.phase = phaseGame
	return nil
}

// leaveGame takes the client out of its game; the last one out closes it.
func (c *Client) leaveGame() {
	g := c.sess.game
	if g == nil {
		return
	}
	c.sess.game = nil
	if g.leave(c, c.sess.lobbySlot) {
		c.srv.games.remove(g)
		c.log.Info("game closed: the last player left", "game", g.ID)
	}
}

// onLeaveGame is 98: the player's data as it leaves the game, recorded
// like a 61. The client then chooses a lobby (84).
func onLeaveGame(c *Client, cmd wire.Command) error {
	if err := on61(c, cmd); err != nil {
		return err
	}
	c.leaveGame()
	c.sess.phase = phaseLeft
	return nil
}

// onLobbyAfterGame is the 84 after a 98: the lobby the player returns to,
// or another one when it is full.
func onLobbyAfterGame(c *Client, cmd wire.Command) error {
	var m wire.MenuItemRef
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	if m.MenuID == lobbyMenuID {
		c.sess.preferLobby = lobbyRef{block: c.sess.fromBlock, lobby: m.ItemID}
	}
	return c.joinLobby()
}

// onGamePing: the joiner's answer to the ping after its 64 releases what
// was held for it.
func onGamePing(c *Client, cmd wire.Command) error {
	if err := c.decodeEmpty(cmd); err != nil {
		return err
	}
	if n := c.sess.game.release(c, c.sess.lobbySlot); n > 0 {
		c.log.Debug("released commands held while joining", "commands", n)
	}
	return nil
}

// onDoneLoading is 6F: the player is in; others may join again. The
// reference server answers with the time, which the client acknowledges.
func onDoneLoading(c *Client, cmd wire.Command) error {
	if err := c.decodeEmpty(cmd); err != nil {
		return err
	}
	c.sess.game.doneLoading(c, c.sess.lobbySlot)
	return c.Send(c.serverTime())
}

// onGameName answers 8A in a game with the game's name.
func onGameName(c *Client, cmd wire.Command) error {
	if err := c.decodeEmpty(cmd); err != nil {
		return err
	}
	return c.Send(wire.NewPlainText(0x8A, c.Version(), c.sess.game.name, c.sess.lang))
}

// onEp3ServerData (CA) asks Episode III's battle engine on the server,
// which psobox does not have: checked and dropped.
func onEp3ServerData(c *Client, cmd wire.Command) error {
	var m wire.GameCommand
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	c.log.Info("dropped Episode III battle command: psobox has no card battle engine", "bytes", len(m.Data))
	return nil
}
