package quest

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// Quest is one quest number with all the versions and languages loaded for
// it. Everything but the per-variant text must agree across variants.
type Quest struct {
	Number     uint32
	Category   *Category
	Episode    Episode
	Joinable   bool
	MaxPlayers uint8 // 0 or 4: no limit
	Meta       Metadata
	variants   []*Variant // sorted by version, then language
}

// Variant is a quest for one client version and language: the files sent
// to the client and the text shown in menus.
type Variant struct {
	Quest            *Quest
	Version          wire.Version
	Language         text.Language
	Name             string
	ShortDescription string
	LongDescription  string
	Header           Header
	Bin              []byte // PRS-compressed script, as in the file
	Dat              []byte // PRS-compressed map data; empty for Episode III
	PVR              []byte // optional image (download quests only)
	Files            string // the files it was loaded from, for logs
}

// Variants returns every variant of the quest.
func (q *Quest) Variants() []*Variant { return slices.Clone(q.variants) }

// HasVersion reports whether the quest exists for v in any language.
func (q *Quest) HasVersion(v wire.Version) bool {
	return slices.ContainsFunc(q.variants, func(x *Variant) bool { return x.Version == v })
}

// Variant returns the quest for v in lang, else in English, else in the
// first language it exists in for v; nil if it does not exist for v.
func (q *Quest) Variant(v wire.Version, lang text.Language) *Variant {
	var first, english *Variant
	for _, x := range q.variants {
		if x.Version != v {
			continue
		}
		switch {
		case x.Language == lang:
			return x
		case x.Language == text.English:
			english = x
		case first == nil:
			first = x
		}
	}
	if english != nil {
		return english
	}
	return first
}

// add joins a variant to the quest, refusing one that contradicts what
// the other variants say or duplicates a version and language.
func (q *Quest) add(x *Variant, cat *Category, ep Episode, joinable bool, maxPlayers uint8) error {
	if len(q.variants) > 0 {
		switch {
		case q.Category != cat:
			return fmt.Errorf("quest %d is already in category %q, this file is in %q", q.Number, q.Category.Dir, cat.Dir)
		case q.Episode != ep:
			return fmt.Errorf("quest %d is Episode %d elsewhere, Episode %d here", q.Number, q.Episode, ep)
		case q.Joinable != joinable:
			return fmt.Errorf("quest %d is joinable=%v elsewhere, %v here", q.Number, q.Joinable, joinable)
		case slices.ContainsFunc(q.variants, x.sameTarget):
			return fmt.Errorf("quest %d already has a %v %v version", q.Number, x.Version, x.Language)
		}
	}
	q.Category, q.Episode, q.Joinable = cat, ep, joinable
	q.MaxPlayers = max(q.MaxPlayers, maxPlayers)
	x.Quest = q
	q.variants = append(q.variants, x)
	slices.SortFunc(q.variants, func(a, b *Variant) int {
		return cmp.Or(cmp.Compare(a.Version, b.Version), cmp.Compare(a.Language, b.Language))
	})
	return nil
}

// sameTarget reports whether y is for the same version and language as x.
func (x *Variant) sameTarget(y *Variant) bool {
	return x.Version == y.Version && x.Language == y.Language
}
