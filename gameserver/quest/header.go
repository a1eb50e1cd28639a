package quest

import (
	"encoding/binary"
	"fmt"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// Episode is a game episode; the numbering is the clients' (1, 2, 3, 4).
type Episode uint8

// Episodes. EpisodeAny in a Filter disables episode filtering.
const (
	EpisodeAny Episode = 0
	Episode1   Episode = 1
	Episode2   Episode = 2
	Episode3   Episode = 3
	Episode4   Episode = 4
)

// Header is what psobox reads from the start of a decompressed quest script.
// All layouts begin with the offsets of the code and of the function table
// and the script's total size.
type Header struct {
	CodeOffset          uint32
	FunctionTableOffset uint32
	Size                uint32 // the script's own idea of its decompressed size
	Number              uint16 // the header's quest number (the file name's wins)
	Language            text.Language
	HasLanguage         bool // DC v1 and later, except BB, store a language byte
	Name                string
	ShortDescription    string
	LongDescription     string
	Episode             Episode
	Joinable            bool  // BB only; other versions take it from metadata
	MaxPlayers          uint8 // BB only; 0 means no limit (4)
}

// headerLayout locates the fields of one version's header.
type headerLayout struct {
	size                int
	nameOff, nameLen    int
	shortOff, shortLen  int
	longOff, longLen    int
	enc                 text.Encoding
	languageOff         int // -1: none
	numberOff           int
	episodeOff, flagOff int // BB: episode, max players, joinable; -1 elsewhere
}

func layoutFor(v wire.Version) (headerLayout, error) {
	switch {
	case v == wire.DCNTE:
		return headerLayout{size: 0x20, nameOff: 0x10, nameLen: 0x10, enc: text.ShiftJIS,
			languageOff: -1, numberOff: -1, episodeOff: -1, flagOff: -1}, nil
	case v == wire.DC112000:
		return headerLayout{size: 0x1D0, nameOff: 0x10, nameLen: 0x20, shortOff: 0x30, shortLen: 0x80,
			longOff: 0xB0, longLen: 0x120, enc: text.Marked, languageOff: -1, numberOff: -1, episodeOff: -1, flagOff: -1}, nil
	case v.IsPC():
		return headerLayout{size: 0x394, nameOff: 0x14, nameLen: 0x40, shortOff: 0x54, shortLen: 0x100,
			longOff: 0x154, longLen: 0x240, enc: text.UTF16, languageOff: 0x10, numberOff: 0x12, episodeOff: -1, flagOff: -1}, nil
	case v == wire.BBV4:
		return headerLayout{size: 0x398, nameOff: 0x18, nameLen: 0x40, shortOff: 0x58, shortLen: 0x100,
			longOff: 0x158, longLen: 0x240, enc: text.UTF16, languageOff: -1, numberOff: 0x10, episodeOff: 0x14, flagOff: 0x15}, nil
	case v.IsDC() || v.IsGC() || v == wire.XBV3:
		return headerLayout{size: 0x1D4, nameOff: 0x14, nameLen: 0x20, shortOff: 0x34, shortLen: 0x80,
			longOff: 0xB4, longLen: 0x120, enc: text.Marked, languageOff: 0x10, numberOff: 0x12, episodeOff: -1, flagOff: -1}, nil
	}
	return headerLayout{}, fmt.Errorf("no quest script layout for %v", v)
}

// ParseHeader reads the header of a decompressed script for version v. lang
// (from the file name) decides how unmarked single-byte text is decoded.
// For Episode III, a map definition (the form of its download quests) is
// recognised by its size and read instead; it has no script offsets.
func ParseHeader(v wire.Version, script []byte, lang text.Language) (Header, error) {
	if h, ok := parseEp3Map(script, lang); ok && v.IsEp3() {
		return h, nil
	}
	l, err := layoutFor(v)
	if err != nil {
		return Header{}, err
	}
	if len(script) < l.size {
		return Header{}, fmt.Errorf("script is %d bytes, shorter than the %v header (%d)", len(script), v, l.size)
	}
	h := Header{
		CodeOffset:          binary.LittleEndian.Uint32(script[0:]),
		FunctionTableOffset: binary.LittleEndian.Uint32(script[4:]),
		Size:                binary.LittleEndian.Uint32(script[8:]),
		Episode:             Episode1,
		Name:                text.Decode(l.enc, script[l.nameOff:l.nameOff+l.nameLen], lang),
	}
	if l.shortLen > 0 {
		h.ShortDescription = text.Decode(l.enc, script[l.shortOff:l.shortOff+l.shortLen], lang)
		h.LongDescription = text.Decode(l.enc, script[l.longOff:l.longOff+l.longLen], lang)
	}
	if l.numberOff >= 0 {
		h.Number = binary.LittleEndian.Uint16(script[l.numberOff:])
	}
	if l.languageOff >= 0 {
		h.Language, h.HasLanguage = text.Language(script[l.languageOff]), true
	}
	if err := h.readEpisode(v, script, l); err != nil {
		return Header{}, err
	}
	return h, h.checkOffsets(len(script))
}

// readEpisode takes BB's episode and player fields from the header. GC and
// Xbox scripts choose their episode with the set_episode opcode; psobox
// recognises it as the first instruction of function 0, where quest
// editors put it. DC and PC have only Episode 1.
func (h *Header) readEpisode(v wire.Version, script []byte, l headerLayout) error {
	switch {
	case l.episodeOff >= 0:
		ep, err := bbEpisode(script[l.episodeOff])
		if err != nil {
			return err
		}
		h.Episode, h.MaxPlayers, h.Joinable = ep, script[l.flagOff], script[l.flagOff+1] != 0
	case v.IsEp3():
		h.Episode = Episode3
	case v.IsV3():
		h.Episode = scriptEpisode(script, h.CodeOffset, h.FunctionTableOffset)
	}
	return nil
}

func bbEpisode(b byte) (Episode, error) {
	switch b {
	case 0, 0xFF:
		return Episode1, nil
	case 1:
		return Episode2, nil
	case 2:
		return Episode4, nil
	}
	return 0, fmt.Errorf("header episode byte 0x%02X is not 0, 1 or 2", b)
}

func scriptEpisode(script []byte, codeOff, tableOff uint32) Episode {
	if uint64(tableOff)+4 > uint64(len(script)) {
		return Episode1
	}
	start := uint64(codeOff) + uint64(binary.LittleEndian.Uint32(script[tableOff:]))
	// F8 BC is the V3 set_episode instruction; a little-endian u32 follows.
	if start+6 > uint64(len(script)) || script[start] != 0xF8 || script[start+1] != 0xBC {
		return Episode1
	}
	if binary.LittleEndian.Uint32(script[start+2:]) == 1 {
		return Episode2
	}
	return Episode1
}

func (h *Header) checkOffsets(size int) error {
	if uint64(h.CodeOffset) > uint64(size) || uint64(h.FunctionTableOffset) > uint64(size) {
		return fmt.Errorf("code offset 0x%X or function table offset 0x%X is beyond the %d-byte script",
			h.CodeOffset, h.FunctionTableOffset, size)
	}
	return nil
}

// SetHeaderLanguage returns a copy of script with its header language byte
// set to lang, for versions whose header has one. Download quests get the
// requesting client's language this way.
func SetHeaderLanguage(v wire.Version, script []byte, lang text.Language) ([]byte, error) {
	l, err := layoutFor(v)
	if err != nil {
		return nil, err
	}
	if len(script) < l.size {
		return nil, fmt.Errorf("script is %d bytes, shorter than the %v header (%d)", len(script), v, l.size)
	}
	out := append([]byte(nil), script...)
	if l.languageOff >= 0 {
		out[l.languageOff] = byte(lang)
	}
	return out, nil
}
