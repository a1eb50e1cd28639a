package server

import (
	"github.com/psobox/psobox/gameserver/quest"
	"github.com/psobox/psobox/gameserver/wire"
)

// gameQuest is the quest a game plays once a player chose it. Game.mu
// guards it. Every member gets the files in its own version and language;
// V3 consoles report ready (AC) when they have loaded them, and the
// server releases them all together with its own AC (the barrier) once
// the last one did. Versions before V3 start as soon as their files are
// in, with no barrier.
type gameQuest struct {
	number  uint32
	name    string // in the chooser's version and language
	loading uint8  // one bit per slot: a V3 console the barrier waits for
	started bool   // the barrier was released
}

// questFilter is what c may see in this game's quest menus: quests every
// other member can load too.
func (g *Game) questFilter(c *Client) quest.Filter {
	f := quest.Filter{Version: c.Version(), Language: languageOf(c), Menu: g.questMenu(), Episode: quest.Episode(g.episode)}
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, m := range g.members {
		if m != nil && m != c {
			f.Others = append(f.Others, m.Version())
		}
	}
	return f
}

// choosing notes that the player in slot has the quest menu open (A2) or
// closed it (A9): others cannot join meanwhile.
func (g *Game) choosing(slot uint8, open bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if open {
		g.picking |= 1 << slot
	} else {
		g.picking &^= 1 << slot
	}
}

// startQuest sends q to every member in its version and language. It
// returns a refusal for the chooser instead when the game has a quest
// already or a member cannot load q.
func (g *Game) startQuest(c *Client, q *quest.Quest) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.quest != nil {
		return "A quest is already\nin progress."
	}
	var plans [gamePlayers]questPlan
	for slot, m := range g.members {
		if m == nil {
			continue
		}
		v := q.Variant(m.Version(), languageOf(m))
		if v == nil {
			return "This quest does not\nexist for every\nplayer's version."
		}
		f, err := v.OnlineFiles()
		if err != nil {
			c.log.Warn("quest cannot be sent", "quest", q.Number, "files", v.Files, "err", err)
			return "This quest cannot be\nsent to every player."
		}
		plans[slot] = questPlan{v, f}
	}
	g.sendQuest(c, q, &plans)
	return ""
}

// questPlan is what one member gets: the quest in its version and
// language, and the files.
type questPlan struct {
	variant *quest.Variant
	files   []quest.TransferFile
}

// sendQuest records the game's quest and starts every member's
// transfer; g.mu is held.
func (g *Game) sendQuest(c *Client, q *quest.Quest, plans *[gamePlayers]questPlan) {
	gq := &gameQuest{number: q.Number, name: plans[c.sess.lobbySlot].variant.Name}
	for slot, m := range g.members {
		if m == nil {
			continue
		}
		p := &plans[slot]
		m.files.start(m, p.files, false, p.variant.Language)
		if questWindowFor(m.Version()) > 0 {
			gq.loading |= 1 << slot
		}
	}
	g.quest, g.picking = gq, 0
	g.releaseQuest()
	c.log.Info("quest started", "game", g.ID, "quest", q.Number, "name", gq.name, "players", g.count())
}

// questReady is a member's AC: it has loaded the quest. It reports
// whether the AC was expected.
func (g *Game) questReady(c *Client, slot uint8) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.quest == nil || g.members[slot] != c || g.quest.loading&(1<<slot) == 0 {
		return false
	}
	g.quest.loading &^= 1 << slot
	g.releaseQuest()
	return true
}

// releaseQuest sends the barrier's AC to the V3 members once no one is
// loading any more; g.mu is held.
func (g *Game) releaseQuest() {
	q := g.quest
	if q == nil || q.started || q.loading != 0 {
		return
	}
	q.started = true
	for _, m := range g.members {
		if m != nil && questWindowFor(m.Version()) > 0 {
			m.Send(&wire.Empty{Cmd: 0xAC})
		}
	}
}

// questMemberLeft forgets what the game waited for from the player who
// left slot: the barrier does not wait for someone gone. g.mu is held.
func (g *Game) questMemberLeft(c *Client, slot uint8) {
	c.files.stop()
	g.picking &^= 1 << slot
	if g.quest != nil {
		g.quest.loading &^= 1 << slot
		g.releaseQuest()
	}
}

// questRefusal says why nobody may join while quests are chosen or
// played, "" otherwise; g.mu is held.
func (g *Game) questRefusal() string {
	switch {
	case g.picking != 0:
		return "The players are\nchoosing a quest."
	case g.quest != nil:
		return "A quest is in\nprogress in this game."
	}
	return ""
}

// questName is the name of the game's quest, "" without one.
func (g *Game) questName() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.quest == nil {
		return ""
	}
	return g.quest.name
}

// onQuestReady is AC: a V3 console has loaded the game's quest. One that
// comes when nothing waits for it is logged and ignored, as the reference
// server does.
func onQuestReady(c *Client, cmd wire.Command) error {
	if err := c.decodeEmpty(cmd); err != nil {
		return err
	}
	if g := c.sess.game; g == nil || !g.questReady(c, c.sess.lobbySlot) {
		c.log.Debug("quest ready (AC) ignored: no quest is loading")
	}
	return nil
}
