package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/gameserver/server/servertest"
)

func TestSplitWords(t *testing.T) {
	tests := []struct {
		line string
		want []string
	}{
		{"", nil},
		{"   # only a comment", nil},
		{"chat hello  world", []string{"chat", "hello", "world"}},
		{`expect-chat bob "hello  world" # why`, []string{"expect-chat", "bob", "hello  world"}},
		{`chat "say \"hi\"" a#b`, []string{"chat", `say "hi"`, "a#b"}},
		{`chat ""`, []string{"chat", ""}},
	}
	for _, tc := range tests {
		got, err := splitWords(tc.line)
		if err != nil {
			t.Errorf("%q: %v", tc.line, err)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tc.line, diff)
		}
	}
	if _, err := splitWords(`chat "open`); err == nil {
		t.Error("an unterminated quote was accepted")
	}
}

func TestParseScenario(t *testing.T) {
	lines, err := parseScenario(strings.NewReader("# a scenario\nbot alice gc\n\nmail bob see you  at 8\nauto-reply\ncard bob \"a card\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	for _, l := range lines {
		got = append(got, append([]string{fmt.Sprint(l.n), l.step.name}, l.args...))
	}
	want := [][]string{{"2", "bot", "alice", "gc"}, {"4", "mail", "bob", "see you at 8"}, {"5", "auto-reply"}, {"6", "card", "bob", "a card"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parsed (-want +got):\n%s", diff)
	}
	for text, wantErr := range map[string]string{
		"chatt hi":          `line 1: unknown step "chatt"`,
		"lobby\nwait":       "line 2: usage: wait DURATION",
		"logout now":        "line 1: usage: logout ",
		"chat \"hi":         "line 1: unterminated quote",
		"# nothing to do\n": "no steps",
	} {
		if _, err := parseScenario(strings.NewReader(text)); err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Errorf("%q: error %v, want %q", text, err, wantErr)
		}
	}
}

// TestScenarioAgainstPsobox runs a two-bot scenario against a real server:
// chat, guild cards, a lobby change, search, info board, mail kept for an
// absent bot and delivered at its next login, auto-reply.
func TestScenarioAgainstPsobox(t *testing.T) {
	srv := servertest.Start(t, servertest.Options())
	script := fmt.Sprintf(`# two bots meet
bot alice gc %[1]s
lobby
bot bob dcv2 %[2]s
lobby
chat hello alice
card alice "bob's card"
bot alice
expect-chat bob hello alice
expect-card bob
info-board "Forest at 8"
auto-reply gone fishing
change-lobby 3
bot bob
search alice 3
change-lobby 3
mail alice are you there?
expect-mail alice gone fishing
logout
bot alice
expect-leave bob
expect-mail bob are you there?
mail bob see you at 8
expect-message not online
expect-board alice Forest at 8
bot bob
lobby
expect-mail alice see you at 8
`, srv.Addr(9103), srv.Addr(9200))
	file := filepath.Join(t.TempDir(), "meet.scenario")
	if err := os.WriteFile(file, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := runPsobot(t, "-server", srv.Addr(9103), "-wait", "5s", "scenario", file)
	if err != nil {
		t.Fatalf("scenario failed: %v\nstderr: %s\nstdout:\n%s", err, stderr, stdout)
	}
	for _, want := range []string{"ok: 27 steps", "chat: bob (", "mail: from alice", "search: alice"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}

// A failing step names the file, the line, the step and the bot.
func TestScenarioFailureNamesTheLine(t *testing.T) {
	srv := servertest.Start(t, servertest.Options())
	file := filepath.Join(t.TempDir(), "fail.scenario")
	os.WriteFile(file, []byte("lobby\nexpect-chat nobody hi\n"), 0o600)
	_, _, err := runPsobot(t, "-q", "-server", srv.Addr(9103), "-wait", "200ms", "scenario", file)
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "fail.scenario line 2 (expect-chat as psobot)") {
		t.Errorf("error %v (exit %d), want line 2 named", err, exitCode(err))
	}
}

// FuzzParseScenario: any file parses to steps with valid argument counts
// or to an error naming a line, never a panic.
func FuzzParseScenario(f *testing.F) {
	f.Add("bot alice gc\nlobby\nchat \"hi there\" # x\nexpect-chat * hi there\n")
	f.Add("mail 10000002 see you\nauto-reply\nwait 1s\n")
	f.Add("card \"\\\"q\nsearch")
	f.Fuzz(func(t *testing.T, text string) {
		lines, err := parseScenario(strings.NewReader(text))
		if err != nil {
			return
		}
		for _, l := range lines {
			if len(l.args) < l.step.min || len(l.args) > l.step.max {
				t.Errorf("line %d: %s with %d arguments", l.n, l.step.name, len(l.args))
			}
		}
	})
}
