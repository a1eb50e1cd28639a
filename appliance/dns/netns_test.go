package dns

import (
	"context"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/psobox/psobox/internal/testenv"
)

// piLAN is the island LAN of the namespace test: the "pi" namespace has
// 10.55.0.1 on lan0, the "console" namespace 10.55.0.23 on eth0.
const (
	piAddr      = "10.55.0.1"
	consoleAddr = "10.55.0.23"
	outsider    = "192.0.2.50" // a second address of the console, outside the served subnet
)

// netnsDial and netnsInterfaces adapt Netns.Do to the injected dial and
// interface sources, so that connections and interface listings happen
// inside the namespace.
func netnsDial(ns *testenv.Netns) DialFunc {
	return func(ctx context.Context, network, addr string) (c net.Conn, err error) {
		doErr := ns.Do(func() error {
			c, err = (&net.Dialer{}).DialContext(ctx, network, addr)
			return err
		})
		if err == nil && doErr != nil {
			err = doErr
		}
		return c, err
	}
}

func netnsInterfaces(ns *testenv.Netns) func() ([]netip.Prefix, error) {
	return func() (p []netip.Prefix, err error) {
		doErr := ns.Do(func() error {
			p, err = InterfacePrefixes()
			return err
		})
		if err == nil && doErr != nil {
			err = doErr
		}
		return p, err
	}
}

// TestRealClientsInNetns resolves through the server with dig and kdig from a
// console namespace, the way a console on the LAN does.
func TestRealClientsInNetns(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "dig")
	testenv.RequireTool(t, "kdig")
	pi, console := testenv.NewNetns(t, "pi"), testenv.NewNetns(t, "console")
	testenv.Veth(t, pi, "lan0", piAddr+"/24", console, "eth0", consoleAddr+"/24")
	console.IP(t, "addr", "add", outsider+"/24", "dev", "eth0")
	pi.IP(t, "route", "add", "192.0.2.0/24", "dev", "lan0")

	up := startUpstreamInNetns(t, pi, "127.0.0.1:53")
	resolvConf := filepath.Join(t.TempDir(), "resolv.conf")
	// The first nameserver is the server itself and must be skipped.
	if err := os.WriteFile(resolvConf, []byte("nameserver "+piAddr+"\nnameserver 127.0.0.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bindInPi := func(f func() error) error { return pi.Do(f) }
	island, _ := startServerWith(t, Options{
		Listen: piAddr + ":53", ResolvConf: resolvConf, CacheEntries: DefaultCacheEntries, RateLimit: DefaultRateLimit,
		Served: prefixes("10.55.0.0/24"), GameAddr: sentinel, Dial: netnsDial(pi), Interfaces: netnsInterfaces(pi),
	}, bindInPi)
	serverMode, _ := startServerWith(t, Options{
		Listen: ":5300", Upstreams: []string{"127.0.0.1:53"},
		Served: prefixes("10.55.0.0/24"), Dial: netnsDial(pi), Interfaces: netnsInterfaces(pi),
	}, bindInPi)

	if got := island.resolv.current(); len(got) != 1 || got[0].String() != "127.0.0.1:53" {
		t.Errorf("upstreams from resolv.conf %v, want only the stub 127.0.0.1:53 (not the server itself)", got)
	}

	c := consoleClient{t: t, ns: console}
	for _, tool := range []string{"dig", "kdig"} {
		for _, transport := range []string{"udp", "tcp"} {
			for name, want := range map[string]string{
				"gc01.st-pso.games.sega.net": sentinel.String(),
				"master.pso.dream-key.com":   sentinel.String(),
				"www.example":                "192.0.2.80", // forwarded to the stub
			} {
				if got := c.short(tool, transport, piAddr, "53", name, "A"); got != want {
					t.Errorf("%s over %s: %s → %q, want %q", tool, transport, name, got, want)
				}
			}
			if got := c.short(tool, transport, piAddr, "5300", "gc01.st-pso.games.sega.net", "A"); got != piAddr {
				t.Errorf("server mode, %s over %s: %q, want the address on the console's subnet %s", tool, transport, got, piAddr)
			}
		}
	}
	if out := c.run("dig", "+noall", "+comments", "@"+piAddr, "gc01.st-pso.games.sega.net", "AAAA"); !strings.Contains(out, "status: NOERROR") || !strings.Contains(out, "ANSWER: 0") {
		t.Errorf("AAAA: want an empty NOERROR, dig says:\n%s", out)
	}
	if out := c.run("dig", "+noall", "+comments", "-b", outsider, "@"+piAddr, "gc01.st-pso.games.sega.net", "A"); !strings.Contains(out, "status: REFUSED") {
		t.Errorf("query from %s outside the LAN: want REFUSED, dig says:\n%s", outsider, out)
	}
	if up.queries() == 0 {
		t.Error("the stub upstream was never asked")
	}
	waitStats(t, serverMode, func(st Stats) bool { return st.GameAddrAnswers == 4 })
	waitStats(t, island, func(st Stats) bool { return st.Refused == 1 })
	wantLookup := "GameCube at " + consoleAddr + " looked up gc01.st-pso.games.sega.net → PSO GC US"
	if got := island.Lookups(); !containsLookup(got, wantLookup) {
		t.Errorf("lookups %v lack %q", got, wantLookup)
	}
}

func containsLookup(ls []Lookup, want string) bool {
	for _, l := range ls {
		if l.String() == want {
			return true
		}
	}
	return false
}

func startUpstreamInNetns(t *testing.T, ns *testenv.Netns, addr string) *upstream {
	var pc net.PacketConn
	var ln net.Listener
	err := ns.Do(func() (err error) {
		pc, ln, err = listenPair(context.Background(), addr)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return startUpstreamOn(t, pc, ln)
}

// consoleClient runs DNS tools in the console namespace.
type consoleClient struct {
	t  *testing.T
	ns *testenv.Netns
}

// short runs dig or kdig with +short and returns the answer text.
func (c consoleClient) short(tool, transport, server, port, name, qtype string) string {
	args := []string{"+short", "-p", port, "@" + server, name, qtype}
	if transport == "tcp" {
		args = append([]string{"+tcp"}, args...)
	}
	return strings.TrimSpace(c.run(tool, args...))
}

func (c consoleClient) run(tool string, args ...string) string {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	// One try with a short wait: a missing answer must fail, not retry.
	args = append([]string{"+time=3", "+retry=0"}, args...)
	out, err := c.ns.Command(ctx, tool, args...).CombinedOutput()
	if err != nil {
		c.t.Errorf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, out)
	}
	return string(out)
}
