package prs

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/psobox/psobox/internal/testenv"
)

// fixtureLimit is far above any quest file; the bound only has to exist.
const fixtureLimit = 1 << 20

// fixtureFiles returns every compressed quest file among the fixtures.
func fixtureFiles(t testing.TB) []string {
	dir := testenv.FixturesDir(t, "quests")
	var files []string
	for _, pattern := range []string{"*/*.bin", "*/*.dat"} {
		m, err := filepath.Glob(filepath.Join(dir, pattern))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatalf("no quest files under %s", dir)
	}
	return files
}

// TestFixtureQuests decompresses the retail quests and checks the result
// against what the files say about themselves: a .bin script header records
// the script's total size at offset 8, and a .dat map is a chain of sections
// whose sizes add up to the whole file. Then our compressor must reproduce
// the same bytes, and the ratio against Sega's compressor is logged.
func TestFixtureQuests(t *testing.T) {
	var orig, ours int
	for _, path := range fixtureFiles(t) {
		name := filepath.Base(path)
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		plain, err := Decompress(raw, fixtureLimit)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if size, err := DecompressedSize(raw, fixtureLimit); err != nil || size != len(plain) {
			t.Errorf("%s: DecompressedSize = %d, %v; Decompress gave %d", name, size, err, len(plain))
		}
		if strings.HasSuffix(name, ".bin") {
			checkScriptSize(t, name, plain)
		} else {
			checkMapSections(t, name, plain)
		}
		c := Compress(plain)
		back, err := Decompress(c, len(plain))
		if err != nil || !bytes.Equal(back, plain) {
			t.Fatalf("%s: our compression does not round-trip (%v)", name, err)
		}
		orig, ours = orig+len(raw), ours+len(c)
		t.Logf("%-16s plain %6d  sega %6d (%.3f)  ours %6d (%.3f)", name, len(plain),
			len(raw), float64(len(raw))/float64(len(plain)), len(c), float64(len(c))/float64(len(plain)))
	}
	t.Logf("total: sega %d bytes, ours %d bytes (%.3f of sega's)", orig, ours, float64(ours)/float64(orig))
	if ours > orig*11/10 {
		t.Errorf("our output (%d bytes) is more than 10%% larger than the originals (%d)", ours, orig)
	}
}

func checkScriptSize(t *testing.T, name string, plain []byte) {
	t.Helper()
	if len(plain) < 12 {
		t.Fatalf("%s: %d bytes is too short for a script header", name, len(plain))
	}
	if got := binary.LittleEndian.Uint32(plain[8:]); int(got) != len(plain) {
		t.Errorf("%s: header size %d, decompressed %d", name, got, len(plain))
	}
}

// checkMapSections walks the 16-byte section headers (type, size including
// the header, floor, data size) up to the zero-type end section.
func checkMapSections(t *testing.T, name string, plain []byte) {
	t.Helper()
	off := 0
	for off+16 <= len(plain) {
		typ := binary.LittleEndian.Uint32(plain[off:])
		size := int(binary.LittleEndian.Uint32(plain[off+4:]))
		if typ == 0 {
			off += 16
			break
		}
		if size < 16 || off+size > len(plain) {
			t.Fatalf("%s: section at %d has bad size %d", name, off, size)
		}
		off += size
	}
	if off != len(plain) {
		t.Errorf("%s: sections cover %d of %d bytes", name, off, len(plain))
	}
}
