package systemd

import (
	"bytes"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeManager is the service manager's end of NOTIFY_SOCKET.
func fakeManager(t *testing.T) *net.UnixConn {
	t.Helper()
	path := filepath.Join(t.TempDir(), "notify")
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	t.Setenv("NOTIFY_SOCKET", path)
	return c
}

func receive(t *testing.T, c *net.UnixConn) string {
	t.Helper()
	buf := make([]byte, 4096)
	if err := c.SetReadDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	n, err := c.Read(buf)
	if err != nil {
		t.Fatalf("no notification: %v", err)
	}
	return string(buf[:n])
}

func TestNotifierSpeaksTheProtocol(t *testing.T) {
	m := fakeManager(t)
	n := NewNotifier(slog.New(slog.DiscardHandler))
	n.monotonic = func() time.Duration { return 1234567 * time.Microsecond }
	if !n.Enabled() {
		t.Fatal("Enabled = false with NOTIFY_SOCKET set")
	}
	n.Ready("serving: dns udp 127.0.0.1:53,\n  status :8080")
	n.Status("DHCP refused: another server answers")
	n.Reloading()
	if err := n.Watchdog(); err != nil {
		t.Fatalf("Watchdog = %v", err)
	}
	n.Stopping()
	var got []string
	for range 5 {
		got = append(got, receive(t, m))
	}
	want := []string{
		"READY=1\nSTATUS=serving: dns udp 127.0.0.1:53, status :8080",
		"STATUS=DHCP refused: another server answers",
		"RELOADING=1\nMONOTONIC_USEC=1234567",
		"WATCHDOG=1",
		"STOPPING=1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("datagrams (-want +got):\n%s", diff)
	}
}

func TestNotifierWithoutSystemdDoesNothing(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	var logs bytes.Buffer
	n := NewNotifier(slog.New(slog.NewTextHandler(&logs, nil)))
	n.Ready("serving")
	if err := n.Watchdog(); err != nil || n.Enabled() {
		t.Errorf("Watchdog = %v, Enabled = %v; want nil, false", err, n.Enabled())
	}
	if logs.Len() != 0 {
		t.Errorf("logged without systemd:\n%s", logs.String())
	}
}

func TestNotifierLogsAFailureOnce(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", filepath.Join(t.TempDir(), "gone"))
	var logs bytes.Buffer
	n := NewNotifier(slog.New(slog.NewTextHandler(&logs, nil)))
	for range 3 {
		if err := n.Watchdog(); err == nil {
			t.Fatal("Watchdog to a missing socket = nil, want an error")
		}
	}
	if got := strings.Count(logs.String(), "sd_notify failed"); got != 1 {
		t.Errorf("logged the failure %d times, want once:\n%s", got, logs.String())
	}
}

func TestMonotonicClockAdvances(t *testing.T) {
	a := monotonicNow()
	b := monotonicNow()
	if a <= 0 || b < a {
		t.Errorf("monotonic clock read %v then %v", a, b)
	}
}
