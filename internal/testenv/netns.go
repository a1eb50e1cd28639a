package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/vishvananda/netns"
)

// RequireRoot skips the test unless it runs as root with the ip(8) tool,
// which network-namespace tests need. CI runs as root, so these tests run
// there; a developer without root sees why they were skipped.
func RequireRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to create network namespaces (run `sudo make test`, or rely on CI which runs as root)")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("needs ip(8) from iproute2 to create network namespaces")
	}
}

// RequireTool skips the test when an external peer program is missing.
// .ci/run installs every one of them, so CI never skips for this reason.
func RequireTool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("needs %s on PATH (installed by .ci/run)", name)
	}
	return path
}

// Netns is a network namespace created by the test and deleted at cleanup.
type Netns struct {
	Name string
}

// NewNetns creates a namespace named psbx-<tag>-<random> with its loopback up.
// Names are random so that concurrent test binaries never collide.
func NewNetns(t testing.TB, tag string) *Netns {
	t.Helper()
	RequireRoot(t)
	name := fmt.Sprintf("psbx-%s-%s", tag, randHex(3))
	mustIP(t, "netns", "add", name)
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", name).Run() })
	ns := &Netns{Name: name}
	mustIP(t, "-n", name, "link", "set", "lo", "up")
	return ns
}

// Veth joins two namespaces with a veth pair named ifA (in a) and ifB (in b),
// assigns the given CIDR addresses when non-empty, and brings both ends up.
func Veth(t testing.TB, a *Netns, ifA, addrA string, b *Netns, ifB, addrB string) {
	t.Helper()
	tmpA, tmpB := "va"+randHex(4), "vb"+randHex(4)
	mustIP(t, "link", "add", tmpA, "type", "veth", "peer", "name", tmpB)
	mustIP(t, "link", "set", tmpA, "netns", a.Name, "name", ifA)
	mustIP(t, "link", "set", tmpB, "netns", b.Name, "name", ifB)
	for _, end := range []struct {
		ns        *Netns
		ifc, cidr string
	}{{a, ifA, addrA}, {b, ifB, addrB}} {
		if end.cidr != "" {
			mustIP(t, "-n", end.ns.Name, "addr", "add", end.cidr, "dev", end.ifc)
		}
		mustIP(t, "-n", end.ns.Name, "link", "set", end.ifc, "up")
	}
}

// IP runs `ip -n <ns> args...` and fails the test on error.
func (n *Netns) IP(t testing.TB, args ...string) {
	t.Helper()
	mustIP(t, append([]string{"-n", n.Name}, args...)...)
}

// Command returns a command that runs inside the namespace (ip netns exec).
func (n *Netns) Command(ctx context.Context, name string, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", n.Name, name}, args...)...)
}

// Do runs fn on an OS thread switched into the namespace. Sockets created by
// fn stay in the namespace after Do returns, so an in-process server can be
// bound inside it and served from any goroutine.
func (n *Netns) Do(fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		// The thread is never unlocked: if switching back failed, the runtime
		// discards the thread with the goroutine instead of reusing it.
		runtime.LockOSThread()
		orig, err := netns.Get()
		if err != nil {
			errc <- fmt.Errorf("get current netns: %w", err)
			return
		}
		defer orig.Close()
		target, err := netns.GetFromName(n.Name)
		if err != nil {
			errc <- fmt.Errorf("open netns %s: %w", n.Name, err)
			return
		}
		defer target.Close()
		if err := netns.Set(target); err != nil {
			errc <- fmt.Errorf("enter netns %s: %w", n.Name, err)
			return
		}
		ferr := fn()
		if err := netns.Set(orig); err != nil {
			errc <- fmt.Errorf("leave netns %s: %w", n.Name, err)
			return
		}
		runtime.UnlockOSThread()
		errc <- ferr
	}()
	return <-errc
}

func mustIP(t testing.TB, args ...string) {
	t.Helper()
	out, err := exec.Command("ip", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
