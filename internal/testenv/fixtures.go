package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

// RepoRoot returns the directory holding the module's go.mod, found by
// walking up from the test's working directory (the package directory).
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("getwd: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// FixturesDir returns ../shared/fixtures next to the checkout (or
// $PSOBOX_FIXTURES), joined with the optional sub path. The test is skipped
// with a clear message when the fixtures are not there: a user's clone has
// no access to them, and they must never be copied into the repo.
func FixturesDir(t testing.TB, sub ...string) string {
	t.Helper()
	base := os.Getenv("PSOBOX_FIXTURES")
	if base == "" {
		base = filepath.Join(RepoRoot(t), "..", "shared", "fixtures")
	}
	dir := filepath.Join(append([]string{base}, sub...)...)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("fixtures not available (%s): %v; this test needs ../shared/fixtures beside the checkout", dir, err)
	}
	return dir
}
