package quest

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
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

// logBuffer captures a logger's output for assertions.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newTestLogger() (*slog.Logger, *logBuffer) {
	b := &logBuffer{}
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
