// Package sessionlogtest reads the reference server's logs of real console
// sessions (../shared/fixtures/pso-sessions) for tests, skipping the test
// when the fixtures are not beside the checkout.
package sessionlogtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/psobox/psobox/gameserver/sessionlog"
	"github.com/psobox/psobox/internal/testenv"
)

// Fixtures returns every fixture log's events by name, the file name
// without ".test.txt" (e.g. "GC-JungleGame"). A log that does not parse
// fails the test: the fixtures are ground truth.
func Fixtures(t testing.TB) map[string][]sessionlog.Event {
	t.Helper()
	dir := testenv.FixturesDir(t, "pso-sessions")
	files, err := filepath.Glob(filepath.Join(dir, "*.test.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no session logs in %s: %v", dir, err)
	}
	logs := map[string][]sessionlog.Event{}
	for _, f := range files {
		logs[strings.TrimSuffix(filepath.Base(f), ".test.txt")] = ReadFile(t, f)
	}
	return logs
}

// ReadFile parses one session log file (a fixture, a capture), failing
// the test when it cannot.
func ReadFile(t testing.TB, file string) []sessionlog.Event {
	t.Helper()
	fh, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	evs, err := sessionlog.Read(fh)
	if err != nil {
		t.Fatalf("%s: %v", filepath.Base(file), err)
	}
	return evs
}
