package text

import (
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
)

// sjisTables maps two-byte Shift-JIS codes to runes and back. They are built
// once from x/text's decoder (plus Sega's additions) and only read after.
type sjisTables struct {
	decode [0x80 * 0x100]rune // index (lead-0x80)<<8 | trail; 0 = not a character
	encode map[rune]uint16
}

var sjis = sync.OnceValue(buildSJIS)

// Sega's GC/Xbox fonts add a heart at F040, the PSO-font digits 0-9 at
// F041-F04A and letters A-Z at F04B-F064. They map to the closest Unicode
// symbols so that chat keeps them across versions.
func segaSJISRune(trail byte) rune {
	switch {
	case trail == 0x40:
		return 0x2665 // black heart suit
	case trail == 0x41:
		return 0x24EA // circled digit zero
	case trail <= 0x4A:
		return 0x2460 + rune(trail-0x42) // circled digits one to nine
	case trail <= 0x64:
		return 0x1D4D0 + rune(trail-0x4B) // script capitals
	}
	return 0
}

func buildSJIS() *sjisTables {
	t := &sjisTables{encode: make(map[rune]uint16, 8192)}
	dec := japanese.ShiftJIS.NewDecoder()
	var pair [2]byte
	out := make([]byte, 8)
	for lead := 0x81; lead <= 0xFC; lead++ {
		if lead >= 0xA0 && lead < 0xE0 {
			continue
		}
		for trail := 0x40; trail <= 0xFC; trail++ {
			if trail == 0x7F {
				continue
			}
			pair[0], pair[1] = byte(lead), byte(trail)
			r := rune(0)
			if lead == 0xF0 {
				r = segaSJISRune(byte(trail))
			}
			if r == 0 {
				n, _, err := dec.Transform(out, pair[:], true)
				if err != nil {
					continue
				}
				dr, size := utf8.DecodeRune(out[:n])
				if dr == utf8.RuneError || size != n {
					continue
				}
				r = dr
			}
			t.decode[(lead-0x80)<<8|trail] = r
			if _, dup := t.encode[r]; !dup {
				t.encode[r] = uint16(lead)<<8 | uint16(trail)
			}
		}
	}
	return t
}

func isSJISLead(b byte) bool { return (b >= 0x81 && b <= 0x9F) || b >= 0xE0 }

// decodeSJISRune returns the rune at the start of b and its length in bytes.
// Bytes that are not Shift-JIS become U+FFFD, one byte at a time.
func decodeSJISRune(b []byte) (rune, int) {
	c := b[0]
	switch {
	case c < 0x80:
		return rune(c), 1
	case c >= 0xA1 && c <= 0xDF:
		return 0xFF61 + rune(c-0xA1), 1 // half-width katakana
	case isSJISLead(c) && len(b) >= 2:
		if r := sjis().decode[int(c-0x80)<<8|int(b[1])]; r != 0 {
			return r, 2
		}
	}
	return utf8.RuneError, 1
}

// appendSJISRune encodes r, or reports false if Shift-JIS cannot hold it.
func appendSJISRune(dst []byte, r rune) ([]byte, bool) {
	switch {
	case r < 0x80:
		return append(dst, byte(r)), true
	case r >= 0xFF61 && r <= 0xFF9F:
		return append(dst, byte(r-0xFF61+0xA1)), true
	}
	code, ok := sjis().encode[r]
	if !ok {
		return dst, false
	}
	return append(dst, byte(code>>8), byte(code)), true
}
