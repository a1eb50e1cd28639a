package client

import (
	"context"
	"fmt"
	"strings"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// QuestMenuEntry is one item of a quest menu (A2 online, A4 download): a
// category or a quest, as the server named it.
type QuestMenuEntry struct {
	MenuID, ItemID    uint32
	Name, Description string
}

// QuestRefusedError is a server's message instead of a quest menu or
// quest.
type QuestRefusedError struct{ Message string }

func (e *QuestRefusedError) Error() string { return fmt.Sprintf("server refused: %q", e.Message) }

// questMenuState is what the reader learned of quest menus (in
// sharedState).
type questMenuState struct {
	menu    []QuestMenuEntry
	menuSeq int // counts quest menus received
	info    string
	infoSeq int // counts quest descriptions (A3, A5) received
	// questStarted and questLoaded count transfers begun and finished,
	// online [0] and download [1].
	questStarted, questLoaded [2]int
	download                  []*QuestFile // the last download received
}

// onQuestMenu records a quest menu (A2, A4).
func onQuestMenu(c *Client, r *Received) error {
	m, ok := r.Msg.(*wire.QuestMenu)
	if !ok {
		return badCommand(r)
	}
	v := c.cfg.Version
	entries := make([]QuestMenuEntry, len(m.Entries))
	for i, e := range m.Entries {
		entries[i] = QuestMenuEntry{MenuID: e.MenuID, ItemID: e.ItemID,
			Name: oneLine(e.NameString(v, c.lang)), Description: e.DescriptionString(v, c.lang)}
	}
	c.info("quest menu with %d entries", len(entries))
	c.update(func(s *sharedState) { s.qm.menu, s.qm.menuSeq = entries, s.qm.menuSeq+1 })
	return nil
}

// onQuestInfo records a quest's description (A3 online, A5 download).
func onQuestInfo(c *Client, r *Received) error {
	m, ok := r.Msg.(*wire.PlainText)
	if !ok {
		return badCommand(r)
	}
	text := m.String(c.cfg.Version, c.lang)
	c.update(func(s *sharedState) { s.qm.info, s.qm.infoSeq = text, s.qm.infoSeq+1 })
	return nil
}

// questWait is where a quest request stands when it is sent, to tell
// what answered it.
type questWait struct{ menu, info, message, started int }

func (c *Client) questMark(download bool) questWait {
	c.mu.Lock()
	defer c.mu.Unlock()
	return questWait{c.sh.qm.menuSeq, c.sh.qm.infoSeq, c.sh.messageSeq, c.sh.qm.questStarted[b2i(download)]}
}

// OpenQuestMenu asks for the quest menu of the game the client is in (A2)
// and returns its entries: the server's categories.
func (c *Client) OpenQuestMenu(ctx context.Context) ([]QuestMenuEntry, error) {
	w := c.questMark(false)
	if err := c.Send(&wire.Empty{Cmd: 0xA2}); err != nil {
		return nil, err
	}
	return c.questAnswer(ctx, w, false)
}

// OpenDownloadMenu picks "Download quests" in the main menu the client is
// at and returns the download menu (A4).
func (c *Client) OpenDownloadMenu(ctx context.Context) ([]QuestMenuEntry, error) {
	c.mu.Lock()
	menu := c.sh.menu
	c.mu.Unlock()
	item, ok := downloadItem(c.cfg.Version, c.lang, menu)
	if !ok {
		return nil, &StepError{Phase: c.phase(), Err: fmt.Errorf("the main menu has no download quests")}
	}
	w := c.questMark(true)
	if err := c.Send(&wire.MenuSelection{MenuID: item.MenuID, ItemID: item.ItemID}); err != nil {
		return nil, err
	}
	return c.questAnswer(ctx, w, true)
}

// downloadItem finds the main menu item leading to download quests: the
// reference server's item ID, or an item so named.
func downloadItem(v wire.Version, lang text.Language, m *wire.Menu) (wire.MenuItem, bool) {
	if m == nil {
		return wire.MenuItem{}, false
	}
	for _, it := range m.Items {
		if it.ItemID == 0x11444411 || strings.Contains(strings.ToLower(it.NameString(v, lang)), "download") {
			return it, true
		}
	}
	return wire.MenuItem{}, false
}

// ChooseQuestEntry picks e in the quest or download menu shown last (10).
// A category answers with its quests (a menu, returned); a quest with its
// files: the result is then nil, and WaitQuest or WaitDownload wait for
// them. A refusal is a *QuestRefusedError.
func (c *Client) ChooseQuestEntry(ctx context.Context, e QuestMenuEntry, download bool) ([]QuestMenuEntry, error) {
	w := c.questMark(download)
	if err := c.Send(&wire.MenuSelection{MenuID: e.MenuID, ItemID: e.ItemID}); err != nil {
		return nil, err
	}
	return c.questAnswer(ctx, w, download)
}

// QuestInfo asks for the description of entry e (09); the server answers
// with A3 in a game and A5 in the download menus.
func (c *Client) QuestInfo(ctx context.Context, e QuestMenuEntry) (string, error) {
	w := c.questMark(false)
	if err := c.Send(&wire.MenuItemRef{Cmd: 0x09, MenuID: e.MenuID, ItemID: e.ItemID}); err != nil {
		return "", err
	}
	var info string
	err := c.waitFor(ctx, func(s *sharedState) bool {
		info = s.qm.info
		return s.qm.infoSeq != w.info
	})
	return info, err
}

// questAnswer waits for what answers a quest request: a menu (returned),
// the first file of a quest (nil: WaitQuest and WaitDownload wait for the
// rest), or a message (a refusal).
func (c *Client) questAnswer(ctx context.Context, w questWait, download bool) ([]QuestMenuEntry, error) {
	var menu []QuestMenuEntry
	var refused string
	err := c.waitFor(ctx, func(s *sharedState) bool {
		switch {
		case s.qm.menuSeq != w.menu:
			menu = s.qm.menu
		case s.qm.questStarted[b2i(download)] != w.started: // the files are coming
		case s.messageSeq != w.message:
			refused = s.lastMessage
		default:
			return false
		}
		return true
	})
	switch {
	case err != nil:
		return nil, err
	case refused != "":
		return nil, &StepError{Phase: c.phase(), Err: &QuestRefusedError{Message: refused}}
	}
	return menu, nil
}

// WaitQuest waits until the online quest being received has loaded (or
// returns the last one loaded) and returns its files.
func (c *Client) WaitQuest(ctx context.Context) ([]QuestFile, error) {
	return c.waitTransfer(ctx, false)
}

// WaitDownload waits until the download quest being received is complete
// (or returns the last one) and returns its files.
func (c *Client) WaitDownload(ctx context.Context) ([]QuestFile, error) {
	return c.waitTransfer(ctx, true)
}

func (c *Client) waitTransfer(ctx context.Context, download bool) ([]QuestFile, error) {
	i := b2i(download)
	err := c.waitFor(ctx, func(s *sharedState) bool {
		return s.qm.questStarted[i] > 0 && s.qm.questLoaded[i] == s.qm.questStarted[i]
	})
	if err != nil {
		return nil, err
	}
	return c.questFiles(download), nil
}

// CloseQuestMenu says the player left the quest menu without choosing
// (A9): others may join the game again.
func (c *Client) CloseQuestMenu() error { return c.Send(&wire.Empty{Cmd: 0xA9}) }
