package lobbyreplay

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/sessionlog"
	"github.com/psobox/psobox/internal/testenv"
)

// TestLobbyPhasesOfRecordedSessions replays what the real clients of the
// recorded sessions did in lobbies through psobox and checks each command
// is accepted and reaches exactly the players it should.
func TestLobbyPhasesOfRecordedSessions(t *testing.T) {
	dir := testenv.FixturesDir(t, "pso-sessions")
	files, err := filepath.Glob(filepath.Join(dir, "*.test.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no session logs in %s: %v", dir, err)
	}
	replayed := 0
	for _, f := range files {
		s := Extract(filepath.Base(f), readLog(t, f))
		if s == nil {
			continue
		}
		t.Run(s.File, func(t *testing.T) {
			o := servertest.Options()
			o.OnPanic = func(v any) { t.Errorf("server panicked: %v", v) }
			srv := servertest.Start(t, o)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			r := New(t, srv, s)
			r.Run(ctx)
			t.Logf("%d players, %d commands sent, %d deliveries checked, skipped: %v", len(s.Players), r.Sent, r.Checked, r.Skipped)
			if r.Sent == 0 {
				t.Error("nothing replayed")
			}
		})
		replayed++
	}
	if replayed == 0 {
		t.Fatal("no lobby activity in any log")
	}
}

func readLog(t *testing.T, path string) []sessionlog.Event {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	evs, err := sessionlog.Read(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return evs
}
