package server

import (
	"github.com/psobox/psobox/gameserver/quest"
	"github.com/psobox/psobox/gameserver/wire"
)

// Download quests are saved to the console's memory card from the main
// menu: "Download quests" lists the download categories (A4), a category
// its quests (A4), asking about one shows its description (A5), and
// choosing one sends its files (A6, then A7 chunks) in download form,
// encrypted with the V2 cipher whatever the console. V3 consoles
// acknowledge each chunk and get them through the same window as online
// quests.

// downloadFilter is what c may see in the download menus.
func (c *Client) downloadFilter() quest.Filter {
	return quest.Filter{Version: c.Version(), Language: c.sess.lang, Menu: quest.MenuDownload}
}

// downloadCategories are the download categories with quests for c; nil
// when there are none or c's version cannot save quests.
func (c *Client) downloadCategories() []*quest.Category {
	x := c.srv.questIndex()
	if x == nil || isPreV1(c.Version()) || c.Version() == wire.PCNTE || c.Version() == wire.BBV4 {
		return nil
	}
	return x.Categories(c.downloadFilter())
}

// hasDownloadQuests says whether the main menu offers "Download quests".
func (c *Client) hasDownloadQuests() bool { return len(c.downloadCategories()) > 0 }

// sendDownloadCategories is the first download menu (A4).
func (c *Client) sendDownloadCategories() error {
	cats := c.downloadCategories()
	if len(cats) == 0 {
		return c.messageBox(noQuestsMessage)
	}
	return c.sendCategoryMenu(0xA4, cats)
}

// onDownloadMenu is 10 in a download menu: a category lists its quests, a
// quest is sent.
func (c *Client) onDownloadMenu(m *wire.MenuSelection) error {
	x := c.srv.questIndex()
	if x == nil {
		return c.messageBox(noQuestsMessage)
	}
	f := c.downloadFilter()
	switch m.MenuID {
	case questCategoryMenuEp1, questCategoryMenuEp2:
		if cat := x.Category(m.ItemID); cat == nil || !cat.In(f.Menu) {
			return c.messageBox("This category does\nnot exist.")
		}
		return c.sendQuestList(0xA4, x.Quests(m.ItemID, f))
	}
	v := listed(x, f, m.ItemID)
	if v == nil {
		return c.messageBox("This quest cannot be\ndownloaded.")
	}
	files, err := v.DownloadFiles(c.sess.lang, nil)
	if err != nil {
		c.log.Warn("download quest cannot be sent", "quest", v.Quest.Number, "files", v.Files, "err", err)
		return c.messageBox("This quest cannot be\ndownloaded.")
	}
	c.log.Info("download quest sent", "quest", v.Quest.Number, "name", v.Name)
	c.files.start(c, files, true, v.Language)
	return nil
}

// questMenuRoutes: the ship select (A0) from a download menu goes back to
// the main menu.
func questMenuRoutes() map[uint16]handler {
	return map[uint16]handler{0xA0: onShipSelectInMenu}
}

func onShipSelectInMenu(c *Client, _ wire.Command) error {
	return c.sendMainMenu()
}
