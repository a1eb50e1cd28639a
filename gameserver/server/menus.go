package server

import (
	"github.com/psobox/psobox/gameserver/wire"
)

// Menu and item IDs: the reference server's numbers, so that the menu
// choices in recorded sessions of real consoles mean the same here.
const (
	mainMenuID   = 0x11000011
	itemLobby    = 0x11222211
	itemInfo     = 0x11333311
	itemQuit     = 0x11888811
	infoMenuID   = 0x22000022
	itemInfoBack = 0x22FFFF22
)

// maxInfoPages keeps the information menu within what clients show.
const maxInfoPages = 30

// menuEntry is one item of a menu we send.
type menuEntry struct {
	id          uint32
	name, short string
}

// mainMenu lists the main menu for c. Information needs message boxes that
// the client closes with D6: DC and PC cannot show it.
func (c *Client) mainMenu() []menuEntry {
	items := []menuEntry{{itemLobby, "Go to lobby", "Meet the other\nplayers"}}
	if c.canShowInformation() {
		items = append(items, menuEntry{itemInfo, "Information", "View server\ninformation"})
	}
	if c.hasDownloadQuests() {
		items = append(items, menuEntry{itemDownloadQuests, "Download quests", "Quests to save\nto the memory card"})
	}
	return append(items, menuEntry{itemQuit, "Disconnect", "Disconnect"})
}

func (c *Client) canShowInformation() bool {
	v := c.Version()
	return (v.IsV3() || v == wire.GCNTE) && len(c.srv.opts.Information) > 0
}

func (c *Client) infoMenu() []menuEntry {
	items := []menuEntry{{itemInfoBack, "Go back", "Return to the\nmain menu"}}
	for i, p := range c.srv.opts.Information {
		items = append(items, menuEntry{uint32(i), p.Title, p.Short})
	}
	return items
}

// sendMenu sends 07: a title entry naming the server, then the items.
func (c *Client) sendMenu(menuID uint32, title string, items []menuEntry) error {
	v, lang := c.Version(), c.sess.lang
	m := &wire.Menu{Cmd: 0x07, Items: make([]wire.MenuItem, 0, len(items)+1)}
	head := wire.MenuItem{MenuID: menuID, ItemID: 0xFFFFFFFF, DifficultyTag: 4}
	head.SetName(v, title, lang)
	m.Items = append(m.Items, head)
	for _, it := range items {
		e := wire.MenuItem{MenuID: menuID, ItemID: it.id, DifficultyTag: 4, NumPlayers: 0x0F}
		e.SetName(v, it.name, lang)
		m.Items = append(m.Items, e)
	}
	if isPreV1(v) {
		// These prototypes show a menu only after a fresh 04.
		c.Send(c.clientConfig())
	}
	return c.Send(m)
}

func (c *Client) sendMainMenu() error {
	c.sess.inInfoMenu = false
	return c.sendMenu(mainMenuID, c.srv.opts.ServerName, c.mainMenu())
}

func (c *Client) sendInfoMenu() error {
	c.sess.inInfoMenu = true
	return c.sendMenu(infoMenuID, "Information", c.infoMenu())
}

// messageBox shows text in a box the player closes: 1A on DC and PC, D5 on
// GameCube and Xbox (which answer D6 when it is closed).
func (c *Client) messageBox(s string) error {
	v := c.Version()
	cmd := uint16(0x1A)
	if v.IsV3() || v == wire.GCNTE {
		cmd = 0xD5
	}
	return c.Send(wire.NewPlainText(cmd, v, s, c.sess.lang))
}

// on10 is a menu choice in the main or information menu.
func on10(c *Client, cmd wire.Command) error {
	var m wire.MenuSelection
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	switch m.MenuID {
	case mainMenuID:
		return c.onMainMenu(m.ItemID)
	case infoMenuID:
		return c.onInfoMenu(m.ItemID)
	case blockMenuID:
		return c.onBlockMenu(m.ItemID)
	case questCategoryMenuEp1, questCategoryMenuEp2, questMenuEp1, questMenuEp2:
		return c.onDownloadMenu(&m)
	}
	return c.messageBox("Incorrect menu ID.")
}

func (c *Client) onMainMenu(item uint32) error {
	switch item {
	case itemLobby:
		return c.goToLobby()
	case itemInfo:
		if c.canShowInformation() {
			return c.sendInfoMenu()
		}
	case itemDownloadQuests:
		return c.sendDownloadCategories()
	case itemQuit:
		if c.Version() == wire.XBV3 {
			c.Send(&wire.Empty{Cmd: 0x05}) // Xbox Live keeps the connection unless told
		}
		c.sess.quit = true
		return nil
	}
	return c.messageBox("Incorrect menu item ID.")
}

func (c *Client) onInfoMenu(item uint32) error {
	pages := c.srv.opts.Information
	switch {
	case item == itemInfoBack:
		return c.sendMainMenu()
	case int64(item) < int64(len(pages)):
		return c.messageBox(pages[item].Text)
	}
	return c.messageBox("No such information exists.")
}

// on09 asks for the description of a menu item; it is shown in the ship
// information window (11).
func on09(c *Client, cmd wire.Command) error {
	var m wire.MenuItemRef
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	var items []menuEntry
	switch m.MenuID {
	case mainMenuID:
		items = c.mainMenu()
	case infoMenuID:
		items = c.infoMenu()
	case questMenuEp1, questMenuEp2:
		return c.sendQuestInfo(0xA5, m.ItemID)
	}
	for _, it := range items {
		if it.id == m.ItemID {
			return c.Send(wire.NewTextMessage(0x11, c.Version(), 0, it.short, c.sess.lang))
		}
	}
	return nil
}
