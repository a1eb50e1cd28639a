package quest

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

type variantID struct {
	Version  wire.Version
	Language text.Language
	Name     string
}

func variantIDs(vs []*Variant) []variantID {
	var out []variantID
	for _, v := range vs {
		out = append(out, variantID{v.Version, v.Language, v.Name})
	}
	return out
}

func categoryDirs(cs []*Category) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Dir)
	}
	return out
}

func TestLoadFixtures(t *testing.T) {
	x := fixtureIndex(t)
	if x.Len() != 2 || len(x.Problems()) != 0 {
		t.Fatalf("%d quests, problems %v", x.Len(), x.Problems())
	}
	lost := "Lost HEAT SWORD"
	want := []variantID{{wire.DCV1, text.English, lost}, {wire.DCV2, text.English, lost}, {wire.PCV2, text.English, lost},
		{wire.GCV3, text.Japanese, "奪われたヒートソード"}, {wire.GCV3, text.French, "Le Heat Sword perdu"}, {wire.BBV4, text.English, lost}}
	if diff := cmp.Diff(want, variantIDs(x.Quest(58).Variants())); diff != "" {
		t.Errorf("q058 variants (-want +got)\n%s", diff)
	}
	q := x.Quest(58)
	if q.Category.Dir != "retrieval" || q.Episode != Episode1 || q.Joinable || q.Meta.LockStatusRegister != -1 {
		t.Errorf("q058: category %s episode %d joinable %v", q.Category.Dir, q.Episode, q.Joinable)
	}
	if x.Quest(50).Category.Dir != "download" || x.Quest(999) != nil {
		t.Error("q050 is not in download, or a missing quest was found")
	}
}

func TestIndexMenus(t *testing.T) {
	x := fixtureIndex(t)
	tests := []struct {
		name string
		f    Filter
		want []string
	}{
		{"dc v2 online", Filter{Version: wire.DCV2, Menu: MenuNormal}, []string{"retrieval"}},
		{"dc v1 online", Filter{Version: wire.DCV1, Menu: MenuNormal}, []string{"retrieval"}},
		{"pc online", Filter{Version: wire.PCV2, Menu: MenuNormal}, []string{"retrieval"}},
		{"gc online", Filter{Version: wire.GCV3, Menu: MenuNormal}, []string{"retrieval"}},
		{"bb online", Filter{Version: wire.BBV4, Menu: MenuNormal}, []string{"retrieval"}},
		{"xb has none", Filter{Version: wire.XBV3, Menu: MenuNormal}, nil},
		{"dc v2 download", Filter{Version: wire.DCV2, Menu: MenuDownload}, []string{"download"}},
		{"dc v1 download", Filter{Version: wire.DCV1, Menu: MenuDownload}, nil},
		{"gc battle", Filter{Version: wire.GCV3, Menu: MenuBattle}, nil},
		{"gc episode 2 game", Filter{Version: wire.GCV3, Menu: MenuNormal, Episode: Episode2}, nil},
		{"gc episode 1 game", Filter{Version: wire.GCV3, Menu: MenuNormal, Episode: Episode1}, []string{"retrieval"}},
		{"dc game with gc", Filter{Version: wire.DCV2, Menu: MenuNormal, Others: []wire.Version{wire.GCV3, wire.DCV1}}, []string{"retrieval"}},
		{"dc game with xb", Filter{Version: wire.DCV2, Menu: MenuNormal, Others: []wire.Version{wire.XBV3}}, nil},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, categoryDirs(x.Categories(tc.f))); diff != "" {
			t.Errorf("%s (-want +got)\n%s", tc.name, diff)
		}
	}
}

func TestIndexLanguageFallback(t *testing.T) {
	x := fixtureIndex(t)
	retrieval := x.Categories(Filter{Version: wire.GCV3})[0].ID
	for _, tc := range []struct {
		v          wire.Version
		lang, want text.Language
	}{
		{wire.GCV3, text.French, text.French},
		{wire.GCV3, text.Japanese, text.Japanese},
		{wire.GCV3, text.English, text.Japanese}, // no English: the first language there is
		{wire.DCV2, text.German, text.English},   // English stands in
	} {
		got := x.Quests(retrieval, Filter{Version: tc.v, Language: tc.lang})
		if len(got) != 1 || got[0].Language != tc.want || got[0].Quest.Number != 58 {
			t.Errorf("%v %v: got %v", tc.v, tc.lang, variantIDs(got))
		}
	}
	if x.Quests(999, Filter{Version: wire.GCV3}) != nil || x.Category(0) != nil || len(x.AllCategories()) != len(DefaultCategories()) {
		t.Error("unknown category ids are not handled")
	}
}

func TestLoadMissingDirectory(t *testing.T) {
	logger, logs := newTestLogger()
	x, err := Load(filepath.Join(t.TempDir(), "nope"), logger)
	if err != nil || x.Len() != 0 || len(x.Categories(Filter{Version: wire.GCV3})) != 0 {
		t.Fatalf("Load = %v, %v", x, err)
	}
	if !strings.Contains(logs.String(), "quest directory not found") {
		t.Errorf("no log line; logs:\n%s", logs)
	}
	file := filepath.Join(t.TempDir(), "file")
	writeFiles(t, filepath.Dir(file), map[string][]byte{"file": []byte("x")})
	if _, err := Load(file, nil); err == nil {
		t.Error("a file was accepted as the quest directory")
	}
	if _, err := LoadCategories(t.TempDir(), []Category{{Dir: ""}}, nil); err == nil {
		t.Error("a category without a folder was accepted")
	}
}

func TestLoadUnreadableCategory(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string][]byte{"retrieval": []byte("a file where a folder should be")})
	x, err := Load(dir, nil)
	if err != nil || x.Len() != 0 || len(x.Problems()) != 1 || x.Problems()[0].File != "retrieval" {
		t.Fatalf("Load = %v; problems %v", err, x.Problems())
	}
}
