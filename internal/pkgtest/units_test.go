package pkgtest

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/psobox/psobox/appliance/systemd"
	"github.com/psobox/psobox/internal/testenv"
)

var units = []string{"psobox.service", "psobox-dns.socket", "psobox-dhcp.socket"}

// unitCopies copies the units into a directory with ExecStart= pointing at
// the built binary (verify checks that the program exists), after edit.
func unitCopies(t *testing.T, edit func(name, text string) string) (dir string, paths []string) {
	t.Helper()
	dir = t.TempDir()
	for _, name := range units {
		text := readFile(t, filepath.Join(testenv.RepoRoot(t), "systemd", name))
		text = strings.ReplaceAll(text, "ExecStart=/usr/bin/psobox ", "ExecStart="+psoboxBin+" ")
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(edit(name, text)), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	return dir, paths
}

func unchanged(_, text string) string { return text }

// systemd-analyze verify exits 0 on unknown keys and bad values, so any
// output at all is a failure.
func TestUnitsVerify(t *testing.T) {
	analyze := testenv.RequireTool(t, "systemd-analyze")
	dir, paths := unitCopies(t, unchanged)
	out, code := testenv.Run(t, dir, analyze, append([]string{"verify"}, paths...)...)
	if code != 0 || out != "" {
		t.Errorf("systemd-analyze verify: exit %d, output:\n%s", code, out)
	}
}

// The check above must see a typo and a bad value, which verify reports
// only as output.
func TestVerifyReportsATypo(t *testing.T) {
	analyze := testenv.RequireTool(t, "systemd-analyze")
	dir, paths := unitCopies(t, func(name, text string) string {
		text = strings.Replace(text, "ProtectSystem=strict", "ProtectSytem=strict", 1)
		return strings.Replace(text, "Restart=on-failure", "Restart=sometimes", 1)
	})
	out, _ := testenv.Run(t, dir, analyze, append([]string{"verify"}, paths...)...)
	for _, want := range []string{"ProtectSytem", "sometimes"} {
		if !strings.Contains(out, want) {
			t.Errorf("verify of a broken unit does not mention %q:\n%s", want, out)
		}
	}
}

var exposure = regexp.MustCompile(`Overall exposure level for psobox.service: ([0-9.]+)`)

// The service's exposure score must stay at 2.5 or below ("OK").
func TestServiceSecurityScore(t *testing.T) {
	analyze := testenv.RequireTool(t, "systemd-analyze")
	dir, paths := unitCopies(t, unchanged)
	out, code := testenv.Run(t, dir, analyze, "security", "--offline=true", "--threshold=25", "--no-pager", paths[0])
	m := exposure.FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("systemd-analyze security --threshold=25: exit %d:\n%s", code, out)
	}
	t.Logf("exposure level %s (lower is better; the threshold is 2.5)", m[1])
}

// A bare unit must fail the same threshold: the gate really gates.
func TestSecurityThresholdFailsABareUnit(t *testing.T) {
	analyze := testenv.RequireTool(t, "systemd-analyze")
	dir := t.TempDir()
	bare := filepath.Join(dir, "bare.service")
	text := "[Service]\nType=notify\nExecStart=" + psoboxBin + "\n"
	if err := os.WriteFile(bare, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, code := testenv.Run(t, dir, analyze, "security", "--offline=true", "--threshold=25", "--no-pager", bare); code == 0 {
		t.Errorf("a bare unit passed the threshold:\n%s", out)
	}
}

// The units and psobox agree: notify and watchdog on, the packaged config
// path, and the socket names psobox looks for.
func TestUnitsMatchPsobox(t *testing.T) {
	root := testenv.RepoRoot(t)
	service := readFile(t, filepath.Join(root, "systemd", "psobox.service"))
	for _, line := range []string{
		"Type=notify", "NotifyAccess=main", "WatchdogSec=30s", "DynamicUser=yes", "StateDirectory=psobox",
		"ExecStart=/usr/bin/psobox -config /etc/psobox/psobox.toml", "ExecReload=/bin/kill -HUP $MAINPID",
		"CapabilityBoundingSet=CAP_NET_BIND_SERVICE CAP_NET_RAW CAP_NET_ADMIN",
	} {
		if !hasLine(service, line) {
			t.Errorf("psobox.service lacks the line %q", line)
		}
	}
	for unit, name := range map[string]string{"psobox-dns.socket": systemd.NameDNS, "psobox-dhcp.socket": systemd.NameDHCP} {
		text := readFile(t, filepath.Join(root, "systemd", unit))
		if !hasLine(text, "FileDescriptorName="+name) || !hasLine(text, "Service=psobox.service") {
			t.Errorf("%s does not pass its sockets to psobox.service as %q", unit, name)
		}
	}
}

func hasLine(text, line string) bool {
	for l := range strings.SplitSeq(text, "\n") {
		if strings.TrimSpace(l) == line {
			return true
		}
	}
	return false
}
