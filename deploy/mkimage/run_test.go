package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/psobox/psobox/internal/testenv"
)

// podman runs rootful podman on a store of the test's own, so the test
// neither sees nor leaves images and volumes in the machine's store.
type podman struct {
	bin   string
	store []string // --root and --runroot
	// runtime and limits are what this machine needs to start a
	// container, found by chooseRuntime.
	runtime, limits []string
}

func newPodman(t *testing.T) *podman {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root for rootful podman (CI runs as root)")
	}
	p := &podman{bin: testenv.RequireTool(t, "podman")}
	dir := t.TempDir()
	p.store = []string{"--root", filepath.Join(dir, "root"), "--runroot", filepath.Join(dir, "run")}
	t.Cleanup(func() {
		_, _ = p.try("rm", "-af")
		_, _ = p.try("volume", "rm", "-af")
		_, _ = p.try("rmi", "-af")
	})
	return p
}

// try runs podman and returns its combined output.
func (p *podman) try(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	global := append(append([]string{}, p.store...), p.runtime...)
	out, err := exec.CommandContext(ctx, p.bin, append(global, args...)...).CombinedOutput()
	return string(bytes.TrimSpace(out)), err
}

func (p *podman) run(t *testing.T, args ...string) string {
	t.Helper()
	out, err := p.try(args...)
	if err != nil {
		t.Fatalf("podman %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// containerRun is `podman run` with the flags this machine needs.
func (p *podman) containerRun(args ...string) []string {
	return append(append([]string{"run"}, p.limits...), args...)
}

// chooseRuntime finds how this machine can start a container, by running
// psobot -version from the image: podman's defaults first, then lower
// rlimits (a sandbox may forbid raising them to podman's defaults), then
// runc (crun refuses hybrid cgroup v1/v2 hierarchies). If nothing starts,
// the test says so and skips: nothing can be run here, which is not a
// fault of the image.
func (p *podman) chooseRuntime(t *testing.T, image string) {
	t.Helper()
	lower := []string{"--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096"}
	attempts := []struct{ runtime, limits []string }{{nil, nil}, {nil, lower}}
	if _, err := exec.LookPath("runc"); err == nil {
		attempts = append(attempts, struct{ runtime, limits []string }{[]string{"--runtime", "runc"}, lower})
	}
	var failures []string
	for _, a := range attempts {
		p.runtime, p.limits = a.runtime, a.limits
		out, err := p.try(p.containerRun("--rm", "--network", "none", "--entrypoint", psobotPath, image, "-version")...)
		if err == nil && strings.HasPrefix(out, "psobot ") {
			t.Logf("containers start here with podman %s", strings.Join(append(a.runtime, a.limits...), " "))
			return
		}
		how := strings.Join(append(a.runtime, a.limits...), " ")
		if how == "" {
			how = "podman's defaults"
		}
		failures = append(failures, "  "+how+": "+lastLine(out))
	}
	t.Skipf("THIS MACHINE CANNOT RUN CONTAINERS, so the image is built and inspected but not run here "+
		"(if crun refuses the host's cgroups, installing runc may help):\n%s", strings.Join(failures, "\n"))
}

func lastLine(s string) string {
	lines := strings.Split(s, "\n")
	return lines[len(lines)-1]
}

// The image as compose runs it in server mode, under a real runtime:
// psobox starts as the unprivileged user on a read-only root with every
// capability dropped but NET_BIND_SERVICE, binds port 53 thanks to its
// file capabilities, answers the health check compose uses, keeps its
// state in a named volume the user owns, and stops cleanly.
func TestImageRunsUnderPodman(t *testing.T) {
	archive := testArchive(t)
	p := newPodman(t)
	image := p.run(t, "pull", "-q", "oci-archive:"+archive)
	p.chooseRuntime(t, image)
	if out := p.run(t, p.containerRun("--rm", "--network", "none", image, "-version")...); !strings.HasPrefix(out, "psobox ") {
		t.Errorf("psobox -version in the image: %q", out)
	}
	config := t.TempDir()
	text := "[dns]\nlisten = \"127.0.0.1:53\"\ncatchall = true\n[game]\nenabled = false\n"
	if err := os.WriteFile(filepath.Join(config, "psobox.toml"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	p.run(t, p.containerRun("-d", "--name", "psobox-test", "--network", "none", "--read-only",
		"--cap-drop", "ALL", "--cap-add", "NET_BIND_SERVICE",
		"-v", config+":/etc/psobox:ro", "-v", "psobox-state:/var/lib/psobox",
		image, "-config", "/etc/psobox/psobox.toml")...)
	waitHealthy(t, p)
	logs := p.run(t, "logs", "psobox-test")
	for _, want := range []string{
		"msg=capabilities component=psobox net_bind_service=true net_raw=false net_admin=false",
		`msg=serving component=lifecycle service=dns on="udp 127.0.0.1:53, tcp 127.0.0.1:53"`,
		"state_dir=/var/lib/psobox",
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("container log lacks %q:\n%s", want, logs)
		}
	}
	checkVolumeOwner(t, p)
	p.run(t, "stop", "-t", "10", "psobox-test")
	if code := p.run(t, "inspect", "--format", "{{.State.ExitCode}}", "psobox-test"); code != "0" {
		t.Errorf("psobox exit code after podman stop: %s, want 0\n%s", code, p.run(t, "logs", "psobox-test"))
	}
}

// waitHealthy runs compose's health check until it passes.
func waitHealthy(t *testing.T, p *podman) {
	t.Helper()
	var out string
	var err error
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		out, err = p.try("exec", "psobox-test", psoboxPath, "-config", "/etc/psobox/psobox.toml", "-healthcheck")
		if err == nil {
			return
		}
		if running, _ := p.try("inspect", "--format", "{{.State.Running}}", "psobox-test"); running != "true" {
			break
		}
	}
	logs, _ := p.try("logs", "psobox-test")
	t.Fatalf("psobox -healthcheck never passed: %v %s\ncontainer log:\n%s", err, out, logs)
}

// checkVolumeOwner: a new named volume takes the image's state directory
// owner and mode, so the unprivileged user can write its state.
func checkVolumeOwner(t *testing.T, p *podman) {
	t.Helper()
	dir := p.run(t, "volume", "inspect", "--format", "{{.Mountpoint}}", "psobox-state")
	info, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	st := info.Sys().(*syscall.Stat_t)
	if st.Uid != userID || st.Gid != userID || info.Mode().Perm() != 0o750 {
		t.Errorf("state volume %s: owner %d:%d mode %v, want %d:%d 0750", dir, st.Uid, st.Gid, info.Mode().Perm(), userID, userID)
	}
}
