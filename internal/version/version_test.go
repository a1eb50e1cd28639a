package version

import "testing"

func TestStringNamesVersionAndCommit(t *testing.T) {
	if got, want := String(), "dev (commit unknown)"; got != want {
		t.Errorf("String() = %q, want %q (defaults of a build without -ldflags -X)", got, want)
	}
}
