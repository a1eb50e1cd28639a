package dhcp

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// loopbackConn stands in for the port-67 socket in tests without root.
func loopbackConn(t testing.TB) net.PacketConn {
	t.Helper()
	c, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// runServer runs Listen and Serve in the background; the returned stop
// cancels and waits for Serve to return.
func runServer(t testing.TB, s *Server) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	if err := s.Listen(ctx); err != nil {
		cancel()
		t.Fatalf("Listen: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	return func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}
}

func TestRestartKeepsLeases(t *testing.T) {
	dir := t.TempDir()
	persistent := func(o *Options) { o.StateDir = dir; o.Conn = loopbackConn(t) }
	s1, clock, _ := newTestServer(t, persistent)
	stop := runServer(t, s1)
	first := obtain(t, s1, macPC)
	second := obtain(t, s1, macGC)
	stop()

	s2, _, _ := newTestServer(t, func(o *Options) { persistent(o); o.Now = clock.Now })
	stop = runServer(t, s2)
	defer stop()
	// The second client asks first: without the file it would get the first address.
	if got := obtain(t, s2, macGC); got != second {
		t.Errorf("after restart %v got %v, want %v", macGC, got, second)
	}
	if got := obtain(t, s2, macPC); got != first {
		t.Errorf("after restart %v got %v, want %v", macPC, got, first)
	}
}

func TestLeaseFileIsSavedAfterChanges(t *testing.T) {
	dir := t.TempDir()
	s, _, _ := newTestServer(t, func(o *Options) { o.StateDir = dir; o.Conn = loopbackConn(t) })
	stop := runServer(t, s)
	defer stop()
	obtain(t, s, macPC)
	path := filepath.Join(dir, LeaseFileName)
	deadline := time.Now().Add(10 * time.Second)
	for {
		data, err := os.ReadFile(path)
		if err == nil && strings.Contains(string(data), macPC.String()) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("lease file not written while serving: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestLeaseFileClockHandling(t *testing.T) {
	written := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	recs := []lease{
		{mac: keyOf(macPC), ip: ip("10.55.0.100"), state: stateBound, expiry: written.Add(20 * time.Hour)},
		{mac: keyOf(macGC), ip: ip("10.55.0.101"), state: stateReleased, expiry: written.Add(-3 * time.Hour)},
	}
	data, err := encodeLeases(recs, written)
	if err != nil {
		t.Fatal(err)
	}
	boot1970 := time.Date(1970, 1, 1, 0, 1, 0, 0, time.UTC)
	for _, tc := range []struct {
		name         string
		mtime, now   time.Time
		wantPCLeft   time.Duration
		wantGCFreed  time.Duration // how long ago .101 was freed
		wantPCActive bool
	}{
		{"clock right, 2h later", written, written.Add(2 * time.Hour), 18 * time.Hour, 5 * time.Hour, true},
		{"clock right, two days later", written, written.Add(48 * time.Hour), -28 * time.Hour, 51 * time.Hour, false},
		{"Pi booted in 1970", written, boot1970, 20 * time.Hour, 3 * time.Hour, true},
		{"clock behind the file's mtime", written.Add(time.Hour), written.Add(30 * time.Minute), 20 * time.Hour, 3 * time.Hour, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeLeases(data, tc.mtime, tc.now)
			if err != nil {
				t.Fatal(err)
			}
			gotTimes := []any{got[0].expiry.Sub(tc.now), tc.now.Sub(got[1].expiry), got[0].active(tc.now), got[1].active(tc.now)}
			want := []any{tc.wantPCLeft, tc.wantGCFreed, tc.wantPCActive, false}
			if diff := cmp.Diff(want, gotTimes); diff != "" {
				t.Errorf("pc left, gc freed ago, pc active, gc active (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLeaseFileWrittenWithWrongClock(t *testing.T) {
	// Written shortly after a 1970 boot, read after NTP set the clock: the
	// wall-clock expiries are meaningless, the remaining times are not.
	written := time.Date(1970, 1, 1, 0, 10, 0, 0, time.UTC)
	data, err := encodeLeases([]lease{{mac: keyOf(macPC), ip: ip("10.55.0.100"), state: stateBound, expiry: written.Add(5 * time.Hour)}}, written)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	got, err := decodeLeases(data, written, now)
	if err != nil {
		t.Fatal(err)
	}
	if left := got[0].expiry.Sub(now); left != 5*time.Hour {
		t.Errorf("lease has %v left, want the 5h it had", left)
	}
}

func TestCorruptLeaseFileIsMovedAside(t *testing.T) {
	for name, content := range map[string]string{
		"not JSON":        "{\"version\": 1, \"leases\": [",
		"bad MAC":         `{"version":1,"leases":[{"mac":"zz","ip":"10.55.0.100","state":"bound"}]}`,
		"unknown version": `{"version":7,"leases":[]}`,
		"duplicate":       `{"version":1,"leases":[{"mac":"02:00:00:00:00:01","ip":"10.55.0.100","state":"bound"},{"mac":"02:00:00:00:00:01","ip":"10.55.0.101","state":"bound"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, LeaseFileName)
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			s, _, _ := newTestServer(t, func(o *Options) { o.StateDir = dir; o.Conn = loopbackConn(t) })
			if err := s.Listen(context.Background()); err != nil {
				t.Fatalf("Listen failed on a corrupt lease file: %v", err)
			}
			moved, _ := filepath.Glob(path + ".corrupt-*")
			if len(moved) != 1 {
				t.Fatalf("corrupt file not moved aside: %v", moved)
			}
			if kept, _ := os.ReadFile(moved[0]); string(kept) != content {
				t.Errorf("moved file content %q, want the original", kept)
			}
			if msg := s.Status().LeaseFileError; !strings.Contains(msg, "corrupt lease file") || !strings.Contains(msg, moved[0]) {
				t.Errorf("status lease file error %q does not explain", msg)
			}
			if got := obtain(t, s, macPC); !got.IsValid() {
				t.Errorf("server unusable after a corrupt file")
			}
		})
	}
}

func TestLeasesOutsideTheNewPoolAreDropped(t *testing.T) {
	dir := t.TempDir()
	s1, clock, _ := newTestServer(t, func(o *Options) { o.StateDir = dir })
	obtain(t, s1, macPC)
	s1.save()
	s2, _, _ := newTestServer(t, func(o *Options) {
		o.StateDir, o.Now = dir, clock.Now
		o.Conn = loopbackConn(t)
		o.PoolStart, o.PoolEnd = ip("10.55.0.200"), ip("10.55.0.210")
	})
	if err := s2.Listen(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := s2.Leases(); len(got) != 0 {
		t.Errorf("lease outside the new pool kept: %+v", got)
	}
}

func TestUnreadableStateDirFailsListen(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads any file; this checks the error path for an unprivileged service")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, LeaseFileName), []byte("{}"), 0o000); err != nil {
		t.Fatal(err)
	}
	s, _, _ := newTestServer(t, func(o *Options) { o.StateDir = dir; o.Conn = loopbackConn(t) })
	if err := s.Listen(context.Background()); err == nil {
		t.Errorf("Listen accepted an unreadable lease file")
	}
}

func TestSaveFailureIsReportedAndRecovers(t *testing.T) {
	dir := t.TempDir()
	s, _, _ := newTestServer(t, func(o *Options) { o.StateDir = dir })
	path := filepath.Join(dir, LeaseFileName)
	if err := os.Mkdir(path, 0o700); err != nil { // a directory where the file goes
		t.Fatal(err)
	}
	obtain(t, s, macPC)
	s.save()
	if msg := s.Status().LeaseFileError; !strings.Contains(msg, "saving leases") {
		t.Errorf("save failure not reported: %q", msg)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	s.save()
	if msg := s.Status().LeaseFileError; msg != "" {
		t.Errorf("error %q still reported after a good save", msg)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("lease file not written: %v", err)
	}
}
