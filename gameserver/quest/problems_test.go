package quest

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// problemTree is a quest directory built at test time from the fixture
// quests, with good files in every supported form and bad ones of every
// kind the loader must report and skip.
func problemTree(t *testing.T) (files map[string][]byte, wantProblems []string) {
	gcBin, gcDat := fixture(t, "retrieval/q058-gc-j.bin"), fixture(t, "retrieval/q058-gc.dat")
	dcBin, dcDat := fixture(t, "retrieval/q058-dc-e.bin"), fixture(t, "retrieval/q058-dc.dat")
	pcBin, pcDat := fixture(t, "retrieval/q058-pc-e.bin"), fixture(t, "retrieval/q058-pc.dat")
	qst, err := EncodeQST(wire.GCV3, &QST{Title: "bundle", Files: []QSTFile{
		{Name: "quest106.bin", Data: gcBin}, {Name: "quest106.dat", Data: gcDat}}}, 106, text.English)
	if err != nil {
		t.Fatal(err)
	}
	files = map[string][]byte{
		// good: plain, uncompressed, bundled, download form, moved by metadata
		"retrieval/q058-gc-j.bin":    gcBin,
		"retrieval/q058-gc.dat":      gcDat,
		"events/q105-dc-e.bind":      decompress(t, dcBin),
		"events/q105-dc.datd":        decompress(t, dcDat),
		"events/q106-gc-e.qst":       qst,
		"download/q107-dc-e.bin.dlq": EncodeDownload(dcBin, len(decompress(t, dcBin)), 7),
		"download/q107-dc.dat.dlq":   EncodeDownload(dcDat, len(decompress(t, dcDat)), 8),
		"events/q109-pc-e.bin":       pcBin,
		"events/q109-pc.dat":         pcDat,
		"events/q109.json":           []byte(`{"Category": "vr", "Name": "Renamed", "Joinable": true, // comment` + "\n}"),
		"retrieval/README.txt":       []byte("not a quest"),
		// bad
		"retrieval/q100-gc-e.bin":     gcBin[:len(gcBin)/2],
		"retrieval/q100-gc.dat":       gcDat,
		"retrieval/q101-gc-e.bin":     gcBin,
		"retrieval/q102-gc-e.bin":     gcBin,
		"retrieval/q102-gc.dat":       []byte{0x00, 0xFF},
		"retrieval/q103-gc-e.bin":     gcBin,
		"retrieval/q103-gc.dat":       gcDat,
		"retrieval/q103.json":         []byte(`{"Joinable": tru}`),
		"retrieval/q104-zz-e.bin":     gcBin,
		"retrieval/q111-gc.bin":       gcBin,
		"extermination/q058-gc-f.bin": fixture(t, "retrieval/q058-gc-f.bin"),
		"extermination/q058-gc.dat":   gcDat,
		"events/q108-dc-e.bin":        dcBin,
		"events/q108-dc.dat":          dcDat,
		"events/q108-dc.json":         []byte(`{"Episode": 2}`),
		"events/q112-gc-e.qst":        qst[:len(qst)-10],
		"events/q113-dc-e.bin.dlq":    EncodeDownload(dcBin, 5, 7),
	}
	wantProblems = []string{
		"events/q108-dc-e.bin", "events/q112-gc-e.qst", "events/q113-dc-e.bin.dlq",
		"extermination/q058-gc-f.bin", "extermination/q058-gc.dat",
		"retrieval/q100-gc-e.bin", "retrieval/q101-gc-e.bin", "retrieval/q102-gc-e.bin",
		"retrieval/q103-gc-e.bin", "retrieval/q104-zz-e.bin", "retrieval/q111-gc.bin",
	}
	return files, wantProblems
}

func TestLoadSkipsBadFiles(t *testing.T) {
	files, wantProblems := problemTree(t)
	dir := t.TempDir()
	writeFiles(t, dir, files)
	logger, logs := newTestLogger()
	x, err := Load(dir, logger)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range x.Problems() {
		got = append(got, p.File)
		if !strings.Contains(logs.String(), p.File) || p.Err == nil {
			t.Errorf("%s: not logged, or no reason", p.File)
		}
	}
	slices.Sort(got)
	if diff := cmp.Diff(wantProblems, got); diff != "" {
		t.Errorf("problems (-want +got)\n%s\nall: %v", diff, x.Problems())
	}
	checkGoodQuests(t, x)
}

func checkGoodQuests(t *testing.T, x *Index) {
	t.Helper()
	want := map[uint32]string{58: "retrieval", 105: "events", 106: "events", 107: "download", 109: "vr"}
	if x.Len() != len(want) {
		t.Errorf("%d quests loaded, want %d", x.Len(), len(want))
	}
	for n, dir := range want {
		q := x.Quest(n)
		if q == nil || q.Category.Dir != dir {
			t.Fatalf("quest %d missing or not in %s", n, dir)
		}
	}
	renamed := x.Quest(109).Variant(wire.PCV2, text.English)
	if renamed.Name != "Renamed" || !x.Quest(109).Joinable {
		t.Errorf("metadata not applied: %q joinable=%v", renamed.Name, x.Quest(109).Joinable)
	}
	dc := x.Quest(105).Variant(wire.DCV2, text.English)
	orig := decompress(t, fixture(t, "retrieval/q058-dc-e.bin"))
	if !bytes.Equal(decompress(t, dc.Bin), orig) {
		t.Error("the .bind script did not survive compression at load")
	}
	dl := x.Quest(107).Variant(wire.DCV2, text.English)
	if !bytes.Equal(dl.Bin, fixture(t, "retrieval/q058-dc-e.bin")) {
		t.Error("the .dlq script did not decode to the PRS file")
	}
	if b := x.Quest(106).Variant(wire.GCV3, text.English); !bytes.Equal(b.Dat, fixture(t, "retrieval/q058-gc.dat")) {
		t.Error("the .qst bundle did not yield the map data")
	}
}
