package main

import (
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	miekg "github.com/miekg/dns"
	"github.com/psobox/psobox/internal/testenv"
)

// manager is a fake service manager: the listening end of NOTIFY_SOCKET,
// collecting every datagram psobox sends.
type manager struct {
	path string
	msgs chan string
}

func newManager(t *testing.T) *manager {
	t.Helper()
	path := filepath.Join(t.TempDir(), "notify")
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	m := &manager{path: path, msgs: make(chan string, 1000)}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := c.Read(buf)
			if err != nil {
				close(m.msgs)
				return
			}
			m.msgs <- string(buf[:n])
		}
	}()
	return m
}

// next waits for the first message starting with prefix; the ones before
// it (watchdog pings, mostly) are returned too, in order.
func (m *manager) next(t *testing.T, prefix string) (msg string, skipped []string) {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case msg, ok := <-m.msgs:
			if !ok {
				t.Fatalf("notify socket closed waiting for %q; before: %q", prefix, skipped)
			}
			if strings.HasPrefix(msg, prefix) {
				return msg, skipped
			}
			skipped = append(skipped, msg)
		case <-timeout:
			t.Fatalf("no %q from psobox in 30s; got %q", prefix, skipped)
		}
	}
}

// running is a psobox process the test started.
type running struct {
	cmd    *exec.Cmd
	stderr *testenv.SyncBuffer
}

// startUnder starts psobox (through a shell, so that LISTEN_PID can be
// the pid psobox will have, as systemd sets it) with env added.
func startUnder(t *testing.T, env []string, files []*os.File, args ...string) *running {
	t.Helper()
	script := `LISTEN_PID=$$; export LISTEN_PID; exec "$0" "$@"`
	cmd := exec.Command("/bin/sh", append([]string{"-c", script, binary}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	cmd.ExtraFiles = files
	r := &running{cmd: cmd, stderr: new(testenv.SyncBuffer)}
	cmd.Stderr = r.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	return r
}

// stop sends SIGTERM and wants exit 0.
func (r *running) stop(t *testing.T) {
	t.Helper()
	if err := r.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := r.cmd.Wait(); err != nil {
		t.Errorf("psobox after SIGTERM: %v (want exit 0)\n%s", err, r.stderr)
	}
}

func (r *running) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := r.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
}

var statusDNS = regexp.MustCompile(`dns udp (127\.0\.0\.1:\d+) tcp (127\.0\.0\.1:\d+)`)

// dnsAddrs reads the DNS sockets out of a STATUS= line.
func dnsAddrs(t *testing.T, status string) (udp, tcp string) {
	t.Helper()
	m := statusDNS.FindStringSubmatch(status)
	if m == nil {
		t.Fatalf("STATUS does not say where DNS serves: %q", status)
	}
	return m[1], m[2]
}

// query asks psobox's DNS for name's A record over network ("udp", "tcp")
// and returns the answer's address, or the rcode's name when there is none.
func query(t *testing.T, network, addr, name string) string {
	t.Helper()
	q := new(miekg.Msg)
	q.SetQuestion(miekg.Fqdn(name), miekg.TypeA)
	c := &miekg.Client{Net: network, Timeout: 10 * time.Second}
	r, _, err := c.Exchange(q, addr)
	if err != nil {
		t.Fatalf("query %s over %s to %s: %v", name, network, addr, err)
	}
	for _, rr := range r.Answer {
		if a, ok := rr.(*miekg.A); ok {
			ip, _ := netip.AddrFromSlice(a.A)
			return ip.Unmap().String()
		}
	}
	return miekg.RcodeToString[r.Rcode]
}
