package client

import (
	"encoding/binary"
	"math"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// Offsets in the 0xD0-byte DC/PC/GC/Xbox disp block (wire.DispV123): stats,
// then the visual config (name, appearance, class), then options and
// technique levels. Only what a fresh level-1 character needs is filled in.
const (
	dispATP           = 0x00 // seven u16 stats: ATP MST EVP HP DFP ATA LCK
	dispAttackRange   = 0x10 // f32
	dispKnockback     = 0x14 // f32
	dispName          = 0x24 // 0x10 bytes, ASCII as the consoles write it
	dispNameColor     = 0x3C // u32 ARGB
	dispSectionID     = 0x54
	dispClass         = 0x55
	dispClassFlags    = 0x58 // u32
	dispLevel         = 0x18 // u32, 0-based
	dispTechLevels    = 0xBC // 0x14 bytes, 0xFF = not learned
	inventoryLanguage = 3
)

// Class flag bits of the visual config: the race, type and gender of each
// class, which the clients check against the class number.
const (
	flagMale    = 0x01
	flagFemale  = 0x02
	flagHuman   = 0x04
	flagNewman  = 0x08
	flagAndroid = 0x10
	flagHunter  = 0x20
	flagRanger  = 0x40
	flagForce   = 0x80
)

// classFlags is indexed by class: HUmar, HUnewearl, HUcast, RAmar, RAcast,
// RAcaseal, FOmarl, FOnewm, FOnewearl, then Episode I&II's HUcaseal, FOmar,
// RAmarl.
var classFlags = [12]uint32{
	flagHunter | flagHuman | flagMale, flagHunter | flagNewman | flagFemale, flagHunter | flagAndroid | flagMale,
	flagRanger | flagHuman | flagMale, flagRanger | flagAndroid | flagMale, flagRanger | flagAndroid | flagFemale,
	flagForce | flagHuman | flagFemale, flagForce | flagNewman | flagMale, flagForce | flagNewman | flagFemale,
	flagHunter | flagAndroid | flagFemale, flagForce | flagHuman | flagMale, flagRanger | flagHuman | flagFemale,
}

// NewPlayer builds the canonical character a bot plays: a level-1
// character with the given name, class (0-11) and section ID, modest stats,
// an empty inventory and no techniques.
func NewPlayer(name string, class, sectionID uint8, lang text.Language) wire.Player {
	p := wire.Player{Name: name, Language: lang, Class: class, SectionID: sectionID}
	p.Inventory[inventoryLanguage] = byte(lang)
	d := &p.Disp
	for i, stat := range []uint16{40, 20, 40, 20, 15, 25, 10} {
		binary.LittleEndian.PutUint16(d[dispATP+2*i:], stat)
	}
	binary.LittleEndian.PutUint32(d[dispAttackRange:], math.Float32bits(10))
	binary.LittleEndian.PutUint32(d[dispKnockback:], math.Float32bits(10))
	enc := text.ASCII
	if !isPrintableASCII(name) {
		enc = text.Marked
	}
	text.Put(d[dispName:dispName+0x10], enc, name, lang)
	binary.LittleEndian.PutUint32(d[dispNameColor:], 0xFFFFFFFF)
	d[dispSectionID], d[dispClass] = sectionID, class
	binary.LittleEndian.PutUint32(d[dispClassFlags:], classFlags[class%12])
	for i := dispTechLevels; i < len(d); i++ {
		d[i] = 0xFF
	}
	return p
}

func isPrintableASCII(s string) bool { return printable.all(s) }

// setLevel gives the character a level (1-200; 0 leaves level 1).
func setLevel(p *wire.Player, level uint32) {
	if level > 1 {
		p.Level = level - 1
		binary.LittleEndian.PutUint32(p.Disp[dispLevel:], level-1)
	}
}
