package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/psobox/psobox/gameserver/server/servertest"
)

// TestGameScenarioAgainstPsobox: GameCube bots create and join a game,
// relay 60 and 62 traffic, and the lead moves when the leader leaves; a
// wrong password and a DC v1 in a DC v2 Ultimate game are refused.
func TestGameScenarioAgainstPsobox(t *testing.T) {
	srv := servertest.Start(t, servertest.Options())
	position := "3F06{me}00 00000000 0F000000 0000A0C1 0000A041 00001143"
	script := fmt.Sprintf(`bot alice gc %[1]s
lobby
create-game Forest password=pw difficulty=hard episode=2
bot bob gc %[1]s
lobby
join-game Forest password=nope refused=password
join-game Forest password=pw
expect-leader alice
relay 60 * %[3]s
bot alice
expect-game-join bob
expect-relay 60 %[4]s
relay 62 bob 2201{me}00
bot bob
expect-relay 62 2201{alice}00
bot alice
leave-game
bot bob
expect-game-leave alice
expect-leader me
bot dave dcv2 %[2]s
lobby
create-game Ruins difficulty=ultimate
bot carol dcv1 %[2]s
lobby
join-game Ruins refused="DC v1"
`, srv.Addr(9103), srv.Addr(9200), position, strings.ReplaceAll(position, "{me}", "{bob}"))
	file := filepath.Join(t.TempDir(), "game.scenario")
	if err := os.WriteFile(file, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := runPsobot(t, "-server", srv.Addr(9103), "-level", "100", "-wait", "5s", "scenario", file)
	if err != nil {
		t.Fatalf("scenario failed: %v\nstderr: %s\nstdout:\n%s", err, stderr, stdout)
	}
	for _, want := range []string{"ok: 26 steps", `created game "Forest" (Hard, Episode 2, leader)`, "refused: ", "relayed: 62 flag 1: 2201", "left the game"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}

// Game steps check their arguments before anything is sent.
func TestGameStepArguments(t *testing.T) {
	srv := servertest.Start(t, servertest.Options())
	for script, wantErr := range map[string]string{
		"lobby\ncreate-game X colour=red":      "unknown option",
		"lobby\ncreate-game X difficulty=hell": "unknown -difficulty",
		"lobby\nrelay 61 * 00000000":           "not a relayed command",
		"lobby\nrelay 62 * 22010000":           "one player",
		"lobby\nrelay 60 * 220100":             "multiple of 4",
		"lobby\nrelay 60 * 2201{zed}00":        "no zed in our room",
		"lobby\nexpect-leader me":              "waiting for me leading",
	} {
		file := filepath.Join(t.TempDir(), "s.scenario")
		os.WriteFile(file, []byte(script), 0o600)
		_, _, err := runPsobot(t, "-q", "-server", srv.Addr(9103), "-wait", "100ms", "scenario", file)
		if err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Errorf("%q: error %v, want %q", script, err, wantErr)
		}
	}
}
