package quest

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// Index is the loaded quest directory. It does not change after Load and
// may be read from any number of goroutines.
type Index struct {
	categories []*Category
	quests     map[uint32]*Quest
	byCategory map[uint32][]*Quest // sorted by quest number
	problems   []Problem
}

// Problem is a file that was skipped at load, and why.
type Problem struct {
	File string // path inside the quest directory, e.g. "retrieval/q058-gc-e.bin"
	Err  error
}

func (p Problem) String() string { return fmt.Sprintf("%s: %v", p.File, p.Err) }

// Filter selects what a client may see in a quest menu.
type Filter struct {
	Version  wire.Version
	Language text.Language // preferred; other languages stand in when missing
	Menu     Menu
	// Episode is the game's episode; categories with FlagEpisodeFilter then
	// list only that episode's quests. EpisodeAny lists all.
	Episode Episode
	// Others are the versions of the other players in the game: a quest
	// is listed only if each of them can load it too.
	Others []wire.Version
}

// Categories returns the categories of menu f.Menu that list at least one
// quest for f, in menu order.
func (x *Index) Categories(f Filter) []*Category {
	var out []*Category
	for _, c := range x.categories {
		if c.In(f.Menu) && len(x.Quests(c.ID, f)) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// Quests returns the quests of a category as f's client sees them, in
// quest-number order: each in f.Language or its stand-in.
func (x *Index) Quests(categoryID uint32, f Filter) []*Variant {
	c := x.Category(categoryID)
	if c == nil {
		return nil
	}
	var out []*Variant
	for _, q := range x.byCategory[categoryID] {
		if c.Flags&FlagEpisodeFilter != 0 && f.Episode != EpisodeAny && q.Episode != f.Episode {
			continue
		}
		if v := q.Variant(f.Version, f.Language); v != nil && q.loadableBy(f.Others) {
			out = append(out, v)
		}
	}
	return out
}

func (q *Quest) loadableBy(versions []wire.Version) bool {
	for _, v := range versions {
		if !q.HasVersion(v) {
			return false
		}
	}
	return true
}

// Category returns the category with menu id id, or nil.
func (x *Index) Category(id uint32) *Category {
	if id == 0 || int(id) > len(x.categories) {
		return nil
	}
	return x.categories[id-1]
}

// AllCategories returns every configured category, with or without quests.
func (x *Index) AllCategories() []*Category { return slices.Clone(x.categories) }

// Quest returns the quest with this number, or nil.
func (x *Index) Quest(number uint32) *Quest { return x.quests[number] }

// Len is the number of quests loaded.
func (x *Index) Len() int { return len(x.quests) }

// Problems lists the files skipped at load.
func (x *Index) Problems() []Problem { return slices.Clone(x.problems) }

// finish builds the per-category lists once every quest is in.
func (x *Index) finish() {
	x.byCategory = map[uint32][]*Quest{}
	for _, q := range x.quests {
		x.byCategory[q.Category.ID] = append(x.byCategory[q.Category.ID], q)
	}
	for _, qs := range x.byCategory {
		slices.SortFunc(qs, func(a, b *Quest) int { return cmp.Compare(a.Number, b.Number) })
	}
}
