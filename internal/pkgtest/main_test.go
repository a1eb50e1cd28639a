package pkgtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
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

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
