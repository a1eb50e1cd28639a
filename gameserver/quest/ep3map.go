package quest

import (
	"encoding/binary"

	"github.com/psobox/psobox/gameserver/wire/text"
)

// ep3MapLayout locates the text of an Episode III map definition, the form
// Episode III download quests take (.mnm). Final and trial editions differ
// in size; each is recognised by its exact decompressed size.
type ep3MapLayout struct {
	nameOff, locationOff, questOff int
	descriptionOff                 int
}

func ep3MapLayoutFor(size int) (ep3MapLayout, bool) {
	switch size {
	case 0x5A18:
		return ep3MapLayout{nameOff: 0x1DF0, locationOff: 0x1E04, questOff: 0x1E18, descriptionOff: 0x1E54}, true
	case 0x41A0:
		return ep3MapLayout{nameOff: 0x1DE8, locationOff: 0x1DFC, questOff: 0x1E10, descriptionOff: 0x1E4C}, true
	}
	return ep3MapLayout{}, false
}

// parseEp3Map reads an Episode III map definition: its quest name (the map
// name when that is empty), location and description. The map number is a
// big-endian u32 at offset 4; the header keeps its low 16 bits.
func parseEp3Map(data []byte, lang text.Language) (Header, bool) {
	l, ok := ep3MapLayoutFor(len(data))
	if !ok {
		return Header{}, false
	}
	field := func(off, n int) string { return text.Decode(text.Marked, data[off:off+n], lang) }
	h := Header{
		Size:             uint32(len(data)),
		Number:           uint16(binary.BigEndian.Uint32(data[4:])),
		Name:             field(l.questOff, 0x3C),
		ShortDescription: field(l.locationOff, 0x14),
		LongDescription:  field(l.descriptionOff, 0x190),
		Episode:          Episode3,
	}
	if h.Name == "" {
		h.Name = field(l.nameOff, 0x14)
	}
	return h, true
}
