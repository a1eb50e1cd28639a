package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/psobox/psobox/internal/testenv"
)

// The addressing plan of every test: DESIGN.md's island defaults.
const (
	piAddr   = "10.55.0.1"
	sentinel = "198.18.55.1"
	psoName  = "gc01.st-pso.games.sega.net"
)

// lan is a pi namespace and two console namespaces (a GameCube and a
// Dreamcast) cabled to a switch: a bridge in a namespace of its own. The
// pi's lan0 starts down and without an address: setting it up is psobox's
// job.
type lan struct {
	pi, console, dreamcast, sw *testenv.Netns
	dir                        string // config and state, reachable by the unprivileged child
}

func newLAN(t *testing.T) *lan {
	t.Helper()
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "udhcpc")
	testenv.RequireTool(t, "dig")
	l := &lan{dir: sharedTempDir(t)}
	checkNothingLeft(t, l) // registered first, so it runs after every other cleanup
	l.pi = testenv.NewNetns(t, "pi")
	l.console = testenv.NewNetns(t, "con")
	l.dreamcast = testenv.NewNetns(t, "dc")
	l.sw = testenv.NewNetns(t, "sw")
	l.sw.IP(t, "link", "add", "br0", "type", "bridge")
	l.sw.IP(t, "link", "set", "br0", "up")
	for i, end := range []struct {
		ns  *testenv.Netns
		ifc string
	}{{l.pi, "lan0"}, {l.console, "eth0"}, {l.dreamcast, "eth0"}} {
		port := fmt.Sprintf("p%d", i)
		testenv.Veth(t, end.ns, end.ifc, "", l.sw, port, "")
		l.sw.IP(t, "link", "set", port, "master", "br0")
	}
	l.pi.IP(t, "link", "set", "lan0", "down")
	return l
}

// sharedTempDir is a temporary directory that privileges.uid can reach:
// t.TempDir's parent is private to root.
func sharedTempDir(t *testing.T) string {
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// islandConfig is island mode on lan0 with every service psobox has. The
// only upstream resolver is a dead port inside the pi namespace: nothing
// leaves the namespaces.
func islandConfig(drop string) string {
	return `mode = "island"
[network]
interface = "lan0"
address = "` + piAddr + `/24"
sentinel = "` + sentinel + `"
[dns]
listen = ":53"
upstreams = ["127.0.0.1:5399"]
[dhcp]
rogue_check = "1s"
[status]
listen = ":8080"
[privileges]
drop = "` + drop + `"
`
}

// appliance is psobox running in the pi namespace.
type appliance struct {
	cmd    *exec.Cmd
	log    *logLines
	exited chan struct{}
}

// start runs psobox with the config and waits until it serves DHCP.
func (l *lan) start(t *testing.T, config string) *appliance {
	t.Helper()
	file := filepath.Join(l.dir, "psobox.toml")
	if err := os.WriteFile(file, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := l.pi.Command(context.Background(), binary, "-config", file, "-state-dir", filepath.Join(l.dir, "state"))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	a := &appliance{cmd: cmd, log: readLog(stderr), exited: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(a.exited) }()
	t.Cleanup(a.kill)
	a.log.waitFor(t, `msg=ready component=psobox`)
	a.log.waitFor(t, `msg=serving component=dhcp interface=lan0 mode=island`)
	return a
}

// stop asks psobox to stop as gokrazy and systemd do (SIGTERM), and
// checks it stops cleanly.
func (a *appliance) stop(t *testing.T) {
	t.Helper()
	if err := a.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-a.exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("psobox did not stop within 30s:\n%s", a.log)
	}
	if code := a.cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("psobox exited with %d after SIGTERM, want 0:\n%s", code, a.log)
	}
}

// kill ends a psobox the test left running (a failed test) as a crash
// would, then gives its child the moment it needs to follow (its death
// signal is SIGTERM, and it shuts down gracefully).
func (a *appliance) kill() {
	select {
	case <-a.exited:
		return
	default:
	}
	_ = a.cmd.Process.Kill()
	<-a.exited
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if len(processesOf(binary)) == 0 {
			return
		}
	}
}

// childPid is the unprivileged child's pid, from the parent's log line.
func (a *appliance) childPid(t *testing.T) int {
	t.Helper()
	m := a.log.waitFor(t, `msg="services started unprivileged" component=privileges pid=(\d+)`)
	pid, _ := strconv.Atoi(m[1])
	return pid
}

// logLines collects a process's log and lets a test wait for a line.
type logLines struct {
	mu      sync.Mutex
	lines   []string
	changed chan struct{} // closed and replaced on every new line
	closed  bool
}

func readLog(r io.Reader) *logLines {
	l := &logLines{changed: make(chan struct{})}
	go func() {
		s := bufio.NewScanner(r)
		for s.Scan() {
			l.add(s.Text(), false)
		}
		l.add("", true)
	}()
	return l
}

func (l *logLines) add(line string, eof bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if eof {
		l.closed = true
	} else {
		l.lines = append(l.lines, line)
	}
	close(l.changed)
	l.changed = make(chan struct{})
}

func (l *logLines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// find returns the submatches of the first line matching re.
func (l *logLines) find(re *regexp.Regexp) (match []string, changed <-chan struct{}, closed bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range l.lines {
		if m := re.FindStringSubmatch(line); m != nil {
			return m, nil, false
		}
	}
	return nil, l.changed, l.closed
}

// waitFor waits (bounded) for a line matching pattern and returns its
// submatches.
func (l *logLines) waitFor(t *testing.T, pattern string) []string {
	t.Helper()
	re := regexp.MustCompile(pattern)
	deadline := time.After(30 * time.Second)
	for {
		m, changed, closed := l.find(re)
		switch {
		case m != nil:
			return m
		case closed:
			t.Fatalf("psobox exited without logging %q:\n%s", pattern, l)
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("psobox never logged %q:\n%s", pattern, l)
		}
	}
}

// checkNothingLeft checks, after every other cleanup, that no psobox
// process survived and that the namespaces (with their links and
// addresses) are gone.
func checkNothingLeft(t *testing.T, l *lan) {
	t.Cleanup(func() {
		if pids := processesOf(binary); len(pids) > 0 {
			t.Errorf("psobox processes left running: %v", pids)
		}
		out, _ := exec.Command("ip", "netns", "list").Output()
		links, _ := exec.Command("ip", "-o", "link", "show").Output()
		for _, ns := range []*testenv.Netns{l.pi, l.console, l.dreamcast, l.sw} {
			if ns == nil {
				continue
			}
			if strings.Contains(string(out), ns.Name) || strings.Contains(string(links), ns.Name) {
				t.Errorf("namespace %s (or a link into it) is left behind", ns.Name)
			}
		}
	})
}

// processesOf lists the pids running the given executable.
func processesOf(exe string) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if target, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid)); err == nil && target == exe {
			pids = append(pids, pid)
		}
	}
	return pids
}
