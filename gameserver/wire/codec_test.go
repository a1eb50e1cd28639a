package wire

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/psobox/psobox/gameserver/wire/text"
)

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name    string
		v       Version
		dir     Direction
		h       Header
		payload []byte
		want    error
	}{
		{"unknown command", GCV3, ClientToServer, Header{Command: 0x2F}, nil, ErrUnknownCommand},
		{"server command from a client", GCV3, ClientToServer, Header{Command: 0x67, Flag: 0}, make([]byte, 0xC), ErrUnknownCommand},
		{"BB-only command on GC", GCV3, ServerToClient, Header{Command: 0x00E6}, make([]byte, 0x3C), ErrUnknownCommand},
		{"short fixed layout", GCV3, ClientToServer, Header{Command: 0x96}, make([]byte, 7), ErrBadSize},
		{"trailing bytes", GCV3, ClientToServer, Header{Command: 0x96}, make([]byte, 12), ErrBadSize},
		{"payload on an empty command", DCV2, ClientToServer, Header{Command: 0x99}, []byte{0}, ErrBadSize},
		{"list not a multiple", GCV3, ServerToClient, Header{Command: 0x83, Flag: 1}, make([]byte, 13), ErrBadSize},
		{"count in flag disagrees", GCV3, ServerToClient, Header{Command: 0x83, Flag: 2}, make([]byte, 12), ErrBadField},
		{"roster over 12 entries", GCV3, ServerToClient, Header{Command: 0x67, Flag: 13}, make([]byte, 0xC+13*0x43C), ErrBadSize},
		{"empty relay", GCV3, ClientToServer, Header{Command: 0x60}, nil, ErrBadField},
		{"subcommand overruns", GCV3, ClientToServer, Header{Command: 0x60}, []byte{0x20, 3, 0, 0, 1, 2, 3, 4}, ErrBadField},
		{"subcommand size 0 and short", GCV3, ClientToServer, Header{Command: 0x62}, []byte{0x6D, 0, 0, 0}, ErrBadField},
		{"extended size below 8", GCV3, ClientToServer, Header{Command: 0x6D}, []byte{0x6D, 0, 0, 0, 4, 0, 0, 0}, ErrBadField},
		{"extended size misaligned", GCV3, ClientToServer, Header{Command: 0x6D}, []byte{0x6D, 0, 0, 0, 9, 0, 0, 0, 0}, ErrBadField},
		{"quest chunk over 0x400", GCV3, ServerToClient, Header{Command: 0x13}, append(make([]byte, 0x410), 1, 4, 0, 0), ErrBadField},
		{"Ep3 raw block wrong size", GCEp3, ServerToClient, Header{Command: 0xE4}, make([]byte, 4), ErrBadSize},
		{"menu selection with 3 strings", GCV3, ClientToServer, Header{Command: 0x10}, make([]byte, 8+3*0x10), ErrBadSize},
	}
	for _, tt := range tests {
		_, err := Decode(tt.v, tt.dir, tt.h, tt.payload)
		var de *DecodeError
		if !errors.Is(err, tt.want) || !errors.As(err, &de) {
			t.Errorf("%s: err = %v, want %v in a *DecodeError", tt.name, err, tt.want)
		}
	}
}

func TestDecodeIntoChecksCommand(t *testing.T) {
	if err := DecodeInto(GCV3, Header{Command: 0x97}, nil, &CharSaveInfo{}); err == nil {
		t.Fatal("decoding a 97 into a 96 message succeeded")
	}
}

func TestLoginVariantsBySize(t *testing.T) {
	tests := []struct {
		v       Version
		size    int
		xb, ext bool
	}{
		{GCV3, 0xE8, false, false},
		{GCV3, 0x14C, false, true},
		{XBV3, 0x130, true, false},
		{XBV3, 0x194, true, true},
		{PCV2, 0x16C, false, true},
	}
	for _, tt := range tests {
		m, err := Decode(tt.v, ClientToServer, Header{Command: 0x9E}, make([]byte, tt.size))
		if err != nil {
			t.Errorf("%s 9E 0x%X: %v", tt.v, tt.size, err)
			continue
		}
		l := m.(*LoginWithConfig)
		if l.HasXB != tt.xb || l.HasMeetUser != tt.ext {
			t.Errorf("%s 9E 0x%X: xb=%v ext=%v", tt.v, tt.size, l.HasXB, l.HasMeetUser)
		}
	}
}

