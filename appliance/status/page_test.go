package status

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/appliance/status/statustest"
)

// table reads the first table of a page section, failing the test when the
// section is missing.
func tableOf(t *testing.T, doc, id string) statustest.Table {
	t.Helper()
	tab, err := statustest.SectionTable(doc, id)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func text(t *testing.T, doc, id string) string {
	t.Helper()
	s, err := statustest.SectionText(doc, id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPageShowsEveryPart(t *testing.T) {
	base, _, _ := start(t, fakeOptions())
	_, doc := get(t, "GET", base+"/")
	for _, tc := range []struct {
		id   string
		want statustest.Table
	}{
		{"consoles", statustest.Table{
			Header: []string{"console", "IP", "looked up", "player", "lease"},
			Rows: [][]string{
				{"Nintendo (GameCube BBA)\n00:09:bf:12:34:56", "10.55.0.100", "gc01.st-pso.games.sega.net → PSO GC US", "Alice", "bound in 23h 0m"},
				{"Sega (Dreamcast BBA) dreamcast-1\n00:d0:f1:aa:bb:cc", "10.55.0.101", "game01.st-pso.games.sega.net → PSO DC US", "Bob", "bound in 1h 0m"},
				{"Sega (Dreamcast BBA)\n00:d0:f1:aa:bb:cd", "10.55.0.102", "no PSO name yet", "none", "expired 5m ago"},
			}}},
		{"players", statustest.Table{
			Header: []string{"name", "version", "guild card", "where", "connected", "from"},
			Rows: [][]string{
				{"Alice", "GC Ep1&2", "42000001", "lobby 1", "1h 0m ago", "10.55.0.100"},
				{"Bob", "DC v2", "42000002", "game “Forest run”", "12m ago", "10.55.0.101"},
				{"Newbie", "PC", "—", "menus (not in a lobby)", "30s ago", "192.168.1.50"},
			}}},
		{"lobbies", statustest.Table{
			Header: []string{"lobby", "players", "who"},
			Rows:   [][]string{{"1", "1", "Alice"}}}},
		{"games", statustest.Table{
			Header: []string{"name", "versions", "players", "kind", "quest", "password"},
			Rows:   [][]string{{"Forest run", "DC/PC", "1: Bob", "Episode 1, Hard, Normal", "", "yes"}}}},
		{"services", statustest.Table{
			Header: []string{"service", "serving on"},
			Rows:   [][]string{{"status", "http://127.0.0.1:8080/"}, {"game", "<all> 9000-9300"}}}},
	} {
		if diff := cmp.Diff(tc.want, tableOf(t, doc, tc.id)); diff != "" {
			t.Errorf("section %s (-want +got):\n%s", tc.id, diff)
		}
	}
	for id, want := range map[string][]string{
		"addresses": {"DNS 10.55.0.1", "router 10.55.0.1", "game server 198.18.55.1", "consoles 10.55.0.0/24 on eth0"},
		"warnings":  {"dhcp: another DHCP server answers: 10.55.0.254", "capture: capture is on"},
		"lookups":   {"PC at 192.168.1.50 looked up pso20.sonic.isao.net → PSO PC 10m ago"},
		"lobbies":   {"2 more lobbies are empty."},
		"dns":       {"queries\n11", "answered with the game server\n5", "NOERROR / NXDOMAIN\n8 / 1", "cache hits / misses\n2 / 3"},
		"dhcp":      {"state\nserving on eth0", "leases active / pool\n2 / 100", "discover / offer\n3 / 3"},
	} {
		got := text(t, doc, id)
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("section %s lacks %q:\n%s", id, w, got)
			}
		}
	}
	for _, want := range []string{
		`<meta name="viewport" content="width=device-width, initial-scale=1">`,
		"<li><b>version</b> v1.0 (commit abc)</li>", "<li><b>mode</b> island</li>", "<li><b>up</b> 3h 0m</li>",
		`<li class="w-warning">`, `<li class="w-info">`, `<td data-label="service">status</td>`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// With no part running (server mode, nothing built in) the page still
// renders and says what is missing.
func TestPageWithoutParts(t *testing.T) {
	base, _, _ := start(t, Options{Listen: "127.0.0.1:0", Mode: "server"})
	_, doc := get(t, "GET", base+"/")
	if got, want := text(t, doc, "players"), "Players online\nThe game server is not running."; got != want {
		t.Errorf("players section = %q, want %q", got, want)
	}
	if got, want := text(t, doc, "warnings"), "Warnings\nNo warnings."; got != want {
		t.Errorf("warnings section = %q, want %q", got, want)
	}
	for _, id := range []string{"consoles", "lobbies", "games", "dns", "dhcp", "lookups"} {
		if _, err := statustest.SectionText(doc, id); err == nil {
			t.Errorf("section %s shown for a part that is not running", id)
		}
	}
}

// Names come from consoles: markup and odd bytes in them must reach the
// page as inert text.
func TestPageEscapesConsoleText(t *testing.T) {
	hostile := "<script>alert(1)</script>\"'&<b>\x00\t\xff\xfe" + strings.Repeat("é", 200)
	opts := fakeOptions()
	game := newFakeGame()
	game.players[0].Name = hostile
	game.players[0].Version = `"><img src=x onerror=alert(2)>`
	game.games[0].Name = "</table><script>alert(3)</script>"
	game.lobbies[0].Players = []string{hostile}
	opts.Game = game
	dhcp := newFakeDHCP()
	dhcp.leases[0].Hostname = "<iframe src=//evil>"
	opts.DHCP = dhcp
	base, _, _ := start(t, opts)
	_, doc := get(t, "GET", base+"/")
	for _, bad := range []string{"<script", "<img", "<iframe", "<b>\x00", "\xff", "\x00"} {
		if strings.Contains(doc, bad) {
			t.Errorf("page contains %q unescaped", bad)
		}
	}
	players := tableOf(t, doc, "players")
	// NUL and tab become one � each, the invalid run \xff\xfe one more,
	// and the text is cut at maxText runes.
	shown := "<script>alert(1)</script>\"'&<b>\uFFFD\uFFFD\uFFFD"
	wantName := shown + strings.Repeat("é", maxText-utf8.RuneCountInString(shown)) + "…"
	if diff := cmp.Diff(wantName, players.Rows[0][0]); diff != "" {
		t.Errorf("hostile name shown as (-want +got):\n%s", diff)
	}
	if got := players.Rows[0][1]; got != `"><img src=x onerror=alert(2)>` {
		t.Errorf("hostile version shown as %q", got)
	}
	if got := tableOf(t, doc, "games").Rows[0][0]; got != "</table><script>alert(3)</script>" {
		t.Errorf("hostile game name shown as %q", got)
	}
}
