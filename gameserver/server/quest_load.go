package server

import (
	"github.com/psobox/psobox/gameserver/quest"
)

// Quests: the user's quest directory (Options.QuestDir) is read once at
// Listen by package quest. A file it cannot use is logged and skipped, and
// stays listed in QuestProblems for the status page; a directory that
// cannot be read at all leaves the server without quests. The server
// starts either way.

// Menu IDs of the quest menus: the reference server's, so that recorded
// menu selections mean the same here. Category menus carry the category
// number as item ID, quest menus the quest number.
const (
	questCategoryMenuEp1 = 0x01000001 // also Episodes III and IV
	questCategoryMenuEp2 = 0x02000002 // the Episode 2 challenge icon
	questMenuEp1         = 0x55010155
	questMenuEp2         = 0x55020255
	itemDownloadQuests   = 0x11444411 // main menu: "Download quests"
)

// noQuestsMessage answers quest requests when no quest was loaded.
const noQuestsMessage = "No quests are installed\non this server."

// loadQuests reads Options.QuestDir, if set.
func (s *Server) loadQuests() {
	if s.opts.QuestDir == "" {
		s.log.Info("no quest directory configured; no quests")
		return
	}
	x, err := quest.Load(s.opts.QuestDir, s.log.With("part", "quests"))
	if err != nil {
		s.log.Error("quests are off: the quest directory cannot be read", "dir", s.opts.QuestDir, "err", err)
		return
	}
	if n := len(x.Problems()); n > 0 {
		s.log.Warn("some quest files were skipped", "dir", s.opts.QuestDir, "skipped", n, "quests", x.Len())
	}
	s.quests.Store(x)
}

// questIndex is the loaded quest directory, or nil without quests.
func (s *Server) questIndex() *quest.Index {
	if x := s.quests.Load(); x != nil && x.Len() > 0 {
		return x
	}
	return nil
}

// QuestCount is the number of quests loaded.
func (s *Server) QuestCount() int {
	if x := s.quests.Load(); x != nil {
		return x.Len()
	}
	return 0
}

// QuestProblems lists the quest files skipped at load and why, for the
// status page. It is safe to call from any goroutine.
func (s *Server) QuestProblems() []quest.Problem {
	if x := s.quests.Load(); x != nil {
		return x.Problems()
	}
	return nil
}

// questMenu is the quest menu of a game's mode.
func (g *Game) questMenu() quest.Menu {
	switch g.mode {
	case modeBattle:
		return quest.MenuBattle
	case modeChallenge:
		return quest.MenuChallenge
	case modeSolo:
		return quest.MenuSolo
	}
	return quest.MenuNormal
}

// questCategoryMenuID is the menu ID a category is listed under: it picks
// the icon the client shows.
func questCategoryMenuID(c *quest.Category) uint32 {
	if c.Flags&quest.FlagEp2Challenge != 0 {
		return questCategoryMenuEp2
	}
	return questCategoryMenuEp1
}

// questMenuID is the menu ID a quest is listed under.
func questMenuID(q *quest.Quest) uint32 {
	if q.Episode == quest.Episode2 {
		return questMenuEp2
	}
	return questMenuEp1
}
