package server

import (
	"encoding/binary"
	"strings"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// Chat text on the wire, per receiver (what real clients send and the
// reference server forwarded, in the recorded sessions):
//
//   - DC NTE: "name>S" and the text, S the speaker's slot in hex, all in
//     the receiver's own character set, no language marker.
//   - DC 11/2000, v1, v2, GC, Episode III, Xbox: "name", a tab, a language
//     marker (tab-E Latin-1, tab-J Shift-JIS) and the text. The marker is
//     the receiver's own character set when the text fits it, else the
//     other one. The name carries no marker: it is in the receiver's own
//     set. In Episode III's CARD lobbies the speaker's private mask byte
//     sits between the tab and the marker.
//   - PC: the same in UTF-16LE, with tab-E or tab-J before the text.
//
// Each is NUL-terminated and padded to 4 bytes; the 06 header carries the
// speaker's guild card number.

// chatKind is the text layout a receiver version reads.
type chatKind uint8

const (
	chatNTE    chatKind = iota // DC NTE: "name>S" and text, no marker
	chatMarked                 // single-byte text behind a tab-E / tab-J marker
	chatUTF16                  // PC: UTF-16LE behind a tab-E / tab-J marker
)

func chatKindOf(v wire.Version) chatKind {
	switch {
	case v == wire.DCNTE:
		return chatNTE
	case v.UsesUTF16():
		return chatUTF16
	}
	return chatMarked
}

// chatFormats is the number of distinct chat payloads one line can need:
// layout x Japanese or not x private mask shown or not x whispered or not.
const chatFormats = 3 * 2 * 2 * 2

// chatFormat numbers the payload a receiver gets, so a line is encoded
// once per format rather than once per receiver.
func chatFormat(rv wire.Version, lang text.Language, withMask, whisper bool) int {
	k := int(chatKindOf(rv)) * 8
	if lang == text.Japanese {
		k += 4
	}
	if withMask {
		k += 2
	}
	if whisper {
		k++
	}
	return k
}

// whisperText replaces a line for the players an Episode III private
// message hides it from.
const whisperText = "(whisper)"

// chatLine is one line said in a lobby, decoded.
type chatLine struct {
	guildCard uint32
	name      string
	slot      uint8
	text      string
	mask      byte // Episode III private mask (CARD lobbies); 0 = everyone
}

// appendChatPayload appends the 06 payload of line for a receiver of
// version rv and language lang.
func appendChatPayload(dst []byte, rv wire.Version, lang text.Language, line *chatLine, withMask, whisper bool) []byte {
	start := len(dst)
	dst = binary.LittleEndian.AppendUint32(dst, 0)
	dst = binary.LittleEndian.AppendUint32(dst, line.guildCard)
	msg, name := line.text, plainName(line.name, chatKindOf(rv) == chatNTE)
	if whisper {
		msg = whisperText
	}
	own := lang.Charset()
	switch chatKindOf(rv) {
	case chatNTE:
		dst = text.Append(dst, own, name, lang)
		dst = append(dst, '>', hexDigit(line.slot))
		dst = text.Append(dst, own, msg, lang)
		dst = append(dst, 0)
	case chatUTF16:
		dst = text.Append(dst, text.UTF16, name, lang)
		dst = text.Append(dst, text.UTF16, "\t", lang)
		dst = text.Append(dst, text.UTF16, text.MarkerFor(msg, lang), lang)
		dst = text.Append(dst, text.UTF16, msg, lang)
		dst = append(dst, 0, 0)
	default:
		dst = text.Append(dst, own, name, lang)
		dst = append(dst, '\t')
		if withMask {
			dst = append(dst, line.mask)
		}
		dst = appendMarked(dst, msg, lang)
		dst = append(dst, 0)
	}
	for (len(dst)-start)%4 != 0 {
		dst = append(dst, 0)
	}
	return dst
}

// plainName keeps a name from ending early: a tab (DC NTE: '>')
// separates it from the text, and a name with one (from a modified client)
// would shift the text.
func plainName(s string, nte bool) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || (nte && r == '>') {
			return ' '
		}
		return r
	}, s)
}

// appendMarked appends s behind its language marker (text.MarkerFor) in
// that marker's character set.
func appendMarked(dst []byte, s string, lang text.Language) []byte {
	m := text.MarkerFor(s, lang)
	dst = append(dst, m...)
	enc := text.Latin1
	if m == "\tJ" {
		enc = text.ShiftJIS
	}
	return text.Append(dst, enc, s, lang)
}

func hexDigit(n uint8) byte {
	const digits = "0123456789ABCDEF"
	return digits[n&0x0F]
}
