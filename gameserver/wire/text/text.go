package text

import (
	"encoding/binary"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Encoding is the byte encoding of one text field.
type Encoding uint8

// The encodings PSO text fields use.
const (
	ASCII       Encoding = iota + 1 // 7-bit ASCII (serial numbers, file names)
	Latin1                          // ISO-8859-1
	ShiftJIS                        // Sega's Shift-JIS
	Marked                          // Latin-1 or Shift-JIS, picked by a leading tab-E / tab-J or the language
	UTF16                           // UTF-16LE
	UTF16Marked                     // UTF-16LE that starts with a tab and a language marker
)

func (e Encoding) String() string {
	switch e {
	case ASCII:
		return "ASCII"
	case Latin1:
		return "ISO-8859-1"
	case ShiftJIS:
		return "Shift-JIS"
	case Marked:
		return "marked"
	case UTF16:
		return "UTF-16LE"
	case UTF16Marked:
		return "marked UTF-16LE"
	}
	return fmt.Sprintf("Encoding(%d)", uint8(e))
}

// UnitSize is the size in bytes of one code unit: 2 for UTF-16, 1 otherwise.
func (e Encoding) UnitSize() int {
	if e == UTF16 || e == UTF16Marked {
		return 2
	}
	return 1
}

// Decode returns the text in b up to the first NUL unit. For marked text a
// leading language marker picks the encoding and is removed.
func Decode(e Encoding, b []byte, lang Language) string {
	if e.UnitSize() == 2 {
		return decodeUTF16(b, e == UTF16Marked)
	}
	b = b[:Len(e, b)]
	switch e {
	case ShiftJIS:
		return decodeSJIS(b)
	case Marked:
		return decodeMarked(b, lang)
	case ASCII:
		return decodeASCII(b)
	}
	return decodeLatin1(b)
}

// Len returns the length in bytes of the text in b before the first NUL unit.
func Len(e Encoding, b []byte) int {
	if e.UnitSize() == 2 {
		for i := 0; i+1 < len(b); i += 2 {
			if b[i] == 0 && b[i+1] == 0 {
				return i
			}
		}
		return len(b) &^ 1
	}
	for i, c := range b {
		if c == 0 {
			return i
		}
	}
	return len(b)
}

func decodeMarked(b []byte, lang Language) string {
	if len(b) >= 2 && b[0] == '\t' && (b[1] == 'J' || b[1] == 'E') {
		if b[1] == 'J' {
			return decodeSJIS(b[2:])
		}
		return decodeLatin1(b[2:])
	}
	if lang == Japanese {
		return decodeSJIS(b)
	}
	return decodeLatin1(b)
}

func decodeASCII(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b))
	for _, c := range b {
		if c >= 0x80 {
			sb.WriteRune(utf8.RuneError)
		} else {
			sb.WriteByte(c)
		}
	}
	return sb.String()
}

func decodeLatin1(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b))
	for _, c := range b {
		sb.WriteRune(rune(c))
	}
	return sb.String()
}

func decodeSJIS(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b))
	for len(b) > 0 {
		r, n := decodeSJISRune(b)
		sb.WriteRune(r)
		b = b[n:]
	}
	return sb.String()
}

func decodeUTF16(b []byte, stripMarker bool) string {
	n := Len(UTF16, b) / 2
	if stripMarker && n >= 2 && binary.LittleEndian.Uint16(b) == '\t' && isLanguageMarker(binary.LittleEndian.Uint16(b[2:])) {
		b, n = b[4:], n-2
	}
	var sb strings.Builder
	sb.Grow(n)
	for i := 0; i < n; i++ {
		u := rune(binary.LittleEndian.Uint16(b[2*i:]))
		if utf16.IsSurrogate(u) && i+1 < n {
			if r := utf16.DecodeRune(u, rune(binary.LittleEndian.Uint16(b[2*i+2:]))); r != utf8.RuneError {
				sb.WriteRune(r)
				i++
				continue
			}
		}
		sb.WriteRune(u) // a lone surrogate is written as U+FFFD
	}
	return sb.String()
}

func isLanguageMarker(u uint16) bool {
	switch u {
	case 'E', 'J', 'B', 'T', 'K':
		return true
	}
	return false
}
