package quest

import (
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/psobox/psobox/gameserver/prs"
	"github.com/psobox/psobox/internal/testenv"
)

// fixture reads one file of the fixture quests (skipping without them).
func fixture(t testing.TB, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testenv.FixturesDir(t, "quests"), rel))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func decompress(t testing.TB, data []byte) []byte {
	t.Helper()
	out, err := prs.Decompress(data, maxFileSize)
	if err != nil {
		t.Fatalf("decompress: %v", err)
	}
	return out
}

func newTestLogger() (*slog.Logger, *testenv.SyncBuffer) {
	b := &testenv.SyncBuffer{}
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})), b
}

// writeFiles creates files (path inside dir -> content) under dir.
func writeFiles(t testing.TB, dir string, files map[string][]byte) {
	t.Helper()
	for rel, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func fixtureDir(t testing.TB) string { return testenv.FixturesDir(t, "quests") }
