package status

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/internal/testenv"
)

func TestJSONDecodesIntoSnapshot(t *testing.T) {
	base, _, _ := start(t, fakeOptions())
	resp, body := get(t, "GET", base+"/api/status")
	if resp.StatusCode != 200 {
		t.Fatalf("GET /api/status = %s", resp.Status)
	}
	var got Snapshot
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("decode: %v\n%s", err, body)
	}
	opts := fakeOptions()
	game, dns, dhcp := newFakeGame(), newFakeDNS(), newFakeDHCP()
	want := Snapshot{
		Version: "v1.0 (commit abc)", Mode: "island", Time: now, Started: started, UptimeSeconds: 3*3600 + 25,
		Addresses: opts.Addresses, Process: opts.Process(),
		Warnings: []Warning{
			{Component: "dhcp", Level: LevelWarning, Message: "another DHCP server answers: 10.55.0.254"},
			{Component: "capture", Level: LevelInfo, Message: "capture is on"},
		},
		Consoles: []Console{
			{dhcp.leases[0], 23 * 3600, dns.lookups[:1], []string{"Alice"}},
			{dhcp.leases[1], 3600, dns.lookups[1:2], []string{"Bob"}},
			{dhcp.leases[2], -300, []LookupInfo{}, []string{}},
		},
		Lookups: dns.lookups, GameRunning: true, Players: game.players,
		Lobbies: []LobbyInfo{{1, []string{"Alice"}}, {2, []string{}}, {3, []string{}}},
		Games:   game.games, DNS: &dns.counters, DHCP: &dhcp.status,
		Sections: []NamedSection{{"services", fakeSections()[0].Section(t.Context())}},
	}
	capt := newFakeCapture().Status()
	want.Capture = &capt
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("/api/status (-want +got):\n%s", diff)
	}
}

// Scripts iterate over the lists without checking for null; the parts
// that are not running are null.
func TestJSONWithoutParts(t *testing.T) {
	base, _, _ := start(t, Options{Listen: "127.0.0.1:0", Mode: "server"})
	_, body := get(t, "GET", base+"/api/status")
	var got map[string]any
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"warnings", "consoles", "lookups", "players", "lobbies", "games", "sections"} {
		if list, ok := got[key].([]any); !ok || len(list) != 0 {
			t.Errorf("%s = %#v, want []", key, got[key])
		}
	}
	for _, key := range []string{"dns", "dhcp"} {
		if v, ok := got[key]; !ok || v != nil {
			t.Errorf("%s = %#v, want null", key, v)
		}
	}
	if got["game_running"] != false {
		t.Errorf("game_running = %v, want false", got["game_running"])
	}
	process, _ := got["process"].(map[string]any)
	if rss, _ := process["rss_bytes"].(float64); rss <= 0 {
		t.Errorf("process.rss_bytes = %v, want this process's resident memory", process["rss_bytes"])
	}
}

// docsExample is the JSON example in docs/status.md.
func docsExample(t *testing.T) []byte {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "docs", "status.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```json\n(.*?)```").FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/status.md has no ```json example")
	}
	return m[1]
}

// The documented example has exactly the fields the server sends: a field
// added to the code or to the docs alone fails here.
func TestDocsShowTheJSONShape(t *testing.T) {
	example := docsExample(t)
	var snap Snapshot
	dec := json.NewDecoder(bytes.NewReader(example))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&snap); err != nil {
		t.Fatalf("the docs example does not decode into Snapshot: %v", err)
	}
	base, _, _ := start(t, fakeOptions())
	_, body := get(t, "GET", base+"/api/status")
	if diff := cmp.Diff(keyPaths(t, []byte(body)), keyPaths(t, example)); diff != "" {
		t.Errorf("fields of /api/status (-server +docs):\n%s", diff)
	}
	if snap.Time.Before(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("docs example time %v: not a plausible example", snap.Time)
	}
}

// keyPaths lists every object key in a JSON document as a path such as
// "consoles[].lookups[].name".
func keyPaths(t *testing.T, doc []byte) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	set := map[string]bool{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, child := range v {
				set[prefix+k] = true
				walk(prefix+k+".", child)
			}
		case []any:
			for _, child := range v {
				walk(strings.TrimSuffix(prefix, ".")+"[].", child)
			}
		}
	}
	walk("", v)
	var out []string
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
