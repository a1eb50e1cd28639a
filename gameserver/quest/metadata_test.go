package quest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseMetadata(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Metadata
	}{
		{"empty object", `{}`, Metadata{LockStatusRegister: -1}},
		{"relaxed syntax", `{
  // a line comment with "quotes" and a , before }
  "Joinable": true, /* block
  comment */ "LockStatusRegister": 0xF9,
  "AllowStartFromChatCommand": true,
  "AllowedDropModes": 0x1D, // unknown keys are ignored
  "AvailableIf": "F_016D && !F_0173 // not a comment",
  "EnemyEXPOverrides": {"Normal:1:GOBOOMA": 100,},
  "DescriptionFlag": 0x02,
}`, Metadata{Joinable: true, LockStatusRegister: 0xF9, AllowStartFromChatCommand: true,
			AvailableIf: "F_016D && !F_0173 // not a comment", DescriptionFlag: 2}},
		{"psobox additions", `{"Name": "Ein \"Quest\"", "ShortDescription": "kurz", "LongDescription": "lang",
			"Category": "events", "Episode": 2}`,
			Metadata{LockStatusRegister: -1, Name: `Ein "Quest"`, ShortDescription: "kurz", LongDescription: "lang",
				Category: "events", Episode: Episode2}},
	}
	for _, tc := range tests {
		got, err := ParseMetadata([]byte(tc.in))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got)\n%s", tc.name, diff)
		}
	}
}

// TestFixtureMetadata reads the reference server's documented example, in
// which every option is commented out.
func TestFixtureMetadata(t *testing.T) {
	got, err := ParseMetadata(fixture(t, "retrieval/q058.json"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Metadata{LockStatusRegister: -1}, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestParseMetadataErrors(t *testing.T) {
	for _, in := range []string{
		``,
		`[]`,
		`{"Joinable": "yes"}`,
		`{"Joinable": true`,
		`{"Name": "unterminated}`,
		`{/* open comment`,
		`{"Joinable": true} / `,
		`{"LockStatusRegister": 300}`,
		`{"Episode": 3}`,
		`{"Episode": "2"}`,
		`{"DescriptionFlag": 0xZZ}`,
		`{} {}`,
	} {
		if _, err := ParseMetadata([]byte(in)); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}
