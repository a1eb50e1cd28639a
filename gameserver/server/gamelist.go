package server

import (
	"fmt"
	"strings"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// Game list flags (08 entries).
const (
	listLocked    = 0x02
	listTitle     = 0x04
	listBattle    = 0x10
	listChallenge = 0x20
	listV2Only    = 0x40 // DC v2 and PC show the name in orange
)

// onGameList answers 08 with the games of the client's compatibility
// group, built in its layout. Games its version may not join by the rules
// of the group (a DC v1 and an Ultimate game) are listed too, so that the
// player learns why when choosing one; games of other groups are not.
func onGameList(c *Client, cmd wire.Command) error {
	if err := c.decodeEmpty(cmd); err != nil {
		return err
	}
	return c.Send(c.gameList())
}

func (c *Client) gameList() *wire.Menu {
	v, lang := c.Version(), c.sess.lang
	title := wire.MenuItem{MenuID: gameMenuID, Flags: listTitle}
	title.SetName(v, c.srv.opts.ServerName, lang)
	m := &wire.Menu{Cmd: 0x08, Items: []wire.MenuItem{title}}
	for _, g := range c.srv.games.list() {
		if len(m.Items) > maxListedGames {
			break
		}
		if !compatGroup(g.creator).has(v) {
			continue
		}
		n := len(g.snapshot().players)
		if n == 0 {
			continue // closing
		}
		m.Items = append(m.Items, g.listEntry(v, n, lang))
	}
	return m
}

// listEntry is g as version v's game list shows it.
func (g *Game) listEntry(v wire.Version, players int, lang text.Language) wire.MenuItem {
	e := wire.MenuItem{MenuID: gameMenuID, ItemID: g.ID, DifficultyTag: 0x22 + g.difficulty, NumPlayers: uint8(players)}
	if v.IsEp3() {
		e.DifficultyTag = 0x0A
	}
	e.SetName(v, g.name, lang)
	if g.password != "" {
		e.Flags |= listLocked
	}
	switch {
	case v.IsDC():
		if g.allowed.has(wire.DCV1) {
			e.Episode = 1 // DC v2: 1 means v1 players can join
		}
	case g.episode != 3:
		e.Episode = g.episode
	}
	if g.episode == 3 {
		return e
	}
	if v.IsV3() || v == wire.GCNTE || v == wire.BBV4 {
		e.Flags |= g.episode << 6
	}
	switch g.mode {
	case modeBattle:
		e.Flags |= listBattle
	case modeChallenge:
		e.Flags |= listChallenge
	}
	if v.IsV2() && !g.allowed.has(wire.DCV1) {
		e.Flags |= listV2Only
	}
	return e
}

// onMenuInfo answers 09 for a game of the list with who plays it; other
// menus are the main menu's business.
func onMenuInfo(c *Client, cmd wire.Command) error {
	var m wire.MenuItemRef
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	if m.MenuID != gameMenuID {
		return on09(c, cmd)
	}
	g := c.srv.games.byItem(m.ItemID)
	if g == nil {
		return c.Send(wire.NewTextMessage(0x11, c.Version(), 0, "This game no\nlonger exists.", c.sess.lang))
	}
	return c.Send(wire.NewTextMessage(0x11, c.Version(), 0, g.describe(), c.sess.lang))
}

// describe is the ship-info text of a game: its players and settings.
func (g *Game) describe() string {
	var b strings.Builder
	for _, p := range g.snapshot().players {
		name, level := "?", uint32(0)
		if pl := p.Player(); pl != nil {
			name, level = pl.Name, pl.Level
		}
		fmt.Fprintf(&b, "%s Lv.%d\n", name, level+1)
	}
	b.WriteString(difficultyName(g.difficulty))
	if g.mode != modeNormal {
		fmt.Fprintf(&b, ", %s", g.mode)
	}
	if g.episode != 3 {
		fmt.Fprintf(&b, ", Episode %d", g.episode)
	}
	return b.String()
}

func difficultyName(d uint8) string {
	return [...]string{"Normal", "Hard", "Very Hard", "Ultimate"}[d&3]
}