func TestReconnectSplitLayout(t *testing.T) {
	m := NewReconnectSplit(netip.MustParseAddrPort("10.0.0.1:9300"), netip.MustParseAddrPort("10.0.0.1:9103"))
	b, _, err := AppendPayload(nil, PCV2, m)
	if err != nil {
		t.Fatal(err)
	}
	// The console half sits where a console parsing the stream expects a
	// second command: its header at 0x15, its address at 0x19.
	want := map[int]byte{0x00: 10, 0x03: 1, 0x04: 0x54, 0x05: 0x24, 0x15: 0x19, 0x17: 0x97, 0x19: 10, 0x1C: 1, 0x1D: 0x8F, 0x1E: 0x23}
	for off, w := range want {
		if b[off] != w {
			t.Errorf("byte 0x%X = %02X, want %02X", off, b[off], w)
		}
	}
	if got := m.AddrPort().String(); got != "10.0.0.1:9300" {
		t.Errorf("AddrPort = %s", got)
	}
}

func TestSubcommandNumbering(t *testing.T) {
	tests := []struct {
		v             Version
		sent, final   uint8
		hasEquivalent bool
	}{
		{DCNTE, 0x62, 0x74, true},
		{DC112000, 0x69, 0x74, true},
		{DCNTE, 0x60, 0x70, true},
		{DCNTE, 0x06, 0x06, true},
		{DCNTE, 0x0E, 0x10, true},
		{DCNTE, 0x33, 0, false}, // exists only in the prototypes
		{DCNTE, 0x80, 0, false},
		{GCV3, 0x74, 0x74, true},
		{GCV3, 0x00, 0, false},
	}
	for _, tt := range tests {
		got, ok := SubcommandToFinal(tt.v, tt.sent)
		if ok != tt.hasEquivalent || (ok && got != tt.final) {
			t.Errorf("%s %02X -> %02X %v, want %02X %v", tt.v, tt.sent, got, ok, tt.final, tt.hasEquivalent)
			continue
		}
		if ok {
			if back, _ := SubcommandFromFinal(tt.v, got); back != tt.sent {
				t.Errorf("%s final %02X -> %02X, want %02X", tt.v, got, back, tt.sent)
			}
		}
	}
	if _, ok := SubcommandFromFinal(DCNTE, 0x6F); ok {
		t.Error("DC NTE has no 6x6F")
	}
}

func TestWordSelectByteOrder(t *testing.T) {
	ws := &SubWordSelect{SubHeader: SubHeader{Param: 0x0200}, NumTokens: 1, Tokens: [8]uint16{0x1234}}
	gc, _ := AppendSubcommand(nil, GCV3, ws)
	if gc[4] != 0 || gc[5] != 1 || gc[8] != 0x12 {
		t.Errorf("GC word select not big-endian: % X", gc)
	}
	if ws.ClientID(GCV3) != 2 || ws.ClientID(PCV2) != 0x200 {
		t.Errorf("ClientID: GC %d, PC %d", ws.ClientID(GCV3), ws.ClientID(PCV2))
	}
	nte, _ := AppendSubcommand(nil, DCNTE, ws)
	if len(nte) != 0x14 || nte[0] != 0x62 {
		t.Errorf("DC NTE word select: % X", nte)
	}
}

func TestGuildCardAcrossVersions(t *testing.T) {
	info := GuildCardInfo{Number: 42000001, Name: "Tali", Description: "hello", Language: text.English, SectionID: 5, Class: 2}
	for _, v := range []Version{DCNTE, DCV1, DCV2, PCV2, GCNTE, GCV3, GCEp3, XBV3, BBV4} {
		b, err := AppendSubcommand(nil, v, &SubGuildCard{Card: NewGuildCard(v, info)})
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		sm, err := DecodeSubcommand(v, Subcommand(b))
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		if diff := cmp.Diff(info, sm.(*SubGuildCard).Card.Info(v)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", v, diff)
		}
	}
}

func TestTextFieldAccessors(t *testing.T) {
	for _, v := range []Version{DCV2, PCV2, GCV3, BBV4} {
		var g CreateGame
		g.SetName(v, "ラグオル", text.Japanese)
		g.SetPassword(v, "secret", text.Japanese)
		if g.NameString(v, text.Japanese) != "ラグオル" || g.PasswordString(v, text.Japanese) != "secret" {
			t.Errorf("%s: game name %q password %q", v, g.NameString(v, text.Japanese), g.PasswordString(v, text.Japanese))
		}
		var mail SimpleMail
		mail.SetText(v, "meet at lobby 3", text.English)
		mail.SetFromName(v, "Sue", text.English)
		if mail.TextString(v, text.English) != "meet at lobby 3" || mail.FromNameString(v, text.English) != "Sue" {
			t.Errorf("%s: mail %q from %q", v, mail.TextString(v, text.English), mail.FromNameString(v, text.English))
		}
	}
}
