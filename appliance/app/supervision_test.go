package app

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"

	"github.com/psobox/psobox/appliance/lifecycle"
	"github.com/psobox/psobox/appliance/systemd"
	"github.com/psobox/psobox/internal/testenv"
)

type fakeService struct {
	name      string
	endpoints []string
}

func (f fakeService) Name() string                 { return f.name }
func (f fakeService) Listen(context.Context) error { return nil }
func (f fakeService) Serve(context.Context) error  { return nil }
func (f fakeService) Endpoints() []string          { return f.endpoints }

func TestStatusLineDescribesEveryService(t *testing.T) {
	var s supervision
	s.describeAs("game", func() string { return "game 15 ports" })
	line := s.line([]lifecycle.Service{
		fakeService{"dns", []string{"udp 0.0.0.0:53", "tcp 0.0.0.0:53"}},
		fakeService{"game", []string{"tcp :9000"}},
		fakeService{"status", []string{"http://0.0.0.0:8080/"}},
	})
	if want := "serving: dns udp 0.0.0.0:53 tcp 0.0.0.0:53, game 15 ports, status http://0.0.0.0:8080/"; line != want {
		t.Errorf("line = %q\nwant   %q", line, want)
	}
}

func TestUntakenSocketsAreClosed(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var logs testenv.SyncBuffer
	s := supervision{sockets: systemd.Sockets{DHCP: pc}}
	s.closeUntaken(slog.New(slog.NewTextHandler(&logs, nil)))
	if _, err := pc.WriteTo([]byte("x"), pc.LocalAddr()); err == nil {
		t.Error("the untaken socket is still open")
	}
	if !strings.Contains(logs.String(), "closing them") || !strings.Contains(logs.String(), "dhcp 127.0.0.1:") {
		t.Errorf("log does not name the closed socket:\n%s", logs.String())
	}
}
