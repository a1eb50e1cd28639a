package deploy

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/psobox/psobox/internal/testenv"
)

// stubListener binds what systemd-resolved's stub listener binds:
// 127.0.0.53:53 over UDP and TCP, with SO_REUSEADDR as resolved sets it.
func stubListener(t *testing.T, ns *testenv.Netns) {
	t.Helper()
	lc := net.ListenConfig{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1)
		})
		if err != nil {
			return err
		}
		return serr
	}}
	err := ns.Do(func() error {
		pc, err := lc.ListenPacket(context.Background(), "udp", "127.0.0.53:53")
		if err != nil {
			return err
		}
		t.Cleanup(func() { pc.Close() })
		l, err := lc.Listen(context.Background(), "tcp", "127.0.0.53:53")
		if err != nil {
			return err
		}
		t.Cleanup(func() { l.Close() })
		return nil
	})
	if err != nil {
		t.Fatalf("bind the stub's 127.0.0.53:53: %v", err)
	}
}

// What the README says about systemd-resolved: with its stub listening on
// 127.0.0.53:53, psobox's default dns.listen (":53", every address) fails
// with "address already in use", and the LAN address alone works.
func TestResolvedStubBlocksOnlyTheWildcard(t *testing.T) {
	ns := testenv.NewNetns(t, "stub")
	testenv.Veth(t, ns, "lan0", "192.0.2.10/24", testenv.NewNetns(t, "peer"), "lan0", "192.0.2.20/24")
	stubListener(t, ns)
	bin := psoboxBinary(t)
	dir := t.TempDir()
	for _, tc := range []struct{ listen, want string }{
		{":53", "psobox: dns: listen udp :53: bind: address already in use"},
		{"192.0.2.10:53", `msg=serving component=lifecycle service=dns on="udp 192.0.2.10:53, tcp 192.0.2.10:53"`},
	} {
		config := filepath.Join(dir, "psobox.toml")
		text := "[dns]\nlisten = \"" + tc.listen + "\"\ncatchall = true\n[game]\nenabled = false\n[status]\nlisten = \"127.0.0.1:8080\"\n"
		if err := os.WriteFile(config, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		// psobox either fails at once or serves until the timeout ends it.
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		out, _ := ns.Command(ctx, bin, "-config", config, "-state-dir", filepath.Join(dir, "state")).CombinedOutput()
		cancel()
		if !strings.Contains(string(out), tc.want) {
			t.Errorf("dns.listen %q: want %q in the output:\n%s", tc.listen, tc.want, out)
		}
	}
}
