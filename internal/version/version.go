// Package version holds the version and commit psobox was built from.
//
// Both are plain strings set at link time by the Makefile:
//
//	go build -ldflags "-X github.com/psobox/psobox/internal/version.Version=v1.2.3 \
//	  -X github.com/psobox/psobox/internal/version.Commit=abc1234"
//
// A `go build` without those flags leaves the defaults "dev" and "unknown".
package version

// Version is the release (a `git describe` string such as v0.3.0-4-gabc1234).
var Version = "dev"

// Commit is the git commit the binary was built from.
var Commit = "unknown"

// String returns "<version> (commit <commit>)", the text -version prints.
func String() string {
	return Version + " (commit " + Commit + ")"
}
