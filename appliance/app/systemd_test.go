package app

import (
	"context"
	"log/slog"
	"net"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/psobox/psobox/appliance/lifecycle"
)

// A change in what a service says (DHCP refusing to serve) reaches
// systemd as a new STATUS= line, once.
func TestStatusLineFollowsTheServices(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notify")
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	t.Setenv("NOTIFY_SOCKET", path)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := newSupervisor(ctx, slog.New(slog.DiscardHandler), Options{})
	s.refresh = 10 * time.Millisecond
	var dhcpSays atomic.Value
	dhcpSays.Store("dhcp on eth0 checking")
	w := &wiring{list: []lifecycle.Service{fakeService{name: "dhcp"}, fakeService{"status", []string{"http://:8080/"}}}}
	w.sup.describeAs("dhcp", func() string { return dhcpSays.Load().(string) })
	s.bind(w, serverConfig(t, "127.0.0.1:5353", ""))
	s.ready()
	if got, want := receive(t, c), "READY=1\nSTATUS=serving: dhcp on eth0 checking, status http://:8080/"; got != want {
		t.Fatalf("first message %q, want %q", got, want)
	}
	dhcpSays.Store("DHCP refused: another DHCP server (10.55.0.254, MAC 00:11:22:33:44:55) answers on eth0")
	want := "STATUS=serving: DHCP refused: another DHCP server (10.55.0.254, MAC 00:11:22:33:44:55) answers on eth0, status http://:8080/"
	if got := receive(t, c); got != want {
		t.Errorf("after the change %q, want %q", got, want)
	}
	s.close()
	if got := receive(t, c); got != "STOPPING=1" {
		t.Errorf("after close %q, want STOPPING=1 (and no repeated STATUS)", got)
	}
}

func receive(t *testing.T, c *net.UnixConn) string {
	t.Helper()
	buf := make([]byte, 4096)
	_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
	n, err := c.Read(buf)
	if err != nil {
		t.Fatalf("no notification: %v", err)
	}
	return string(buf[:n])
}
