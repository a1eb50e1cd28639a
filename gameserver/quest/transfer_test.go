package quest

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/psobox/psobox/gameserver/prs"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// receive reassembles a file the way a client does: chunk i at i*0x400,
// done at the first chunk shorter than 0x400.
func receive(t *testing.T, f *TransferFile) []byte {
	t.Helper()
	var out []byte
	for i := range f.ChunkCount() {
		c := f.Chunk(i)
		out = append(out, c...)
		if len(c) < ChunkSize {
			if i != f.ChunkCount()-1 {
				t.Fatalf("%s: chunk %d of %d is short", f.Name, i, f.ChunkCount())
			}
			return out
		}
	}
	t.Fatalf("%s: no short last chunk: a client would wait forever", f.Name)
	return nil
}

func fixtureIndex(t *testing.T) *Index {
	t.Helper()
	x, err := Load(fixtureDir(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestOnlineFilesFixture(t *testing.T) {
	q := fixtureIndex(t).Quest(58)
	for _, x := range q.Variants() {
		files, err := x.OnlineFiles()
		if err != nil {
			t.Fatalf("%v: %v", x.Version, err)
		}
		if len(files) != 2 || files[0].Name != "quest58.bin" || files[1].Name != "quest58.dat" {
			t.Fatalf("%v: files %q, %q", x.Version, files[0].Name, files[len(files)-1].Name)
		}
		for i, orig := range [][]byte{x.Bin, x.Dat} {
			got := receive(t, &files[i])
			if !bytes.Equal(got, orig) || files[i].Title != "PSO/"+x.Name || files[i].Type != 0 {
				t.Errorf("%v %s: received bytes differ from the file", x.Version, files[i].Name)
			}
		}
	}
}

// paddedPRS is a valid PRS stream of exactly n bytes: data after the stop
// command is never read.
func paddedPRS(t *testing.T, plain []byte, n int) []byte {
	c := prs.Compress(plain)
	if len(c) > n {
		t.Fatalf("compressed %d bytes > %d", len(c), n)
	}
	return append(c, make([]byte, n-len(c))...)
}

func TestOnlineFilesChunkMultiple(t *testing.T) {
	plain := bytes.Repeat([]byte("chunk boundary "), 200)
	bin := paddedPRS(t, plain, 2*ChunkSize)
	x := &Variant{Quest: &Quest{Number: 9}, Version: wire.GCV3, Bin: bin, Dat: prs.Compress(plain)}
	files, err := x.OnlineFiles()
	if err != nil {
		t.Fatal(err)
	}
	got := receive(t, &files[0])
	if len(got) != 2*ChunkSize+1 || got[2*ChunkSize] != 0 || files[0].ChunkCount() != 3 {
		t.Fatalf("size %d, %d chunks; want 0x801 bytes in 3 chunks", len(got), files[0].ChunkCount())
	}
	if out, err := prs.Decompress(got, len(plain)); err != nil || !bytes.Equal(out, plain) {
		t.Errorf("padded file does not decompress to the script: %v", err)
	}
	if len(x.Bin) != 2*ChunkSize {
		t.Error("OnlineFiles changed the variant's own bytes")
	}
}

func TestOnlineFilesLimits(t *testing.T) {
	big := make([]byte, 0x100*ChunkSize+1)
	if _, err := (&Variant{Quest: &Quest{Number: 1}, Version: wire.GCV3, Bin: big}).OnlineFiles(); err == nil {
		t.Error("GC file of 257 chunks accepted")
	}
	if _, err := (&Variant{Quest: &Quest{Number: 1}, Version: wire.BBV4, Bin: big}).OnlineFiles(); err != nil {
		t.Errorf("BB file of 257 chunks refused: %v", err)
	}
	if _, err := (&Variant{Quest: &Quest{Number: 1}, Version: wire.DCNTE, Bin: []byte{1}}).OnlineFiles(); err == nil {
		t.Error("DC NTE online quest accepted")
	}
}

// TestDownloadFilesFixture checks the A6/A7 payload as a client would read
// it: decrypt with the seed the file carries, decompress, compare.
func TestDownloadFilesFixture(t *testing.T) {
	x := fixtureIndex(t).Quest(50).Variant(wire.DCV2, text.German)
	seed := uint32(0x1000)
	files, err := x.DownloadFiles(text.German, func() uint32 { seed++; return seed })
	if err != nil {
		t.Fatal(err)
	}
	wantScript := decompress(t, x.Bin)
	wantScript[0x10] = byte(text.German)
	for i, want := range [][]byte{wantScript, decompress(t, x.Dat)} {
		f := &files[i]
		data := receive(t, f)
		if carried := binary.LittleEndian.Uint32(data[4:]); carried != 0x1001+uint32(i) || f.Type != DownloadTypeQuest {
			t.Errorf("%s: seed %08X type %d", f.Name, carried, f.Type)
		}
		c, err := DecodeDownload(data, maxFileSize)
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if got := decompress(t, c); !bytes.Equal(got, want) {
			t.Errorf("%s: payload does not decompress to the original", f.Name)
		}
	}
}

func TestDownloadFilesTypes(t *testing.T) {
	script := prs.Compress(make([]byte, 0x1D4+8))
	dat := prs.Compress([]byte{1, 2, 3})
	tests := []struct {
		name     string
		x        *Variant
		wantType uint16
		files    int
	}{
		{"with image", &Variant{Version: wire.GCV3, Bin: script, Dat: dat, PVR: []byte("PVRT")}, DownloadTypeQuestImage, 3},
		{"episode 3", &Variant{Version: wire.GCEp3, Bin: script}, DownloadTypeEpisode3, 1},
	}
	for _, tc := range tests {
		tc.x.Quest = &Quest{Number: 3}
		files, err := tc.x.DownloadFiles(text.English, nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(files) != tc.files {
			t.Fatalf("%s: %d files", tc.name, len(files))
		}
		for _, f := range files {
			if f.Type != tc.wantType {
				t.Errorf("%s: %s type %d, want %d", tc.name, f.Name, f.Type, tc.wantType)
			}
		}
		if size := binary.LittleEndian.Uint32(files[0].Data); size != 0x1D4+8 {
			t.Errorf("%s: script header says %d bytes", tc.name, size)
		}
		if tc.files == 3 && !bytes.Equal(files[2].Data, []byte("PVRT")) {
			t.Errorf("%s: image changed", tc.name)
		}
	}
	bb := &Variant{Quest: &Quest{Number: 3}, Version: wire.BBV4, Bin: script}
	if _, err := bb.DownloadFiles(text.English, nil); err == nil {
		t.Error("BB download quest accepted")
	}
}
