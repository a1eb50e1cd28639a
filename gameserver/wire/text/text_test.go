package text

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		e    Encoding
		lang Language
		in   []byte
		want string
	}{
		{"ascii stops at NUL", ASCII, English, []byte("AB\x00CD"), "AB"},
		{"latin1", Latin1, English, []byte{'c', 0xE9, 0}, "cé"},
		{"marked english default", Marked, English, []byte{'c', 0xE9}, "cé"},
		{"marked japanese default", Marked, Japanese, []byte{0x82, 0xA0, 0}, "あ"},
		{"marked J marker", Marked, English, []byte{'\t', 'J', 0x82, 0xA0}, "あ"},
		{"marked E marker", Marked, Japanese, []byte{'\t', 'E', 0xE9}, "é"},
		{"colour code kept", Marked, English, []byte("\tC6hi"), "\tC6hi"},
		{"sega heart", ShiftJIS, Japanese, []byte{0xF0, 0x40}, "\u2665"},
		{"sega letter A", ShiftJIS, Japanese, []byte{0xF0, 0x4B}, "\U0001D4D0"},
		{"halfwidth katakana", ShiftJIS, Japanese, []byte{0xB1}, "\uFF71"},
		{"bad sjis", ShiftJIS, Japanese, []byte{0x81}, "\uFFFD"},
		{"utf16", UTF16, English, []byte{'h', 0, 'i', 0, 0, 0, 'x', 0}, "hi"},
		{"utf16 keeps marker", UTF16, English, []byte{'\t', 0, 'E', 0, 'a', 0}, "\tEa"},
		{"utf16 marked strips", UTF16Marked, English, []byte{'\t', 0, 'E', 0, 'a', 0}, "a"},
		{"utf16 surrogate pair", UTF16, English, []byte{0x35, 0xD8, 0xD0, 0xDC}, "\U0001D4D0"},
		{"utf16 odd tail", UTF16, English, []byte{'a', 0, 'b'}, "a"},
	}
	for _, tt := range tests {
		if got := Decode(tt.e, tt.in, tt.lang); got != tt.want {
			t.Errorf("%s: Decode = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestAppend(t *testing.T) {
	tests := []struct {
		name string
		e    Encoding
		lang Language
		in   string
		want []byte
	}{
		{"marked english", Marked, English, "café", []byte{'c', 'a', 'f', 0xE9}},
		{"marked english falls back to J", Marked, English, "あ", []byte{'\t', 'J', 0x82, 0xA0}},
		{"marked japanese", Marked, Japanese, "あa", []byte{0x82, 0xA0, 'a'}},
		{"marked japanese falls back to E", Marked, Japanese, "é", []byte{'\t', 'E', 0xE9}},
		{"marked explicit marker", Marked, English, "\tJa", []byte{'\t', 'J', 'a'}},
		{"latin1 unencodable", Latin1, English, "aあ", []byte{'a', '?'}},
		{"ascii", ASCII, English, "é1", []byte{'?', '1'}},
		{"utf16 marked adds marker", UTF16Marked, German, "a", []byte{'\t', 0, 'E', 0, 'a', 0}},
		{"utf16 marked japanese", UTF16Marked, Japanese, "a", []byte{'\t', 0, 'J', 0, 'a', 0}},
		{"utf16 marked keeps existing", UTF16Marked, English, "\tKa", []byte{'\t', 0, 'K', 0, 'a', 0}},
		{"utf16 marked empty", UTF16Marked, English, "", nil},
		{"sega heart", ShiftJIS, Japanese, "\u2665", []byte{0xF0, 0x40}},
	}
	for _, tt := range tests {
		got := Append(nil, tt.e, tt.in, tt.lang)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: Append (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestPutTruncatesAtCharacterBoundary(t *testing.T) {
	tests := []struct {
		name      string
		e         Encoding
		lang      Language
		width     int
		in        string
		want      []byte
		truncated bool
	}{
		{"fits with padding", ASCII, English, 4, "ab", []byte{'a', 'b', 0, 0}, false},
		{"exact fit, no terminator", ASCII, English, 2, "ab", []byte{'a', 'b'}, false},
		{"cut", ASCII, English, 2, "abc", []byte{'a', 'b'}, true},
		{"sjis pair not split", ShiftJIS, Japanese, 3, "aああ", []byte{'a', 0x82, 0xA0}, true},
		{"sjis pair dropped whole", ShiftJIS, Japanese, 2, "aあ", []byte{'a', 0}, true},
		{"utf16 odd width", UTF16, English, 5, "abc", []byte{'a', 0, 'b', 0, 0}, true},
		{"surrogate pair not split", UTF16, English, 4, "a\U0001D4D0", []byte{'a', 0, 0, 0}, true},
		{"marker counts", Marked, English, 3, "ああ", []byte{'\t', 'J', 0}, true},
	}
	for _, tt := range tests {
		field := bytes.Repeat([]byte{0xCC}, tt.width)
		truncated := Put(field, tt.e, tt.in, tt.lang)
		if diff := cmp.Diff(tt.want, field); diff != "" || truncated != tt.truncated {
			t.Errorf("%s: Put truncated=%v (want %v), field (-want +got):\n%s", tt.name, truncated, tt.truncated, diff)
		}
	}
}

func TestPutDoesNotWriteBeyondField(t *testing.T) {
	buf := bytes.Repeat([]byte{0xCC}, 8)
	Put(buf[:4], UTF16, "abcdef", English)
	if !bytes.Equal(buf[4:], []byte{0xCC, 0xCC, 0xCC, 0xCC}) {
		t.Fatalf("Put wrote past its field: % X", buf)
	}
}

func TestRoundTrip(t *testing.T) {
	for _, s := range []string{"", "Hello, hunter!", "\tC6color", "ギルドカード", "Müller", "PSO\u2665", "日本語とEnglish"} {
		for _, e := range []Encoding{Marked, UTF16, UTF16Marked} {
			for _, lang := range []Language{Japanese, English} {
				b := Append(nil, e, s, lang)
				if got := Decode(e, b, lang); got != s {
					t.Errorf("%s/%v: %q -> % X -> %q", e, lang, s, b, got)
				}
			}
		}
	}
}

func FuzzText(f *testing.F) {
	f.Add([]byte("\tJ\x82\xa0abc"), "ギルド", uint8(Marked), uint8(0), uint8(7))
	f.Add([]byte{'\t', 0, 'E', 0, 0x35, 0xD8}, "a\U0001D4D0b", uint8(UTF16Marked), uint8(1), uint8(5))
	f.Fuzz(func(t *testing.T, raw []byte, s string, enc, lang, width uint8) {
		e := Encoding(enc%6 + 1)
		l := Language(lang % 8)
		if got := Decode(e, raw, l); !utf8.ValidString(got) {
			t.Fatalf("Decode produced invalid UTF-8 %q", got)
		}
		field := make([]byte, int(width)+4)
		Put(field[:width], e, s, l)
		if !bytes.Equal(field[width:], make([]byte, 4)) {
			t.Fatalf("Put wrote past its field")
		}
		decoded := Decode(e, field[:width], l)
		if !utf8.ValidString(decoded) {
			t.Fatalf("decode of Put output is invalid UTF-8")
		}
		if isPlainASCII(s) && !strings.HasPrefix(s, decoded) && e != UTF16Marked && e != Marked {
			t.Fatalf("%s: Put %q into %d bytes decoded to %q, not a prefix", e, s, width, decoded)
		}
		if isPlainASCII(s) && e != UTF16Marked {
			if got := Decode(e, Append(nil, e, s, l), l); got != s {
				t.Fatalf("%s: round trip %q -> %q", e, s, got)
			}
		}
	})
}

// isPlainASCII reports printable ASCII without tabs, which every encoding
// holds unchanged.
func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7F {
			return false
		}
	}
	return true
}

func TestMarkerFor(t *testing.T) {
	for _, tc := range []struct {
		s    string
		lang Language
		want string
	}{
		{"hello", English, "\tE"}, {"hello", Japanese, "\tJ"},
		{"こんにちは", English, "\tJ"}, {"café", Japanese, "\tE"},
		{"café こんにちは", English, "\tE"}, {"café こんにちは", Japanese, "\tJ"},
	} {
		if got := MarkerFor(tc.s, tc.lang); got != tc.want {
			t.Errorf("MarkerFor(%q, %v) = %q, want %q", tc.s, tc.lang, got, tc.want)
		}
	}
}

func TestCharset(t *testing.T) {
	for lang, want := range map[Language]Encoding{Japanese: ShiftJIS, English: Latin1, German: Latin1, Korean: Latin1} {
		if got := lang.Charset(); got != want {
			t.Errorf("%v.Charset() = %v, want %v", lang, got, want)
		}
	}
}
