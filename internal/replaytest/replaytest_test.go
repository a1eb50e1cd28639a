package replaytest

import (
	"context"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/capture/capturetest"
	"github.com/psobox/psobox/gameserver/replay"
	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/sessionlog"
	"github.com/psobox/psobox/gameserver/sessionlog/sessionlogtest"
	"github.com/psobox/psobox/internal/testenv"
)

var update = flag.Bool("update", false, "record testdata/sessions/psobot-every-version.txt again")

// ownCapture is the capture this package records and commits.
const ownCapture = "psobot-every-version.txt"

func sessionsDir(t *testing.T) string {
	return filepath.Join(testenv.RepoRoot(t), "testdata", "sessions")
}

func runReplay(t *testing.T, events []sessionlog.Event, opts replay.Options) replay.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	opts.Progress = func(c replay.ConnResult) { t.Log(c) }
	res, err := replay.Run(ctx, events, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestCapturesReplay replays every capture in testdata/sessions/ against a
// fresh psobox with its default settings: each must show no difference.
func TestCapturesReplay(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(sessionsDir(t), "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no captures in testdata/sessions (%v): %s is committed there", err, ownCapture)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txt"), func(t *testing.T) {
			events := sessionlogtest.ReadFile(t, f)
			d, err := ReadDirectives(events)
			if err != nil {
				t.Fatal(err)
			}
			opts := replay.Options{Addr: servertest.Start(t, servertest.Options()).Addr, Clients: d.Clients}
			if d.LoginOnly {
				opts.StopAfter = LoginPhase
			}
			runReplay(t, events, opts)
		})
	}
}

// TestFixtureLoginsReplay replays the login phase of every client in the
// reference server's logs of real consoles, each log against a fresh
// psobox set up like the reference server, skipping only what
// NewservSkipReasons lists and comparing the flags that are protocol.
func TestFixtureLoginsReplay(t *testing.T) {
	byName := sessionlogtest.Fixtures(t)
	names := slices.Sorted(maps.Keys(byName))
	logs := make([][]sessionlog.Event, len(names))
	for i, name := range names {
		logs[i] = byName[name]
	}
	o := NewservOptions(t, logs, t.TempDir())
	for i, name := range names {
		t.Run(name, func(t *testing.T) {
			srv := servertest.Start(t, o)
			res := runReplay(t, logs[i], replay.Options{Addr: srv.Addr, StopAfter: LoginPhase,
				NewSkipper: NewservSkipper, CompareFlags: FlagsThatMatter})
			for _, c := range res.Conns {
				if c.Matched == 0 {
					t.Errorf("%v: nothing compared", c)
				}
			}
		})
	}
}

// TestRecordOwnCapture records psobot of every version against psobox
// into testdata/sessions when run with -update (after a deliberate change
// of what psobox sends); otherwise it checks that a fresh recording still
// replays against a fresh server, like the committed one must.
func TestRecordOwnCapture(t *testing.T) {
	path, _ := capturetest.Record(t, false)
	if *update {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(sessionsDir(t), ownCapture), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	runReplay(t, sessionlogtest.ReadFile(t, path), replay.Options{Addr: servertest.Start(t, servertest.Options()).Addr})
}
