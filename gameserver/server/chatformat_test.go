package server

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// The chat payloads each receiver gets, byte for byte, as the reference
// server sent them in the recorded sessions (name, tab, marker, text).
func TestChatPayloadPerReceiver(t *testing.T) {
	line := &chatLine{guildCard: 0x171FB11E, name: "Tali", slot: 0, text: "omg u hacc"}
	tests := []struct {
		v    wire.Version
		lang text.Language
		want []byte
	}{
		{wire.GCV3, text.Japanese, []byte("Tali\t\tJomg u hacc\x00\x00\x00")},
		{wire.DCV1, text.English, []byte("Tali\t\tEomg u hacc\x00\x00\x00")},
		{wire.PCV2, text.English, utf16le("Tali\t\tEomg u hacc\x00")},
		{wire.DCNTE, text.Japanese, []byte("Tali>0omg u hacc\x00\x00\x00\x00")},
	}
	for _, tc := range tests {
		got := appendChatPayload(nil, tc.v, tc.lang, line, false, false)
		want := append(binary.LittleEndian.AppendUint32(make([]byte, 4), line.guildCard), tc.want...)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%v %v (-want +got):\n%s", tc.v, tc.lang, diff)
		}
	}
}

func utf16le(s string) []byte {
	var b []byte
	for _, r := range s {
		b = binary.LittleEndian.AppendUint16(b, uint16(r))
	}
	return b
}

// FuzzChatPayload: any line encodes for every receiver into a payload the
// receiver can decode: padded to 4, terminated, and reading back as the
// speaker's text wherever the receiver's character sets can hold it.
func FuzzChatPayload(f *testing.F) {
	f.Add("Tali", "omg u hacc", uint8(0), uint8(3), byte(0))
	f.Add("ユキ", "こんにちは", uint8(1), uint8(11), byte(0x05))
	f.Add("Dré", "Bonjour à tous \tC6", uint8(2), uint8(7), byte(0))
	f.Add("", "\x00", uint8(0), uint8(2), byte(0xFF))
	f.Fuzz(func(t *testing.T, name, said string, lang, version uint8, mask byte) {
		if !utf8.ValidString(said) || !utf8.ValidString(name) || strings.ContainsRune(said+name, 0) {
			return
		}
		v := wire.AllVersions()[int(version)%len(wire.AllVersions())]
		if v.IsPatch() {
			return
		}
		l := text.Language(lang % 8)
		line := &chatLine{guildCard: 7, name: name, text: said, mask: mask}
		p := appendChatPayload(nil, v, l, line, mask != 0 && v.IsEp3(), false)
		if len(p)%4 != 0 || len(p) < 12 {
			t.Fatalf("%v payload of %d bytes", v, len(p))
		}
		name2, text2 := readChat(v, l, p[8:], mask != 0 && v.IsEp3())
		if v != wire.DCNTE && fitsCharset(name, l.Charset()) && !v.UsesUTF16() && name2 != plainName(name, false) {
			t.Errorf("%v reads name %q as %q", v, name, name2)
		}
		if readable(said, v, l) && text2 != said {
			t.Errorf("%v %v reads %q as %q (payload %X)", v, l, said, text2, p)
		}
	})
}

// readable: the receiver's encodings can hold the whole text (and the
// text cannot be mistaken for the name separator or a marker).
func readable(s string, v wire.Version, l text.Language) bool {
	if strings.ContainsAny(s, "\t>") || strings.HasPrefix(s, "\t") {
		return false
	}
	if v.UsesUTF16() {
		return !strings.ContainsFunc(s, func(r rune) bool { return r >= 0xD800 && r < 0xE000 || r == utf8.RuneError })
	}
	if v == wire.DCNTE {
		return fitsCharset(s, l.Charset())
	}
	return fitsCharset(s, text.Latin1) || fitsCharset(s, text.ShiftJIS)
}

// readChat splits a chat payload's text as a client does.
func readChat(v wire.Version, l text.Language, raw []byte, withMask bool) (name, said string) {
	if v.UsesUTF16() {
		for i := 0; i+1 < len(raw); i += 2 {
			if raw[i] == '\t' && raw[i+1] == 0 {
				return text.Decode(text.UTF16, raw[:i], l), text.Decode(text.UTF16Marked, raw[i+2:], l)
			}
		}
		return "", ""
	}
	sep := byte('\t')
	if v == wire.DCNTE {
		sep = '>'
	}
	i := bytes.IndexByte(raw, sep)
	if i < 0 {
		return "", ""
	}
	rest := raw[i+1:]
	if v == wire.DCNTE || withMask {
		rest = rest[1:]
	}
	return text.Decode(text.Marked, raw[:i], l), text.Decode(text.Marked, rest, l)
}

// fitsCharset reports whether every character of s survives enc: the
// fuzz target's own oracle, by round trip.
func fitsCharset(s string, enc text.Encoding) bool {
	for _, r := range s {
		if r >= 0x80 && !roundTrips(r, enc) {
			return false
		}
	}
	return true
}

// roundTrips encodes one character and decodes it back.
func roundTrips(r rune, enc text.Encoding) bool {
	var buf [8]byte
	s := string(r)
	return text.Decode(enc, text.Append(buf[:0], enc, s, text.English), text.English) == s
}
