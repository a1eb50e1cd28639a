package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/psobox/psobox/internal/testenv"
)

// Started as a systemd unit would start it but without CAP_NET_ADMIN,
// island mode cannot set up the network: psobox says so in one line, names
// the capability, and leaves the network untouched.
func TestIslandWithoutNetAdminIsRefused(t *testing.T) {
	l := newLAN(t)
	testenv.RequireTool(t, "setpriv")
	file := filepath.Join(l.dir, "psobox.toml")
	if err := os.WriteFile(file, []byte(islandConfig("auto")), 0o644); err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(l.dir, "state") // as systemd's StateDirectory= would make it
	if err := os.Mkdir(state, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(state, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	caps := "+net_bind_service,+net_raw"
	out, err := l.pi.Command(ctx, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
		"--inh-caps="+caps, "--ambient-caps="+caps, "--",
		binary, "-config", file, "-state-dir", state).CombinedOutput()
	if err == nil {
		t.Fatalf("psobox started without CAP_NET_ADMIN:\n%s", out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	last := lines[len(lines)-1]
	want := "psobox: network (island mode): set lan0 up: operation not permitted (setting up the network needs CAP_NET_ADMIN"
	if !strings.HasPrefix(last, want) {
		t.Errorf("last line %q\nwant it to start with %q", last, want)
	}
	if got := piAddrs(t, l.pi); len(got) != 1 {
		t.Errorf("pi addresses %q: want only loopback's", got)
	}
}
