package text

import (
	"encoding/binary"
	"unicode/utf16"
	"unicode/utf8"
)

// Append encodes s after dst, without a terminator. Characters the encoding
// cannot hold become '?'.
func Append(dst []byte, e Encoding, s string, lang Language) []byte {
	out, _ := encode(dst, -1, e, s, lang)
	return out
}

// Put encodes s into the fixed-width field and fills the rest with NULs. Text
// that does not fit is cut at a character boundary; Put reports whether that
// happened. A full field carries no terminator, as on the wire.
func Put(field []byte, e Encoding, s string, lang Language) (truncated bool) {
	out, truncated := encode(field[:0], len(field)&^(e.UnitSize()-1), e, s, lang)
	clear(field[len(out):])
	return truncated
}

// charset is the character set one run of text is encoded in.
type charset uint8

const (
	csASCII charset = iota
	csLatin1
	csSJIS
	csUTF16
)

// encode appends s to dst, stopping before the first character that would
// take dst beyond limit bytes (limit < 0: no limit).
func encode(dst []byte, limit int, e Encoding, s string, lang Language) ([]byte, bool) {
	var marker string
	cs := csLatin1
	switch e {
	case ASCII:
		cs = csASCII
	case ShiftJIS:
		cs = csSJIS
	case UTF16:
		cs = csUTF16
	case UTF16Marked:
		cs = csUTF16
		if !hasMarker(s) && s != "" {
			marker = "\t" + string(lang.Marker())
		}
	case Marked:
		marker, s, cs = pickMarked(s, lang)
	}
	w := runWriter{dst: dst, limit: limit}
	if marker != "" && !w.writeString(marker, csFor(cs)) {
		return w.dst, true
	}
	return w.dst, !w.writeString(s, cs)
}

func csFor(cs charset) charset {
	if cs == csUTF16 {
		return csUTF16
	}
	return csASCII
}

func hasMarker(s string) bool {
	return len(s) >= 2 && s[0] == '\t' && isLanguageMarker(uint16(s[1]))
}

// pickMarked chooses the character set of marked single-byte text: the one of
// an explicit leading marker, else the language's own if it holds every
// character, else the other one behind a marker.
func pickMarked(s string, lang Language) (marker, rest string, cs charset) {
	if len(s) >= 2 && s[0] == '\t' && (s[1] == 'J' || s[1] == 'E') {
		if s[1] == 'J' {
			return s[:2], s[2:], csSJIS
		}
		return s[:2], s[2:], csLatin1
	}
	marker, cs, own := singleByteCharset(s, lang)
	if own {
		return "", s, cs
	}
	return marker, s, cs
}

// MarkerFor is the language marker ("\tE" or "\tJ") a console of lang
// puts before s in single-byte text such as chat: its own character set's
// if s fits it, else the other one's if that fits.
func MarkerFor(s string, lang Language) string {
	marker, _, _ := singleByteCharset(s, lang)
	return marker
}

// singleByteCharset picks the character set for s read by a console of
// lang: its own if s fits it (or fits neither), else the other one.
func singleByteCharset(s string, lang Language) (marker string, cs charset, own bool) {
	ownCS, otherCS, ownMarker, otherMarker := csLatin1, csSJIS, "\tE", "\tJ"
	if lang == Japanese {
		ownCS, otherCS, ownMarker, otherMarker = otherCS, ownCS, otherMarker, ownMarker
	}
	if fits(s, ownCS) || !fits(s, otherCS) {
		return ownMarker, ownCS, true
	}
	return otherMarker, otherCS, false
}

func fits(s string, cs charset) bool {
	var scratch [4]byte
	for _, r := range s {
		if _, ok := appendRune(scratch[:0], r, cs); !ok {
			return false
		}
	}
	return true
}

// appendRune encodes one character, or reports that cs cannot hold it.
func appendRune(dst []byte, r rune, cs charset) ([]byte, bool) {
	if r == 0 || r == utf8.RuneError {
		return dst, false
	}
	switch cs {
	case csASCII:
		return append(dst, byte(r)), r < 0x80
	case csLatin1:
		return append(dst, byte(r)), r < 0x100
	case csSJIS:
		return appendSJISRune(dst, r)
	}
	if r >= 0x10000 {
		r1, r2 := utf16.EncodeRune(r)
		dst = binary.LittleEndian.AppendUint16(dst, uint16(r1))
		return binary.LittleEndian.AppendUint16(dst, uint16(r2)), true
	}
	if utf16.IsSurrogate(r) {
		return dst, false
	}
	return binary.LittleEndian.AppendUint16(dst, uint16(r)), true
}

type runWriter struct {
	dst   []byte
	limit int
}

// writeString reports false when it stopped early for lack of room.
func (w *runWriter) writeString(s string, cs charset) bool {
	var scratch [4]byte
	for _, r := range s {
		enc, ok := appendRune(scratch[:0], r, cs)
		if !ok {
			enc, _ = appendRune(scratch[:0], '?', cs)
		}
		if w.limit >= 0 && len(w.dst)+len(enc) > w.limit {
			return false
		}
		w.dst = append(w.dst, enc...)
	}
	return true
}
