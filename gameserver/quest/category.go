package quest

import "fmt"

// Menu is one of the quest menus a client can open. The numbering is the
// bit position of the menu's flag in CategoryFlags.
type Menu uint8

// The quest menus.
const (
	MenuNormal     Menu = iota // online quests in a normal game
	MenuBattle                 // battle-mode rule sets
	MenuChallenge              // challenge-mode quests
	MenuSolo                   // BB solo mode
	MenuGovernment             // BB government counter
	MenuDownload               // quests to save to the memory card (A6/A7)
)

func (m Menu) String() string {
	names := [...]string{"normal", "battle", "challenge", "solo", "government", "download"}
	if int(m) < len(names) {
		return names[m]
	}
	return fmt.Sprintf("Menu(%d)", uint8(m))
}

// CategoryFlags say in which menus a category appears and how.
type CategoryFlags uint16

// Category flags; the values are those of the reference server's config.
const (
	FlagNormal        CategoryFlags = 1 << MenuNormal
	FlagBattle        CategoryFlags = 1 << MenuBattle
	FlagChallenge     CategoryFlags = 1 << MenuChallenge
	FlagSolo          CategoryFlags = 1 << MenuSolo
	FlagGovernment    CategoryFlags = 1 << MenuGovernment
	FlagDownload      CategoryFlags = 1 << MenuDownload
	FlagEpisodeFilter CategoryFlags = 0x080 // list only quests of the game's episode
	FlagEp2Challenge  CategoryFlags = 0x100 // the client shows the Episode 2 challenge icon
)

// Category is one quest category: a folder of the quest directory and an
// entry of the category menu.
type Category struct {
	ID          uint32 // menu item id: position in the category list, from 1
	Flags       CategoryFlags
	Dir         string // folder name inside the quest directory
	Name        string // shown in the menu
	Description string // shown beside the menu; may hold $C colour escapes
}

// In reports whether the category appears in menu m.
func (c *Category) In(m Menu) bool { return c.Flags&(1<<m) != 0 }

// DefaultCategories returns the reference server's default category folders
// and flags, in menu order, plus a folder for Episode III download quests.
// Names are what the game's own menus call these quest types; the
// descriptions are psobox's.
func DefaultCategories() []Category {
	const story = FlagNormal | FlagEpisodeFilter
	return []Category{
		{Flags: 0, Dir: "hidden", Name: "Hidden", Description: "Not listed in any menu"},
		{Flags: story, Dir: "government-console-ep1", Name: "Hero in Red", Description: "Episode 1 story quests"},
		{Flags: story, Dir: "government-console-ep2", Name: "The Military's Hero", Description: "Episode 2 story quests"},
		{Flags: story, Dir: "retrieval", Name: "Retrieval", Description: "Find and bring back\nan item"},
		{Flags: story, Dir: "extermination", Name: "Extermination", Description: "Clear out the\nmonsters"},
		{Flags: story, Dir: "events", Name: "Events", Description: "Seasonal and event\nquests"},
		{Flags: story, Dir: "shops", Name: "Shops", Description: "Quests with shops"},
		{Flags: story, Dir: "vr", Name: "Virtual Reality", Description: "Quests in a\nsimulator"},
		{Flags: story, Dir: "tower", Name: "Control Tower", Description: "Quests in the\nControl Tower"},
		{Flags: story, Dir: "team", Name: "Team", Description: "Quests for a team"},
		{Flags: FlagBattle, Dir: "battle", Name: "Battle", Description: "Battle rule sets"},
		{Flags: FlagChallenge, Dir: "challenge-ep1", Name: "Challenge (Episode 1)", Description: "Episode 1 challenges"},
		{Flags: FlagChallenge, Dir: "challenge-solo-ep1", Name: "Solo Challenge (Episode 1)", Description: "Episode 1 challenges\nfor one player"},
		{Flags: FlagChallenge | FlagEp2Challenge, Dir: "challenge-ep2", Name: "Challenge (Episode 2)", Description: "Episode 2 challenges"},
		{Flags: FlagChallenge | FlagEp2Challenge, Dir: "challenge-solo-ep2", Name: "Solo Challenge (Episode 2)", Description: "Episode 2 challenges\nfor one player"},
		{Flags: FlagSolo | FlagEpisodeFilter, Dir: "solo-story", Name: "Story", Description: "Story quests for\none player"},
		{Flags: FlagSolo | FlagEpisodeFilter, Dir: "solo-extra", Name: "Solo", Description: "Quests for one player"},
		{Flags: FlagGovernment, Dir: "government-ep1", Name: "Hero in Red", Description: "Episode 1 story quests"},
		{Flags: FlagGovernment, Dir: "government-ep2", Name: "The Military's Hero", Description: "Episode 2 story quests"},
		{Flags: FlagGovernment, Dir: "government-ep4", Name: "The Meteor Impact Incident", Description: "Episode 4 story quests"},
		{Flags: FlagDownload, Dir: "download", Name: "Download", Description: "Quests to save to\nthe memory card"},
		{Flags: FlagDownload, Dir: "download-ep3", Name: "Download", Description: "Episode III quests to\nsave to the memory card"},
	}
}

// numberCategories gives each category its menu id and checks that folders
// are unique, so that a file belongs to exactly one category.
func numberCategories(in []Category) ([]*Category, error) {
	out := make([]*Category, len(in))
	seen := map[string]bool{}
	for i, c := range in {
		if c.Dir == "" || seen[c.Dir] {
			return nil, fmt.Errorf("quest category %d: folder %q is empty or used twice", i+1, c.Dir)
		}
		seen[c.Dir] = true
		c.ID = uint32(i + 1)
		out[i] = &c
	}
	return out, nil
}
