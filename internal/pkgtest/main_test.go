package pkgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// psoboxBin is psobox built once for the tests that need a real binary
// (systemd-analyze verify wants ExecStart= to exist).
var psoboxBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "pkgtest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	psoboxBin = filepath.Join(dir, "psobox")
	out, err := exec.Command("go", "build", "-o", psoboxBin, "github.com/psobox/psobox/cmd/psobox").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "go build psobox: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	if built.dir != "" {
		os.RemoveAll(built.dir) // the packages of make deb
	}
	os.Exit(code)
}

// run runs a command and returns its combined output and exit code; a
// command that cannot start fails the test.
func run(t *testing.T, dir string, name string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("%s %q: %v", name, args, err)
	}
	return out.String(), cmd.ProcessState.ExitCode()
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
