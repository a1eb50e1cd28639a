package deploy

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/psobox/psobox/internal/testenv"
)

// psoboxBinary builds the real psobox, which judges the example configs.
func psoboxBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "psobox")
	build := exec.Command("go", "build", "-o", bin, "./cmd/psobox")
	build.Dir = testenv.RepoRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build psobox: %v\n%s", err, out)
	}
	return bin
}

// printedKey matches a top-level or table key in -print-config's output.
func printedKey(key string) *regexp.Regexp {
	return regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(key) + ` = "([^"]*)"$`)
}

// Every example config loads in psobox itself (`psobox -print-config
// -config FILE` exits 0), in the mode its compose file is for; the server
// one says which address consoles reach, since psobox cannot see it from
// inside a bridged network.
func TestExampleConfigsLoad(t *testing.T) {
	bin := psoboxBinary(t)
	for _, tc := range []struct{ file, mode, advertise string }{
		{"psobox.island.toml", "island", ""},
		{"psobox.home.toml", "home", ""},
		{"psobox.server.toml", "server", "192.168.1.10"},
	} {
		var stdout, stderr bytes.Buffer
		cmd := exec.Command(bin, "-print-config", "-config", tc.file)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Errorf("psobox -print-config -config %s: %v\n%s", tc.file, err, stderr.String())
			continue
		}
		for key, want := range map[string]string{"mode": tc.mode, "advertise": tc.advertise} {
			m := printedKey(key).FindSubmatch(stdout.Bytes())
			if m == nil || string(m[1]) != want {
				t.Errorf("%s: %s = %q, want %q", tc.file, key, m, want)
			}
		}
	}
}

// The control: psobox does refuse a broken copy, so the test above is
// worth something.
func TestBrokenExampleConfigIsRefused(t *testing.T) {
	good, err := os.ReadFile("psobox.island.toml")
	if err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(t.TempDir(), "psobox.toml")
	if err := os.WriteFile(broken, bytes.Replace(good, []byte(`"10.55.0.1/24"`), []byte(`"10.55.0.0/24"`), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(psoboxBinary(t), "-print-config", "-config", broken).CombinedOutput()
	if err == nil || !bytes.Contains(out, []byte("network.address")) {
		t.Errorf("a network address that is the subnet's own: %v %s; want a refusal naming network.address", err, out)
	}
}
