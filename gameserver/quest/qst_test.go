package quest

import (
	"bytes"
	"encoding/binary"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// fixtureQST is the fixture quest q058 for one version as a bundle.
func fixtureQST(t *testing.T, bin, dat string) *QST {
	return &QST{Title: "Lost HEAT SWORD", Files: []QSTFile{
		{Name: "quest58.bin", Data: fixture(t, bin)},
		{Name: "quest58.dat", Data: fixture(t, dat)},
	}}
}

// TestQSTFixtureRoundTrip encodes the retail quest in each version's
// layout and decodes it back. The first four bytes are the signatures the
// reference server tells the layouts apart by.
func TestQSTFixtureRoundTrip(t *testing.T) {
	tests := []struct {
		v         wire.Version
		bin, dat  string
		signature []byte
	}{
		{wire.DCV1, "retrieval/q058-d1-e.bin", "retrieval/q058-d1.dat", []byte{0x44, 0, 0x3C, 0}},
		{wire.DCV2, "retrieval/q058-dc-e.bin", "retrieval/q058-dc.dat", []byte{0x44, 0, 0x3C, 0}},
		{wire.PCV2, "retrieval/q058-pc-e.bin", "retrieval/q058-pc.dat", []byte{0x3C, 0, 0x44, 0}},
		{wire.GCV3, "retrieval/q058-gc-j.bin", "retrieval/q058-gc.dat", []byte{0x44, 0, 0x3C, 0}},
		{wire.XBV3, "retrieval/q058-gc-f.bin", "retrieval/q058-gc.dat", []byte{0x44, 0, 0x54, 0}},
		{wire.BBV4, "retrieval/q058-bb-e.bin", "retrieval/q058-bb.dat", []byte{0x58, 0, 0x44, 0}},
	}
	for _, tc := range tests {
		q := fixtureQST(t, tc.bin, tc.dat)
		enc, err := EncodeQST(tc.v, q, 58, text.English)
		if err != nil {
			t.Fatalf("%v: %v", tc.v, err)
		}
		if !bytes.HasPrefix(enc, tc.signature) {
			t.Errorf("%v: starts % X, want % X", tc.v, enc[:4], tc.signature)
		}
		got, err := DecodeQST(enc)
		if err != nil {
			t.Fatalf("%v: decode: %v", tc.v, err)
		}
		if diff := cmp.Diff(q, got); diff != "" {
			t.Errorf("%v: round trip (-want +got)\n%s", tc.v, diff)
		}
	}
}

func TestQSTDownloadRoundTrip(t *testing.T) {
	bin := fixture(t, "download/q050-dc-e.bin")
	dat := fixture(t, "download/q050-dc.dat")
	q := &QST{Title: "Soul of a Blacksmith", Download: true, Files: []QSTFile{
		{Name: "quest50.bin", Data: EncodeDownload(bin, len(decompress(t, bin)), 0x12345678)},
		{Name: "quest50.dat", Data: EncodeDownload(dat, len(decompress(t, dat)), 0x9ABCDEF0)},
	}}
	enc, err := EncodeQST(wire.DCV2, q, 50, text.English)
	if err != nil {
		t.Fatal(err)
	}
	if enc[0] != cmdOpenDownload {
		t.Errorf("first command %02X, want A6", enc[0])
	}
	got, err := DecodeQST(enc)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(q, got); diff != "" {
		t.Fatalf("(-want +got)\n%s", diff)
	}
	for i, want := range [][]byte{bin, dat} {
		plain, err := DecodeDownload(got.Files[i].Data, maxFileSize)
		if err != nil || !bytes.Equal(plain, want) {
			t.Errorf("%s: download form does not decode to the original (%v)", got.Files[i].Name, err)
		}
	}
}

// syntheticQST has a two-chunk script, a tiny map and an image.
func syntheticQST(download bool) *QST {
	bin := make([]byte, ChunkSize+4)
	for i := range bin {
		bin[i] = byte(i * 7)
	}
	return &QST{Title: "Synthetic", Download: download, Files: []QSTFile{
		{Name: "quest7.bin", Data: bin},
		{Name: "quest7.dat", Data: []byte{1, 2, 3, 4, 5}},
		{Name: "quest7.pvr", Data: []byte("PVRT")},
	}}
}

// TestQSTGolden pins each layout byte for byte. The goldens were produced
// by this encoder and checked field by field against the command layouts
// (see testdata/README.md); -update rewrites them.
func TestQSTGolden(t *testing.T) {
	for _, tc := range []struct {
		name     string
		v        wire.Version
		download bool
	}{
		{"dc", wire.DCV2, false}, {"pc", wire.PCV2, false}, {"gc", wire.GCV3, false},
		{"xb", wire.XBV3, false}, {"bb", wire.BBV4, false}, {"gc-download", wire.GCV3, true},
	} {
		got, err := EncodeQST(tc.v, syntheticQST(tc.download), 7, text.French)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		path := filepath.Join("testdata", "synthetic-"+tc.name+".qst")
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: differs from %s", tc.name, path)
		}
		back, err := DecodeQST(want)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if diff := cmp.Diff(syntheticQST(tc.download), back); diff != "" {
			t.Errorf("%s: (-want +got)\n%s", tc.name, diff)
		}
	}
}

// TestQSTLayoutFields checks the open-file command offsets of each layout
// in an encoded bundle, independently of the decoder.
func TestQSTLayoutFields(t *testing.T) {
	tests := []struct {
		v                          wire.Version
		hdr, typeOff, fileOff, end int
	}{
		{wire.DCV2, 4, 0x22, 0x23, 0x3C},
		{wire.PCV2, 4, 0x22, 0x24, 0x3C},
		{wire.GCV3, 4, 0x22, 0x24, 0x3C},
		{wire.XBV3, 4, 0x22, 0x24, 0x54},
		{wire.BBV4, 8, 0x22, 0x24, 0x58},
	}
	for _, tc := range tests {
		enc, err := EncodeQST(tc.v, syntheticQST(true), 7, text.English)
		if err != nil {
			t.Fatal(err)
		}
		body := enc[tc.hdr:]
		if body[tc.typeOff] != DownloadTypeQuestImage {
			t.Errorf("%v: type byte %d", tc.v, body[tc.typeOff])
		}
		if name := string(body[tc.fileOff : tc.fileOff+10]); name != "quest7.bin" {
			t.Errorf("%v: file name %q", tc.v, name)
		}
		if size := binary.LittleEndian.Uint32(body[0x34:]); size != ChunkSize+4 {
			t.Errorf("%v: size %d", tc.v, size)
		}
		if second := enc[tc.end:]; second[0] != cmdOpenDownload && second[2] != cmdOpenDownload {
			t.Errorf("%v: second open-file command not at 0x%X", tc.v, tc.end)
		}
	}
}
