package server

import (
	"encoding/binary"
	"slices"

	"github.com/psobox/psobox/gameserver/wire"
)

// A few relayed subcommands differ in layout between versions that play
// together, and are rewritten for each receiver like the reference server
// does: guild cards (6x06) are rebuilt in the receiver's layout, the quest
// flags a leader sends a joiner (6x6F) are 0x180 bytes on DC v1 and 0x200
// later (v1 has no Ultimate), and a player's state (6x70) carries three
// more words on Xbox than on GameCube, whose mags also store their second
// data word byte-swapped. Items in other subcommands are relayed as they
// are: translating them between DC v1, v2 and PC needs the item tables of
// the game, which psobox does not ship.

// GameCube's and Xbox's player state (6x70): sizes, and where the
// inventory is.
const (
	playerStateGC   = 0x494
	playerStateXB   = 0x4A0
	stateItemCount  = 0x144
	stateItems      = 0x148
	inventoryItem   = 0x1C
	itemClassAt     = 8    // ItemData.data1[0] within an inventory item
	itemData2At     = 0x18 // ItemData.data2 within an inventory item
	itemClassMag    = 0x02
	inventorySlots  = 30
	questFlagsShort = 0x180 // DC v1: no Ultimate
)

// transcodeFor rewrites it for receiver version mv when their layouts
// differ; the bool is false when mv cannot receive it. Rare paths: they may
// allocate.
func (it *relayItem) transcodeFor(mv wire.Version) ([]byte, bool) {
	switch it.final {
	case 0x06:
		return it.guildCardFor(mv)
	case 0x6F:
		return it.questFlagsFor(mv), true
	case 0x70:
		if gcXboxPair(it.from, mv) {
			return it.playerStateFor(mv), true
		}
	}
	return it.sub, true
}

// needsTranscode reports whether the subcommand's layout differs between
// the sender's version and mv.
func (it *relayItem) needsTranscode(mv wire.Version) bool {
	switch {
	case !it.known || mv == it.from:
		return false
	case it.final == 0x06:
		return true
	case it.final == 0x6F:
		return questFlagsLen(it.from) != questFlagsLen(mv)
	case it.final == 0x70:
		return gcXboxPair(it.from, mv)
	}
	return false
}

func gcXboxPair(a, b wire.Version) bool {
	return (a == wire.GCV3 && b == wire.XBV3) || (a == wire.XBV3 && b == wire.GCV3)
}

func questFlagsLen(v wire.Version) int {
	switch {
	case v.IsV1():
		return questFlagsShort
	case v.IsEp3():
		return 0x400
	case v == wire.BBV4:
		return 0x204
	}
	return 0x200
}

// questFlagsFor resizes the quest flags: v1's lack Ultimate's, which are
// cleared for later versions and dropped for v1.
func (it *relayItem) questFlagsFor(mv wire.Version) []byte {
	n := questFlagsLen(mv)
	body := it.sub.Body()
	out := append(it.scratch[:0], it.sub[0], byte((4+n)/4), it.sub[2], it.sub[3])
	out = append(out, body[:min(n, len(body))]...)
	out = append(out, make([]byte, n-min(n, len(body)))...)
	it.scratch = out
	return out
}

// playerStateFor converts a 6x70 between GameCube and Xbox: the Xbox
// words (user ID and one unknown) are dropped or added as zero, and mags
// get their second data word swapped.
func (it *relayItem) playerStateFor(mv wire.Version) []byte {
	n := playerStateGC
	if mv == wire.XBV3 {
		n = playerStateXB
	}
	out := append(it.scratch[:0], it.sub[:min(n, len(it.sub))]...)
	out = append(out, make([]byte, n-len(out))...)
	binary.LittleEndian.PutUint32(out[4:], uint32(n))
	count := min(int(binary.LittleEndian.Uint32(out[stateItemCount:])), inventorySlots)
	for i := range count {
		item := out[stateItems+i*inventoryItem:]
		if item[itemClassAt] == itemClassMag {
			slices.Reverse(item[itemData2At : itemData2At+4])
		}
	}
	it.scratch = out
	return out
}

// guildCardFor rebuilds a guild card in mv's layout.
func (it *relayItem) guildCardFor(mv wire.Version) ([]byte, bool) {
	m, err := wire.DecodeSubcommand(it.from, it.sub)
	card, ok := m.(*wire.SubGuildCard)
	if err != nil || !ok {
		return nil, false
	}
	out := &wire.SubGuildCard{SubHeader: card.SubHeader, Card: wire.NewGuildCard(mv, card.Card.Info(it.from))}
	b, err := wire.AppendSubcommand(it.scratch[:0], mv, out)
	if err != nil {
		return nil, false
	}
	it.scratch = b
	return b, true
}
