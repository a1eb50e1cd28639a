package main

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/psobox/psobox/internal/testenv"
)

// nobody is the user the capability tests run psobox as.
const nobody = "65534"

// staticBinary builds psobox as the image ships it (CGO_ENABLED=0: only a
// static binary can change the capabilities of every thread) into a
// directory any user can read.
func staticBinary(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "psobox-caps-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "psobox")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// capsSetup is a psobox binary with the image's file capabilities, a
// copy without them, and a config binding DNS to the privileged port 53
// inside a network namespace of the test's own.
type capsSetup struct {
	withCaps, withoutCaps, config string
	ns                            *testenv.Netns
}

func newCapsSetup(t *testing.T) capsSetup {
	t.Helper()
	testenv.RequireRoot(t)
	setcap := testenv.RequireTool(t, "setcap")
	testenv.RequireTool(t, "setpriv")
	s := capsSetup{withCaps: staticBinary(t), ns: testenv.NewNetns(t, "caps")}
	dir := filepath.Dir(s.withCaps)
	s.withoutCaps = filepath.Join(dir, "psobox-nocaps")
	if out, err := exec.Command("cp", s.withCaps, s.withoutCaps).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v: %s", err, out)
	}
	// What deploy/mkimage gives /usr/bin/psobox: permitted, not effective.
	if out, err := exec.Command(setcap, "cap_net_bind_service,cap_net_raw,cap_net_admin=p", s.withCaps).CombinedOutput(); err != nil {
		t.Fatalf("setcap: %v: %s", err, out)
	}
	s.config = filepath.Join(dir, "psobox.toml")
	text := "[dns]\nlisten = \"127.0.0.1:53\"\ncatchall = true\n[game]\nenabled = false\n[status]\nlisten = \"127.0.0.1:8080\"\n"
	if err := os.WriteFile(s.config, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return s
}

// command runs bin as nobody in the namespace, with only the given
// capabilities in the bounding set (as a container's cap_drop/cap_add
// leaves it), or all of them when bounding is "".
func (s capsSetup) command(ctx context.Context, t *testing.T, bounding, bin string, args ...string) *exec.Cmd {
	state := filepath.Join(filepath.Dir(bin), "state-"+filepath.Base(bin)+strings.TrimPrefix(bounding, "+"))
	if err := os.MkdirAll(state, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(state, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	priv := []string{"--reuid=" + nobody, "--regid=" + nobody, "--clear-groups"}
	if bounding != "" {
		priv = append(priv, "--bounding-set=-all,"+bounding)
	}
	priv = append(priv, "--", bin, "-config", s.config, "-state-dir", state)
	return s.ns.Command(ctx, "setpriv", append(priv, args...)...)
}

// start runs psobox until it logs ready (or exits) and returns its log.
func (s capsSetup) start(t *testing.T, bounding, bin string) (log string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	cmd := s.command(ctx, t, bounding, bin)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	log = readUntil(stderr, "msg=ready")
	return log, func() error {
		if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
			return err
		}
		return cmd.Wait()
	}
}

// readUntil reads r until a line contains want or r ends.
func readUntil(r io.Reader, want string) string {
	var log strings.Builder
	buf := make([]byte, 4096)
	for !strings.Contains(log.String(), want) {
		n, err := r.Read(buf)
		log.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return log.String()
}

// An unprivileged user gets ports below 1024 from the file capabilities
// alone, and psobox raises what the bounding set allows: with all three
// network capabilities, or with only NET_BIND_SERVICE as the server-mode
// compose file grants (no "operation not permitted" at exec, which the
// effective bit would cause).
func TestFileCapabilitiesLetNobodyBindPort53(t *testing.T) {
	s := newCapsSetup(t)
	for _, tc := range []struct{ bounding, want string }{
		{"", "net_bind_service=true net_raw=true net_admin=true"},
		{"+net_bind_service", "net_bind_service=true net_raw=false net_admin=false"},
	} {
		log, stop := s.start(t, tc.bounding, s.withCaps)
		if !strings.Contains(log, "msg=capabilities component=psobox "+tc.want) || !strings.Contains(log, "msg=ready") {
			t.Errorf("bounding set %q: want capabilities %s and ready, log:\n%s", tc.bounding, tc.want, log)
		}
		if !strings.Contains(log, `msg=serving component=lifecycle service=dns on="udp 127.0.0.1:53, tcp 127.0.0.1:53"`) {
			t.Errorf("bounding set %q: DNS does not say it serves on 127.0.0.1:53:\n%s", tc.bounding, log)
		}
		health, err := s.command(context.Background(), t, tc.bounding, s.withCaps, "-healthcheck").CombinedOutput()
		if err != nil || !strings.HasPrefix(string(health), "healthy:") {
			t.Errorf("bounding set %q: -healthcheck: %v %s", tc.bounding, err, health)
		}
		if err := stop(); err != nil {
			t.Errorf("bounding set %q: psobox after SIGINT: %v", tc.bounding, err)
		}
	}
}

// The control: the same binary without file capabilities cannot bind
// port 53 as nobody, so the test above proves the capabilities work.
func TestWithoutFileCapabilitiesNobodyCannotBindPort53(t *testing.T) {
	s := newCapsSetup(t)
	out, err := s.command(context.Background(), t, "", s.withoutCaps).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "net_bind_service=false") || !strings.Contains(string(out), "127.0.0.1:53: bind: permission denied") {
		t.Errorf("psobox without file capabilities: %v, want exit 1 and bind: permission denied; output:\n%s", err, out)
	}
}
