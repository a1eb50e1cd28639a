package quest

import (
	"encoding/binary"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// TestFixtureHeaders reads the retail scripts of every version: names in
// Latin-1, Shift-JIS and UTF-16, each header's size field equal to the
// decompressed size, and the code starting right after each layout.
func TestFixtureHeaders(t *testing.T) {
	tests := []struct {
		file string
		v    wire.Version
		lang text.Language
		want Header
	}{
		{"retrieval/q058-d1-e.bin", wire.DCV1, text.English, Header{CodeOffset: 0x1D4, Number: 58, Name: "Lost HEAT SWORD",
			ShortDescription: "Retrieve a\nweapon from\na Dragon!", HasLanguage: true, Language: text.Japanese, Episode: Episode1}},
		{"retrieval/q058-dc-e.bin", wire.DCV2, text.English, Header{CodeOffset: 0x1D4, Number: 58, Name: "Lost HEAT SWORD",
			ShortDescription: "Retrieve a\nweapon from\na Dragon!", HasLanguage: true, Language: text.Japanese, Episode: Episode1}},
		{"retrieval/q058-pc-e.bin", wire.PCV2, text.English, Header{CodeOffset: 0x394, Number: 58, Name: "Lost HEAT SWORD",
			ShortDescription: "Retrieve a\nweapon from\na Dragon!", HasLanguage: true, Language: text.English, Episode: Episode1}},
		{"retrieval/q058-gc-j.bin", wire.GCV3, text.Japanese, Header{CodeOffset: 0x1D4, Number: 58, Name: "奪われたヒートソード",
			ShortDescription: "ドラゴンに飲み込まれた\n武器を 取り返せ！", HasLanguage: true, Language: text.Japanese, Episode: Episode1}},
		{"retrieval/q058-gc-f.bin", wire.GCV3, text.French, Header{CodeOffset: 0x1D4, Number: 58, Name: "Le Heat Sword perdu",
			ShortDescription: "Rapporte\nl'arme\nd'un dragon !", HasLanguage: true, Language: text.Japanese, Episode: Episode1}},
		{"retrieval/q058-bb-e.bin", wire.BBV4, text.English, Header{CodeOffset: 0x122C, Number: 105, Name: "Lost HEAT SWORD",
			ShortDescription: "Retrieve a\nweapon from\na Dragon!", Episode: Episode1}},
		{"download/q050-dc-e.bin", wire.DCV2, text.English, Header{CodeOffset: 0x1D4, Number: 15, Name: "Soul of a Blacksmith",
			ShortDescription: "A blacksmith\nwants to make\na weapon using\nRagol's unknown\nmaterials.",
			HasLanguage:      true, Language: text.English, Episode: Episode1}},
	}
	for _, tc := range tests {
		script := decompress(t, fixture(t, tc.file))
		got, err := ParseHeader(tc.v, script, tc.lang)
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if int(got.Size) != len(script) {
			t.Errorf("%s: header size %d, script %d bytes", tc.file, got.Size, len(script))
		}
		if got.LongDescription == "" || got.FunctionTableOffset <= got.CodeOffset {
			t.Errorf("%s: long description %q, function table at 0x%X", tc.file, got.LongDescription, got.FunctionTableOffset)
		}
		ignore := cmpopts.IgnoreFields(Header{}, "Size", "FunctionTableOffset", "LongDescription")
		if diff := cmp.Diff(tc.want, got, ignore); diff != "" {
			t.Errorf("%s (-want +got)\n%s", tc.file, diff)
		}
	}
}

// syntheticScript builds a script for v with an empty function 0 at the
// code offset; code is placed there.
func syntheticScript(t testing.TB, v wire.Version, code []byte) []byte {
	t.Helper()
	l, err := layoutFor(v)
	if err != nil {
		t.Fatal(err)
	}
	script := make([]byte, l.size, l.size+len(code)+4)
	script = append(script, code...)
	table := len(script)
	script = append(script, 0, 0, 0, 0) // function 0 at code offset + 0
	binary.LittleEndian.PutUint32(script[0:], uint32(l.size))
	binary.LittleEndian.PutUint32(script[4:], uint32(table))
	binary.LittleEndian.PutUint32(script[8:], uint32(len(script)))
	text.Put(script[l.nameOff:l.nameOff+l.nameLen], l.enc, "Test Quest", text.English)
	return script
}

func TestSyntheticHeaders(t *testing.T) {
	setEp2 := []byte{0xF8, 0xBC, 1, 0, 0, 0, 0x01}
	bb := syntheticScript(t, wire.BBV4, nil)
	bb[0x14], bb[0x15], bb[0x16] = 1, 2, 1
	bbEp4 := syntheticScript(t, wire.BBV4, nil)
	bbEp4[0x14] = 2
	tests := []struct {
		name   string
		v      wire.Version
		script []byte
		want   Header
	}{
		{"gc set_episode 2", wire.GCV3, syntheticScript(t, wire.GCV3, setEp2), Header{Episode: Episode2, HasLanguage: true}},
		{"xb set_episode 2", wire.XBV3, syntheticScript(t, wire.XBV3, setEp2), Header{Episode: Episode2, HasLanguage: true}},
		{"gc no set_episode", wire.GCV3, syntheticScript(t, wire.GCV3, []byte{0x01}), Header{Episode: Episode1, HasLanguage: true}},
		{"dc ignores the opcode", wire.DCV2, syntheticScript(t, wire.DCV2, setEp2), Header{Episode: Episode1, HasLanguage: true}},
		{"bb header fields", wire.BBV4, bb, Header{Episode: Episode2, MaxPlayers: 2, Joinable: true}},
		{"bb episode 4", wire.BBV4, bbEp4, Header{Episode: Episode4}},
		{"ep3", wire.GCEp3, syntheticScript(t, wire.GCEp3, nil), Header{Episode: Episode3, HasLanguage: true}},
		{"dc nte", wire.DCNTE, syntheticScript(t, wire.DCNTE, nil), Header{Episode: Episode1}},
		{"dc 11/2000", wire.DC112000, syntheticScript(t, wire.DC112000, nil), Header{Episode: Episode1}},
	}
	for _, tc := range tests {
		got, err := ParseHeader(tc.v, tc.script, text.English)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got.Name != "Test Quest" {
			t.Errorf("%s: name %q", tc.name, got.Name)
		}
		opts := cmpopts.IgnoreFields(Header{}, "CodeOffset", "FunctionTableOffset", "Size", "Name")
		if diff := cmp.Diff(tc.want, got, opts); diff != "" {
			t.Errorf("%s (-want +got)\n%s", tc.name, diff)
		}
	}
}

func TestHeaderErrors(t *testing.T) {
	badEpisode := syntheticScript(t, wire.BBV4, nil)
	badEpisode[0x14] = 7
	badOffset := syntheticScript(t, wire.GCV3, nil)
	binary.LittleEndian.PutUint32(badOffset[4:], 1<<30)
	tests := []struct {
		name   string
		v      wire.Version
		script []byte
	}{
		{"short", wire.GCV3, make([]byte, 0x1D3)},
		{"short pc", wire.PCV2, syntheticScript(t, wire.GCV3, nil)},
		{"bb episode byte", wire.BBV4, badEpisode},
		{"function table beyond the end", wire.GCV3, badOffset},
		{"patch version", wire.PCPatch, make([]byte, 0x1000)},
	}
	for _, tc := range tests {
		if _, err := ParseHeader(tc.v, tc.script, text.English); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestSetHeaderLanguage(t *testing.T) {
	script := syntheticScript(t, wire.GCV3, nil)
	out, err := SetHeaderLanguage(wire.GCV3, script, text.German)
	if err != nil {
		t.Fatal(err)
	}
	if out[0x10] != byte(text.German) || script[0x10] != 0 {
		t.Errorf("language byte: new %d, original %d", out[0x10], script[0x10])
	}
	if _, err := SetHeaderLanguage(wire.GCV3, script[:10], text.German); err == nil {
		t.Error("short script accepted")
	}
}

// ep3Map builds an Episode III map definition of the given size (final
// 0x5A18 or trial 0x41A0) with its text fields set.
func ep3Map(size int, number uint32, name, quest, desc string) []byte {
	l, _ := ep3MapLayoutFor(size)
	m := make([]byte, size)
	binary.BigEndian.PutUint32(m[0:], 0x100)
	binary.BigEndian.PutUint32(m[4:], number)
	text.Put(m[l.nameOff:l.nameOff+0x14], text.Marked, name, text.English)
	text.Put(m[l.locationOff:l.locationOff+0x14], text.Marked, "Somewhere", text.English)
	text.Put(m[l.questOff:l.questOff+0x3C], text.Marked, quest, text.English)
	text.Put(m[l.descriptionOff:l.descriptionOff+0x190], text.Marked, desc, text.English)
	return m
}

func TestEp3MapHeader(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want Header
	}{
		{"final", ep3Map(0x5A18, 0x1234, "Map", "The Quest", "Long text"),
			Header{Size: 0x5A18, Number: 0x1234, Name: "The Quest", ShortDescription: "Somewhere", LongDescription: "Long text", Episode: Episode3}},
		{"trial without quest name", ep3Map(0x41A0, 7, "Trial Map", "", "Try it"),
			Header{Size: 0x41A0, Number: 7, Name: "Trial Map", ShortDescription: "Somewhere", LongDescription: "Try it", Episode: Episode3}},
	}
	for _, tc := range tests {
		got, err := ParseHeader(wire.GCEp3, tc.data, text.English)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got)\n%s", tc.name, diff)
		}
	}
	// Only Episode III reads map definitions.
	if h, err := ParseHeader(wire.GCV3, ep3Map(0x5A18, 1, "Map", "Q", "D"), text.English); err == nil && h.Episode == Episode3 {
		t.Error("a GC v3 script was read as a map definition")
	}
}
