package image

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/psobox/psobox/internal/testenv"
)

// testUpdate installs a changed copy of the running image over the network,
// as `psobox-image update` does, and checks that the VM rebooted into it:
// psobox now hands out the new DHCP domain, and the console keeps its
// address (the lease file on /perm survived).
func testUpdate(t *testing.T, v *vm, console *testenv.Netns, web *webClient, img, server, leased string) {
	const domain = "updated"
	in := loadShipped(t, "vm")
	shipped, err := os.ReadFile(in.ConfigSource())
	if err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(t.TempDir(), "updated.toml")
	writeFile(t, cfgPath, string(shipped)+"\n[dhcp]\ndomain = \""+domain+"\"\n")
	next := copyImage(t, img)
	if _, err := Configure(t.Context(), next, in, Changes{Config: cfgPath}); err != nil {
		t.Fatal(err)
	}
	before := v.boots()
	start := time.Now()
	var log strings.Builder
	if err := Update(t.Context(), next, server, web.password, web.client(3*time.Minute), &log); err != nil {
		v.failf(t, "Update: %v\n%s", err, log.String())
	}
	for v.boots() == before {
		if time.Since(start) > bootBudget {
			v.failf(t, "the VM did not reboot within %v of the update", bootBudget)
		}
		time.Sleep(500 * time.Millisecond)
	}
	var m milestones
	lease := waitLease(t, v, console, start.Add(bootBudget), &m)
	t.Logf("update: root and boot sent, rebooted, lease %s again after %v", lease["ip"], time.Since(start).Round(100*time.Millisecond))
	if lease["ip"] != leased {
		t.Errorf("after the update the console got %s, before %s: psobox lost its leases", lease["ip"], leased)
	}
	if lease["domain"] != domain {
		t.Errorf("after the update the lease's domain is %q, want %q", lease["domain"], domain)
	}
	if !strings.Contains(v.console(), "inactiveRootPartition = 2") {
		t.Errorf("gokrazy did not boot root B after the update:\n%s", tail(v.console(), 40))
	}
}

func TestRebootedBeforeAnswering(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{&net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}, true},
		{fmt.Errorf("Post %q: %w", "http://x/reboot", io.EOF), true},
		{errors.New("unexpected HTTP status code: got 401, want 200"), false},
		{nil, false},
	} {
		if got := rebootedBeforeAnswering(tt.err); got != tt.want {
			t.Errorf("rebootedBeforeAnswering(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
