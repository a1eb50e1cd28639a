package dhcp

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/psobox/psobox/internal/testenv"
)

// lab is a LAN made of network namespaces: "pi" holds the bridge br0
// (10.55.0.1/24) psobox serves on, and every peer namespace hangs off the
// bridge by a veth pair.
type lab struct {
	t     testing.TB
	pi    *testenv.Netns
	ports int
}

const labIf = "br0"

func newLab(t testing.TB) *lab {
	t.Helper()
	testenv.RequireRoot(t)
	pi := testenv.NewNetns(t, "pi")
	pi.IP(t, "link", "add", labIf, "type", "bridge")
	pi.IP(t, "addr", "add", "10.55.0.1/24", "dev", labIf)
	pi.IP(t, "link", "set", labIf, "up")
	return &lab{t: t, pi: pi}
}

// addPeer attaches a new namespace with interface eth0; cidr and mac are
// optional.
func (l *lab) addPeer(tag, cidr, mac string) *testenv.Netns {
	l.t.Helper()
	ns := testenv.NewNetns(l.t, tag)
	port := fmt.Sprintf("port%d", l.ports)
	l.ports++
	testenv.Veth(l.t, l.pi, port, "", ns, "eth0", cidr)
	l.pi.IP(l.t, "link", "set", port, "master", labIf)
	if mac != "" {
		ns.IP(l.t, "link", "set", "dev", "eth0", "address", mac)
	}
	return ns
}

// labOptions is an island server on br0 with the real clock and sockets.
func labOptions(t testing.TB) Options {
	return Options{
		Mode: ModeIsland, Interface: labIf, Address: serverAddr,
		PoolStart: ip("10.55.0.100"), PoolEnd: ip("10.55.0.120"),
		Domain: "psobox", StateDir: t.TempDir(), Logger: testLogger(t),
	}
}

// start binds the server's sockets inside the pi namespace and serves.
func (l *lab) start(o Options) (*Server, func()) {
	l.t.Helper()
	s, err := New(o)
	if err != nil {
		l.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := l.pi.Do(func() error { return s.Listen(ctx) }); err != nil {
		cancel()
		l.t.Fatalf("Listen in %s: %v", l.pi.Name, err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			l.t.Errorf("Serve: %v", err)
		}
	}
	l.t.Cleanup(stop)
	return s, stop
}

func waitServing(t testing.TB, s *Server) {
	t.Helper()
	waitFor(t, "serving", func() bool { return s.Status().State == StateServing })
}

// hookScript writes a DHCP client hook that saves its environment to out
// when the client got a lease.
func hookScript(t *testing.T, out, condition string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hook.sh")
	body := fmt.Sprintf("#!/bin/sh\nif %s; then env > %q.tmp && mv %q.tmp %q; fi\nexit 0\n", condition, out, out, out)
	if err := os.WriteFile(path, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func readEnv(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			env[k] = v
		}
	}
	return env, sc.Err()
}

// udhcpc runs busybox udhcpc once in ns and returns its hook environment.
func udhcpc(t *testing.T, ns *testenv.Netns, extra ...string) (map[string]string, error) {
	t.Helper()
	testenv.RequireTool(t, "udhcpc")
	out := filepath.Join(t.TempDir(), "env")
	script := hookScript(t, out, `[ "$1" = bound ]`)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	args := append([]string{"-i", "eth0", "-f", "-q", "-n", "-t", "3", "-T", "1", "-s", script}, extra...)
	if output, err := ns.Command(ctx, "udhcpc", args...).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("udhcpc: %w: %s", err, output)
	}
	return readEnv(out)
}

// dhclient runs ISC dhclient in the foreground until its hook reports a
// lease, then kills it by PID.
func dhclient(t *testing.T, ns *testenv.Netns) (map[string]string, error) {
	t.Helper()
	testenv.RequireTool(t, "dhclient")
	dir := t.TempDir()
	out := filepath.Join(dir, "env")
	script := hookScript(t, out, `[ "$reason" = BOUND ]`)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := ns.Command(ctx, "dhclient", "-d", "-1", "-v", "-sf", script,
		"-lf", filepath.Join(dir, "leases"), "-pf", filepath.Join(dir, "pid"), "eth0")
	var log strings.Builder
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	for ctx.Err() == nil {
		if env, err := readEnv(out); err == nil {
			return env, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil, fmt.Errorf("dhclient got no lease: %s", log.String())
}

// pick extracts the named variables, for whole-map comparisons.
func pick(env map[string]string, keys ...string) map[string]string {
	out := map[string]string{}
	for _, k := range keys {
		out[k] = env[k]
	}
	return out
}
