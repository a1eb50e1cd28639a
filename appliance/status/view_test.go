package status

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"Alice":                    "Alice",
		"":                         "",
		"\tEAlice":                 "\uFFFDEAlice", // PSO's language escape
		"a\x00b\x7fc":              "a\uFFFDb\uFFFDc",
		"ok\xff\xfe":               "ok\uFFFD",
		"ユーザー":                     "ユーザー",
		strings.Repeat("x", 121):   strings.Repeat("x", 120) + "…",
		strings.Repeat("ü", 120):   strings.Repeat("ü", 120),
		"<b>markup stays text</b>": "<b>markup stays text</b>", // escaping is the template's job
	} {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHuman(t *testing.T) {
	for d, want := range map[time.Duration]string{
		-time.Second: "0s", 0: "0s", 59 * time.Second: "59s", time.Minute: "1m", 59*time.Minute + 59*time.Second: "59m",
		time.Hour: "1h 0m", 25*time.Hour + 30*time.Minute: "1d 1h", 30 * 24 * time.Hour: "30d 0h",
	} {
		if got := human(d); got != want {
			t.Errorf("human(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestUntil(t *testing.T) {
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{time.Time{}, ""}, {now.Add(90 * time.Minute), "in 1h 30m"}, {now.Add(-2 * time.Minute), "2m ago"},
	} {
		if got := until(now, tc.t); got != tc.want {
			t.Errorf("until(%v) = %q, want %q", tc.t, got, tc.want)
		}
	}
}

func TestJoinConsoles(t *testing.T) {
	leases := []LeaseInfo{{IP: "10.0.0.2", Expires: now.Add(time.Minute)}, {IP: "10.0.0.3", Expires: now.Add(-time.Second)}}
	lookups := []LookupInfo{{Client: "10.0.0.2", Name: "a"}, {Client: "10.0.0.9", Name: "b"}, {Client: "10.0.0.2", Name: "c"}}
	players := []PlayerInfo{{Name: "P1", Address: "10.0.0.2"}, {Name: "P2", Address: "10.0.0.2"}, {Name: "P3", Address: "10.0.0.7"}}
	got := joinConsoles(now, leases, lookups, players)
	want := []Console{
		{leases[0], 60, []LookupInfo{lookups[0], lookups[2]}, []string{"P1", "P2"}},
		{leases[1], -1, nil, nil},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("joinConsoles (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]LookupInfo{lookups[1]}, strayLookups(got, lookups)); diff != "" {
		t.Errorf("strayLookups (-want +got):\n%s", diff)
	}
}

// Each table of the page stops at maxRows and says how many were left out.
func TestPageRowsAreCapped(t *testing.T) {
	snap := New(manyPlayersOptions(maxRows + 5)).snapshot(t.Context())
	d := newPageData(snap)
	if len(d.Players.Rows) != maxRows || d.Players.More != 5 {
		t.Errorf("players table: %d rows, %d more; want %d, 5", len(d.Players.Rows), d.Players.More, maxRows)
	}
	if len(snap.Players) != maxRows+5 {
		t.Errorf("the snapshot (JSON) lost players: %d", len(snap.Players))
	}
}
