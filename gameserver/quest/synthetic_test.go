package quest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/gameserver/prs"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// TestLoadSynthetic needs no fixtures: made-up scripts exercise episodes,
// BB header flags, Episode III quests without map data, and menus.
func TestLoadSynthetic(t *testing.T) {
	gcEp2 := prs.Compress(syntheticScript(t, wire.GCV3, []byte{0xF8, 0xBC, 1, 0, 0, 0}))
	bbScript := syntheticScript(t, wire.BBV4, nil)
	bbScript[0x14], bbScript[0x16] = 1, 1 // Episode 2, joinable
	dat := prs.Compress([]byte{0, 0, 0, 0})
	dir := t.TempDir()
	writeFiles(t, dir, map[string][]byte{
		"extermination/q201-gc-e.bin": gcEp2,
		"extermination/q201-gc.dat":   dat,
		"extermination/q201-bb-e.bin": prs.Compress(bbScript),
		"extermination/q201-bb.dat":   dat,
		// BB's header says joinable; the other versions need the metadata
		// to agree, or their variants are refused.
		"extermination/q201.json":     []byte(`{"Joinable": true}`),
		"download-ep3/q300-gc3-e.mnm": prs.Compress(ep3Map(0x5A18, 300, "Map", "Card Quest", "Text")),
		"battle/q400-gc-s.bind":       syntheticScript(t, wire.GCV3, nil),
		"battle/q400-gc.datd":         []byte{1, 2, 3},
	})
	x, err := Load(dir, nil)
	if err != nil || len(x.Problems()) != 0 {
		t.Fatalf("Load: %v, problems %v", err, x.Problems())
	}
	if q := x.Quest(201); q.Episode != Episode2 || !q.Joinable {
		t.Errorf("q201: episode %d joinable %v", q.Episode, q.Joinable)
	}
	menus := []struct {
		f    Filter
		want []string
	}{
		{Filter{Version: wire.GCV3, Menu: MenuNormal, Episode: Episode2}, []string{"extermination"}},
		{Filter{Version: wire.GCV3, Menu: MenuNormal, Episode: Episode1}, nil},
		{Filter{Version: wire.BBV4, Menu: MenuNormal, Episode: Episode2}, []string{"extermination"}},
		{Filter{Version: wire.GCEp3, Menu: MenuDownload}, []string{"download-ep3"}},
		{Filter{Version: wire.GCV3, Menu: MenuBattle}, []string{"battle"}},
	}
	for _, m := range menus {
		if diff := cmp.Diff(m.want, categoryDirs(x.Categories(m.f))); diff != "" {
			t.Errorf("%+v (-want +got)\n%s", m.f, diff)
		}
	}
	ep3 := x.Quest(300).Variant(wire.GCEp3, text.English)
	files, err := ep3.DownloadFiles(text.English, nil)
	if err != nil || len(files) != 1 || files[0].Type != DownloadTypeEpisode3 || ep3.Quest.Episode != Episode3 || ep3.Name != "Card Quest" {
		t.Errorf("Episode III download: %v, %d files", err, len(files))
	}
	battle := x.Quest(400).Variant(wire.GCV3, text.English)
	if battle.Language != text.Spanish || string(decompress(t, battle.Dat)) != "\x01\x02\x03" {
		t.Errorf("uncompressed battle quest: language %v", battle.Language)
	}
}
