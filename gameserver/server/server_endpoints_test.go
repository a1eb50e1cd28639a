package server_test

import (
	"strings"
	"testing"

	"github.com/psobox/psobox/gameserver/server/servertest"
)

func TestEndpointsNameEveryPort(t *testing.T) {
	srv := servertest.Start(t, servertest.Options())
	eps := srv.Server.Endpoints()
	if len(eps) != 1 || !strings.HasPrefix(eps[0], "tcp 127.0.0.1 ports ") {
		t.Fatalf("Endpoints() = %q, want one line for 127.0.0.1", eps)
	}
	if got, want := strings.Count(eps[0], ",")+1, len(srv.Addrs); got != want {
		t.Errorf("Endpoints() lists %d ports, server has %d: %q", got, want, eps[0])
	}
}
