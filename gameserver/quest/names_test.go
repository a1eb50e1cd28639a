package quest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

func TestParseFileName(t *testing.T) {
	tests := []struct {
		in      string
		want    fileName
		wantErr bool
	}{
		{in: "q058-gc-e.bin", want: fileName{stem: "q058-gc-e", ext: "bin", number: 58, numberToken: "q058",
			version: wire.GCV3, hasVersion: true, language: text.English, hasLanguage: true}},
		{in: "Q058-GC-J.BIN", want: fileName{stem: "q058-gc-j", ext: "bin", number: 58, numberToken: "q058",
			version: wire.GCV3, hasVersion: true, language: text.Japanese, hasLanguage: true}},
		{in: "q058-dc.dat", want: fileName{stem: "q058-dc", ext: "dat", number: 58, numberToken: "q058",
			version: wire.DCV2, hasVersion: true}},
		{in: "q058.json", want: fileName{stem: "q058", ext: "json", number: 58, numberToken: "q058"}},
		{in: "x1234-gc3t-s.qst", want: fileName{stem: "x1234-gc3t-s", ext: "qst", number: 1234, numberToken: "x1234",
			version: wire.GCEp3NTE, hasVersion: true, language: text.Spanish, hasLanguage: true}},
		{in: "q1-bb-k.bin", want: fileName{stem: "q1-bb-k", ext: "bin", number: 1, numberToken: "q1",
			version: wire.BBV4, hasVersion: true, language: text.Korean, hasLanguage: true}},
		{in: "q058-zz-e.bin", wantErr: true},
		{in: "q058-gc-x.bin", wantErr: true},
		{in: "q058-gc-ee.bin", wantErr: true},
		{in: "q058-gc-.bin", wantErr: true},
		{in: "058-gc-e.bin", wantErr: true},
		{in: "q-gc-e.bin", wantErr: true},
		{in: "qabc-gc-e.bin", wantErr: true},
		{in: "q058-gc-e-x.bin", wantErr: true},
		{in: "q99999999999-gc-e.bin", wantErr: true},
		{in: "noextension", wantErr: true},
	}
	for _, tc := range tests {
		got, err := parseFileName(tc.in)
		if (err != nil) != tc.wantErr {
			t.Errorf("%s: err = %v, wantErr %v", tc.in, err, tc.wantErr)
			continue
		}
		if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(fileName{})); !tc.wantErr && diff != "" {
			t.Errorf("%s: (-want +got)\n%s", tc.in, diff)
		}
	}
}

func TestVersionTokensRoundTrip(t *testing.T) {
	n := 0
	for _, v := range wire.AllVersions() {
		tok := VersionToken(v)
		if tok == "" {
			if !v.IsPatch() {
				t.Errorf("%v has no token", v)
			}
			continue
		}
		if back, ok := VersionForToken(tok); !ok || back != v {
			t.Errorf("%v -> %q -> %v", v, tok, back)
		}
		n++
	}
	if n != 12 {
		t.Errorf("%d versions have tokens, want 12", n)
	}
	for lang := text.Japanese; lang <= text.Korean; lang++ {
		if back, ok := LanguageForLetter(LanguageLetter(lang)); !ok || back != lang {
			t.Errorf("%v -> %c -> %v", lang, LanguageLetter(lang), back)
		}
	}
}

func TestDefaultCategories(t *testing.T) {
	cats, err := numberCategories(DefaultCategories())
	if err != nil {
		t.Fatal(err)
	}
	byDir := map[string]*Category{}
	for i, c := range cats {
		if c.ID != uint32(i+1) {
			t.Errorf("%s has id %d, want %d", c.Dir, c.ID, i+1)
		}
		byDir[c.Dir] = c
	}
	checks := []struct {
		dir  string
		in   []Menu
		flag CategoryFlags
	}{
		{"retrieval", []Menu{MenuNormal}, FlagEpisodeFilter},
		{"battle", []Menu{MenuBattle}, 0},
		{"challenge-ep2", []Menu{MenuChallenge}, FlagEp2Challenge},
		{"solo-extra", []Menu{MenuSolo}, FlagEpisodeFilter},
		{"government-ep4", []Menu{MenuGovernment}, 0},
		{"download", []Menu{MenuDownload}, 0},
		{"hidden", nil, 0},
	}
	for _, c := range checks {
		cat := byDir[c.dir]
		if cat == nil {
			t.Fatalf("no category %q", c.dir)
		}
		for m := MenuNormal; m <= MenuDownload; m++ {
			want := false
			for _, in := range c.in {
				want = want || in == m
			}
			if cat.In(m) != want {
				t.Errorf("%s in %v = %v, want %v", c.dir, m, cat.In(m), want)
			}
		}
		if cat.Flags&c.flag != c.flag {
			t.Errorf("%s flags %#x lack %#x", c.dir, cat.Flags, c.flag)
		}
	}
	if _, err := numberCategories([]Category{{Dir: "a"}, {Dir: "a"}}); err == nil {
		t.Error("duplicate folders accepted")
	}
}
