package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/internal/testenv"
)

// questServer runs a server with the fixture quests, copied to a temp dir.
func questServer(t *testing.T) *servertest.Server {
	src, dst := testenv.FixturesDir(t, "quests"), t.TempDir()
	for _, dir := range []string{"retrieval", "download"} {
		entries, err := os.ReadDir(filepath.Join(src, dir))
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Join(dst, dir), 0o755)
		for _, e := range entries {
			data, err := os.ReadFile(filepath.Join(src, dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dst, dir, e.Name()), data, 0o644)
		}
	}
	o := servertest.Options()
	o.QuestDir = dst
	return servertest.Start(t, o)
}

func TestQuestVerb(t *testing.T) {
	srv := questServer(t)
	for name, tc := range map[string]struct {
		args []string
		want []string
	}{
		"gc by name": {[]string{"-pso", "gc", "-lang", "fr", "-ack-delay", "20ms", "-server", srv.Addr(9103), "quest", "heat sword"},
			[]string{"ok: quest 58 ", "quest58.bin: ", "quest58.dat: ", "at most 4 unacknowledged", "ok: left the game"}},
		"dcv2 by number": {[]string{"-pso", "dcv2", "-server", srv.Addr(9200), "quest", "58"},
			[]string{"ok: quest 58 ", "quest58.dat: 14542 bytes"}},
		"dcv2 download": {[]string{"-pso", "dcv2", "-download", "-server", srv.Addr(9200), "quest", "50"},
			[]string{"ok: download quest 50 ", "quest50.bin: ", "quest50.dat: "}},
	} {
		t.Run(name, func(t *testing.T) {
			stdout, stderr, err := runPsobot(t, tc.args...)
			if err != nil {
				t.Fatalf("%v\nstderr: %s\nstdout:\n%s", err, stderr, stdout)
			}
			for _, w := range tc.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("output lacks %q:\n%s", w, stdout)
				}
			}
		})
	}
	_, _, err := runPsobot(t, "-q", "-server", srv.Addr(9103), "quest", "Forest Run")
	if exitCode(err) != 1 || !strings.Contains(err.Error(), `no quest "Forest Run" in the menu (58 `) {
		t.Errorf("unknown quest: %v", err)
	}
}

// A scenario: a GameCube leader picks the quest, the member loads it too,
// an Xbox is told no quest fits its game, a Dreamcast downloads one.
func TestQuestScenario(t *testing.T) {
	srv := questServer(t)
	script := fmt.Sprintf(`bot alice gc %[1]s
lobby
create-game Heat
bot bob gc %[1]s
lobby
join-game Heat
bot alice
expect-game-join bob
quest 58
bot bob
expect-quest 58
bot xan xb %[2]s
lobby
create-game Box
quest 58 refused="No quest can be"
bot dora dcv2 %[3]s
login
download-quest 50
`, srv.Addr(9103), srv.Addr(9500), srv.Addr(9200))
	file := filepath.Join(t.TempDir(), "quest.scenario")
	if err := os.WriteFile(file, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := runPsobot(t, "-server", srv.Addr(9103), "-wait", "5s", "scenario", file)
	if err != nil {
		t.Fatalf("scenario failed: %v\nstderr: %s\nstdout:\n%s", err, stderr, stdout)
	}
	for _, want := range []string{"ok: 18 steps", "quest 58 \"", "quest58.dat 14736 bytes", "refused: No quest", "download quest 50"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}
