package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// binary is psobox, built once by TestMain when the tests can run.
var binary string

func TestMain(m *testing.M) {
	if os.Geteuid() != 0 {
		os.Exit(m.Run()) // every test skips and says why
	}
	dir, err := os.MkdirTemp("", "psobox-e2e-")
	if err == nil {
		err = os.Chmod(dir, 0o755) // the unprivileged child runs it too
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "psobox")
	out, err := exec.Command("go", "build", "-o", binary, "../../cmd/psobox").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
