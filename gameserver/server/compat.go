package server

import (
	"fmt"

	"github.com/psobox/psobox/gameserver/wire"
)

// versionSet is a set of client versions, one bit per wire.Version (the
// numbering of the reference server's CompatibilityGroups masks).
type versionSet uint16

func setOf(vs ...wire.Version) versionSet {
	var s versionSet
	for _, v := range vs {
		s |= 1 << v
	}
	return s
}

func (s versionSet) has(v wire.Version) bool { return v < 16 && s&(1<<v) != 0 }

// compatGroups are the reference server's default compatibility groups:
// DC v1, DC v2 and PC play together, GameCube and Xbox play together. Every
// other version (the trial editions, 11/2000, Episode III) plays only with
// itself.
var compatGroups = []versionSet{
	setOf(wire.DCV1, wire.DCV2, wire.PCV2),
	setOf(wire.GCV3, wire.XBV3),
}

// compatGroup is the set of versions that may join a game v created.
func compatGroup(v wire.Version) versionSet {
	for _, g := range compatGroups {
		if g.has(v) {
			return g
		}
	}
	return setOf(v)
}

// groupLabel names a game's compatibility group for players and the status
// page.
func groupLabel(creator wire.Version) string {
	switch {
	case compatGroup(creator).has(wire.DCV2):
		return "DC/PC"
	case compatGroup(creator).has(wire.GCV3):
		return "GC/Xbox"
	}
	switch creator {
	case wire.GCEp3:
		return "Ep3"
	case wire.GCEp3NTE:
		return "Ep3 trial"
	case wire.DCNTE:
		return "DC NTE"
	case wire.DC112000:
		return "DC 11/2000"
	case wire.PCNTE:
		return "PC NTE"
	case wire.GCNTE:
		return "GC trial"
	case wire.BBV4:
		return "BB"
	}
	return creator.String()
}

var (
	preV1Versions = setOf(wire.DCNTE, wire.DC112000)
	v1Family      = setOf(wire.DCNTE, wire.DC112000, wire.DCV1)
	ep3Versions   = setOf(wire.GCEp3NTE, wire.GCEp3)
)

// allowedVersions applies the rules that hold whatever the groups say:
// the v1 family cannot play Ultimate, Challenge, Solo or v2-only games, the
// prototypes cannot play Battle, Episode II needs a V3 console (or BB) and
// Episode III plays only with Episode III.
func allowedVersions(s *gameSettings) versionSet {
	set := compatGroup(s.creator)
	switch {
	case !s.allowV1 || s.difficulty == difficultyUltimate || s.mode == modeChallenge || s.mode == modeSolo:
		set &^= v1Family
	case s.mode == modeBattle:
		set &^= preV1Versions
	}
	switch s.episode {
	case 1:
		set &^= ep3Versions
	case 2:
		for v := range wire.Version(16) {
			if v.IsV1() || v.IsV2() || v.IsEp3() {
				set &^= setOf(v)
			}
		}
	case 3:
		set &= ep3Versions
	}
	return set
}

// versionRefusal explains to a player of version v why it cannot join a
// game, in words a player understands; "" if the version may join.
func versionRefusal(s *gameSettings, v wire.Version) string {
	if s.allowed.has(v) {
		return ""
	}
	if !compatGroup(s.creator).has(v) {
		return fmt.Sprintf("Your version of PSO\ncannot join this game.\nIt is for %s.", groupLabel(s.creator))
	}
	return ruleRefusal(s, v)
}

// ruleRefusal names the game rule that keeps version v out.
func ruleRefusal(s *gameSettings, v wire.Version) string {
	name := versionName(v)
	switch {
	case v.IsV1() && s.difficulty == difficultyUltimate:
		return "This game is in Ultimate mode:\n" + name + " cannot join."
	case v.IsV1() && s.mode == modeChallenge:
		return "This game is in Challenge mode:\n" + name + " cannot join."
	case v.IsV1() && s.mode == modeBattle:
		return "This game is in Battle mode:\n" + name + " cannot join."
	case v.IsV1() && !s.allowV1:
		return "This game is for\nDC v2 and PC only."
	case s.episode == 2:
		return "This is an Episode II game:\n" + name + " cannot join."
	}
	return "Your version of PSO\ncannot join this game."
}

// versionName is how messages name a version.
func versionName(v wire.Version) string {
	switch v {
	case wire.DCNTE:
		return "DC NTE"
	case wire.DC112000:
		return "DC 11/2000"
	case wire.DCV1:
		return "DC v1"
	case wire.DCV2:
		return "DC v2"
	case wire.PCV2, wire.PCNTE:
		return "PC"
	case wire.GCNTE:
		return "the GC trial"
	}
	return v.String()
}
