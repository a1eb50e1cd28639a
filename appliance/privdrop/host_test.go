package privdrop

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/psobox/psobox/internal/testenv"
)

func fakeHost(env map[string]string, files ...string) Host {
	return Host{
		Geteuid: func() int { return 0 },
		Getenv:  func(k string) string { return env[k] },
		Stat: func(p string) (fs.FileInfo, error) {
			for _, f := range files {
				if f == p {
					return nil, nil
				}
			}
			return nil, fs.ErrNotExist
		},
	}
}

func TestGokrazy(t *testing.T) {
	for _, tc := range []struct {
		name string
		h    Host
		want bool
	}{
		{"gokrazy's init is there", fakeHost(nil, "/gokrazy/init"), true},
		{"first start under gokrazy", fakeHost(map[string]string{"GOKRAZY_FIRST_START": "1"}), true},
		{"a Debian host", fakeHost(nil, "/etc/debian_version"), false},
	} {
		if got := tc.h.Gokrazy(); got != tc.want {
			t.Errorf("%s: Gokrazy() = %v", tc.name, got)
		}
	}
}

func TestChild(t *testing.T) {
	if fakeHost(nil).Child() {
		t.Error("a plain process thinks it is the child")
	}
	if !fakeHost(map[string]string{ChildEnv: "3"}).Child() {
		t.Error("the child does not know it")
	}
}

func TestReachable(t *testing.T) {
	top := t.TempDir()
	state := filepath.Join(top, "a", "state")
	if err := os.MkdirAll(state, 0o750); err != nil {
		t.Fatal(err)
	}
	// t.TempDir's own parent is private (0700): open it up like the rest.
	for _, d := range []string{filepath.Dir(top), top, filepath.Join(top, "a")} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// The test's own uid owns state (0750): reachable as that owner, and for
	// another uid only through the other-x bits, which state lacks.
	uid, gid := os.Getuid(), os.Getgid()
	if err := Reachable(state, uid, gid); err != nil {
		t.Errorf("owner: %v", err)
	}
	if err := Reachable(filepath.Dir(filepath.Dir(top)), 65534, 65534); err != nil {
		t.Skipf("the temporary directory is private on this machine: %v", err)
	}
	err := Reachable(state, 65534, 65534)
	if err == nil || !strings.Contains(err.Error(), state+" is mode 0750") {
		t.Errorf("other uid: %v, want it to name %s and its mode", err, state)
	}
	if err := os.Chmod(filepath.Join(top, "a"), 0o700); err != nil {
		t.Fatal(err)
	}
	err = Reachable(state, 65534, 65534)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(top, "a")+" is mode 0700") {
		t.Errorf("private parent: %v, want it to name the parent", err)
	}
}

// Own hands over a state directory written by root, symlinks included
// but never what they point to.
func TestOwn(t *testing.T) {
	testenv.RequireRoot(t)
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "outside")
	for _, f := range []string{"leases.json", "sub/accounts.db", outside} {
		p := f
		if !filepath.IsAbs(f) {
			p = filepath.Join(dir, f)
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(outside, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if err := Own(dir, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{".", "leases.json", "sub", "sub/accounts.db", "link"} {
		if uid := owner(t, filepath.Join(dir, f)); uid != 65534 {
			t.Errorf("%s is owned by %d", f, uid)
		}
	}
	if uid := owner(t, outside); uid != 0 {
		t.Errorf("the symlink's target was given away too (uid %d)", uid)
	}
}

func owner(t *testing.T, path string) uint32 {
	t.Helper()
	info, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Sys().(*syscall.Stat_t).Uid
}
