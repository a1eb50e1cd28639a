package pkgtest

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/psobox/psobox/internal/testenv"
)

// The amd64 package installs with dpkg, with its conffile, enablement and
// maintainer scripts, and purges without a trace. This changes the
// machine's package database, so it runs only as root (CI), never where
// psobox is installed already, and purges in cleanup whatever happens.
func TestDebInstallsAndPurges(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to install a package with dpkg (CI runs it as root)")
	}
	dpkg := testenv.RequireTool(t, "dpkg")
	testenv.RequireTool(t, "deb-systemd-helper")
	if out, code := testenv.Run(t, "", "dpkg-query", "-W", "-f", "${Status}", "psobox"); code == 0 && strings.Contains(out, "installed") {
		t.Skipf("psobox is installed on this machine (%s); not touching it", out)
	}
	deb := debs(t)["amd64"]
	noServiceStarts(t)
	t.Cleanup(func() { dpkgRetry(t, dpkg, "--purge", "psobox") })
	if out := dpkgRetry(t, dpkg, "-i", deb); t.Failed() {
		t.Fatalf("dpkg -i:\n%s", out)
	}
	installed := []string{
		"/usr/bin/psobox", "/usr/bin/psobot", "/usr/lib/systemd/system/psobox.service",
		"/usr/lib/systemd/system/psobox-dns.socket", "/usr/lib/systemd/system/psobox-dhcp.socket",
		"/etc/psobox/psobox.toml", "/usr/share/doc/psobox/copyright",
	}
	for _, path := range installed {
		if _, err := os.Stat(path); err != nil {
			t.Errorf("after dpkg -i: %v", err)
		}
	}
	// postinst enabled the service (deb-systemd-helper, no systemd needed)
	// and left the socket units off.
	enabled := "/etc/systemd/system/multi-user.target.wants/psobox.service"
	if _, err := os.Lstat(enabled); err != nil {
		t.Errorf("psobox.service not enabled: %v", err)
	}
	if _, err := os.Lstat("/etc/systemd/system/sockets.target.wants/psobox-dns.socket"); err == nil {
		t.Error("psobox-dns.socket was enabled; socket activation is opt-in")
	}
	if conffiles := readFile(t, "/var/lib/dpkg/info/psobox.conffiles"); strings.TrimSpace(conffiles) != "/etc/psobox/psobox.toml" {
		t.Errorf("dpkg's conffiles for psobox = %q", conffiles)
	}
	if out := dpkgRetry(t, dpkg, "--purge", "psobox"); t.Failed() {
		t.Fatalf("dpkg --purge:\n%s", out)
	}
	for _, path := range append(installed, enabled, "/etc/psobox") {
		if _, err := os.Lstat(path); err == nil {
			t.Errorf("%s is still there after dpkg --purge", path)
		}
	}
}

// noServiceStarts keeps postinst from starting psobox on a machine where
// systemd runs (a CI runner): a policy-rc.d that forbids psobox's units,
// as deb-systemd-invoke asks it. Without systemd nothing starts anyway.
func noServiceStarts(t *testing.T) {
	t.Helper()
	const policy = "/usr/sbin/policy-rc.d"
	if _, err := os.Stat("/run/systemd/system"); err != nil {
		return
	}
	if _, err := os.Stat(policy); err == nil {
		t.Skipf("systemd runs and %s exists already; not replacing it to keep psobox from starting", policy)
	}
	script := "#!/bin/sh\n# psobox package test: never start psobox's units.\ncase \"$1\" in psobox*) exit 101 ;; esac\nexit 0\n"
	if err := os.WriteFile(policy, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(policy) })
}

// dpkgRetry runs dpkg, waiting for another package operation on the
// machine to release the dpkg lock; a failure marks the test failed.
func dpkgRetry(t *testing.T, dpkg string, args ...string) string {
	t.Helper()
	var out string
	var code int
	for range 20 {
		out, code = testenv.Run(t, "", dpkg, args...)
		if code == 0 || !strings.Contains(out, "lock") {
			break
		}
		time.Sleep(3 * time.Second)
	}
	if code != 0 {
		t.Errorf("dpkg %s: exit %d\n%s", strings.Join(args, " "), code, out)
	}
	return out
}
