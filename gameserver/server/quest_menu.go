package server

import (
	"slices"

	"github.com/psobox/psobox/gameserver/quest"
	"github.com/psobox/psobox/gameserver/wire"
)

// The quest counter of a game: the console asks for the menu (A2), the
// server lists the categories of the game's mode (A2), a choice (10) of a
// category lists its quests (A2 again), asking about one (09) shows its
// description (A3), choosing one (10) sends it to every member, and
// closing the menu says A9. Only quests that every member's version can
// load are listed.

// questGameRoutes are the quest counter's commands in a game.
func questGameRoutes() map[uint16]handler {
	return map[uint16]handler{0xA2: onQuestCounter, 0xA9: onQuestMenuClosed, 0x09: onGameMenuInfo, 0x10: onGameMenu}
}

// questLobbyRoutes: there is no quest counter in a lobby; a menu closed
// (A9) as its game ended is of no consequence.
func questLobbyRoutes() map[uint16]handler {
	return map[uint16]handler{0xA2: onQuestCounterInLobby, 0xA9: (*Client).decodeEmpty}
}

func onQuestCounterInLobby(c *Client, cmd wire.Command) error {
	if err := c.decodeEmpty(cmd); err != nil {
		return err
	}
	return c.lobbyMessage("Quests are not\navailable in lobbies.")
}

// onQuestCounter is A2 in a game: the categories with quests for it.
func onQuestCounter(c *Client, cmd wire.Command) error {
	if err := c.decodeEmpty(cmd); err != nil {
		return err
	}
	x, g := c.srv.questIndex(), c.sess.game
	switch {
	case c.Version().IsEp3():
		return c.lobbyMessage("Episode III has no\nquests here.")
	case x == nil:
		return c.lobbyMessage(noQuestsMessage)
	}
	cats := x.Categories(g.questFilter(c))
	if len(cats) == 0 {
		return c.lobbyMessage("No quest can be\nplayed by all the\nplayers of this game.")
	}
	g.choosing(c.sess.lobbySlot, true)
	return c.sendCategoryMenu(0xA2, cats)
}

func onQuestMenuClosed(c *Client, cmd wire.Command) error {
	if err := c.decodeEmpty(cmd); err != nil {
		return err
	}
	c.sess.game.choosing(c.sess.lobbySlot, false)
	return nil
}

// sendCategoryMenu lists categories (A2 online, A4 download).
func (c *Client) sendCategoryMenu(cmd uint16, cats []*quest.Category) error {
	v, lang := c.Version(), c.sess.lang
	m := &wire.QuestMenu{Cmd: cmd, Entries: make([]wire.QuestMenuEntry, len(cats))}
	for i, cat := range cats {
		e := &m.Entries[i]
		e.MenuID, e.ItemID = questCategoryMenuID(cat), cat.ID
		e.SetText(v, cat.Name, cat.Description, lang)
	}
	return c.Send(m)
}

// sendQuestList lists quests (A2 online, A4 download).
func (c *Client) sendQuestList(cmd uint16, quests []*quest.Variant) error {
	v, lang := c.Version(), c.sess.lang
	m := &wire.QuestMenu{Cmd: cmd, Entries: make([]wire.QuestMenuEntry, len(quests))}
	for i, q := range quests {
		e := &m.Entries[i]
		e.MenuID, e.ItemID = questMenuID(q.Quest), q.Quest.Number
		e.SetText(v, q.Name, q.ShortDescription, lang)
	}
	return c.Send(m)
}

// onGameMenu is 10 in a game: a choice in a quest menu.
func onGameMenu(c *Client, cmd wire.Command) error {
	var m wire.MenuSelection
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	x, g := c.srv.questIndex(), c.sess.game
	if x == nil {
		return c.lobbyMessage(noQuestsMessage)
	}
	f := g.questFilter(c)
	switch m.MenuID {
	case questCategoryMenuEp1, questCategoryMenuEp2:
		if cat := x.Category(m.ItemID); cat == nil || !cat.In(f.Menu) {
			return c.lobbyMessage("This category does\nnot exist.")
		}
		return c.sendQuestList(0xA2, x.Quests(m.ItemID, f))
	case questMenuEp1, questMenuEp2:
		return c.chooseQuest(x, f, m.ItemID)
	}
	return c.lobbyMessage("Incorrect menu ID.")
}

// listed finds quest number n among the quests f lists in menu f.Menu.
func listed(x *quest.Index, f quest.Filter, n uint32) *quest.Variant {
	q := x.Quest(n)
	if q == nil || !q.Category.In(f.Menu) {
		return nil
	}
	vs := x.Quests(q.Category.ID, f)
	if i := slices.IndexFunc(vs, func(v *quest.Variant) bool { return v.Quest == q }); i >= 0 {
		return vs[i]
	}
	return nil
}

// chooseQuest starts quest n in c's game if c could pick it from the menu.
func (c *Client) chooseQuest(x *quest.Index, f quest.Filter, n uint32) error {
	v := listed(x, f, n)
	if v == nil {
		return c.lobbyMessage("This quest is not\navailable in this\ngame.")
	}
	if why := c.sess.game.startQuest(c, v.Quest); why != "" {
		return c.lobbyMessage(why)
	}
	return nil
}

// onGameMenuInfo is 09 in a game: the description of a quest (A3).
// Categories have theirs in the menu already.
func onGameMenuInfo(c *Client, cmd wire.Command) error {
	var m wire.MenuItemRef
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	if m.MenuID != questMenuEp1 && m.MenuID != questMenuEp2 {
		return nil
	}
	return c.sendQuestInfo(0xA3, m.ItemID)
}

// sendQuestInfo shows the long description of quest n (A3 online, A5
// download).
func (c *Client) sendQuestInfo(cmd uint16, n uint32) error {
	text := "This quest does\nnot exist."
	var flag uint8
	if x := c.srv.questIndex(); x == nil {
		text = noQuestsMessage
	} else if q := x.Quest(n); q != nil {
		if v := q.Variant(c.Version(), c.sess.lang); v != nil {
			text, flag = v.LongDescription, q.Meta.DescriptionFlag
		}
	}
	m := wire.NewPlainText(cmd, c.Version(), text, c.sess.lang)
	m.Flag = uint32(flag)
	return c.Send(m)
}
