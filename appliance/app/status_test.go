package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	miekg "github.com/miekg/dns"
	"github.com/psobox/psobox/appliance/config"
	"github.com/psobox/psobox/appliance/dhcp"
	"github.com/psobox/psobox/appliance/lifecycle"
	"github.com/psobox/psobox/appliance/status"
)

func parseConfig(t *testing.T, toml string) *config.Config {
	t.Helper()
	toml = fmt.Sprintf("state_dir = %q\n%s", t.TempDir(), toml)
	cfg, err := config.Parse([]byte(toml), "test.toml")
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return cfg
}

// serve binds and serves the named services on loopback until the test
// ends (DHCP is built but not started: it needs a real interface).
func serve(t *testing.T, services []lifecycle.Service, names ...string) map[string]lifecycle.Service {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	byName := map[string]lifecycle.Service{}
	for _, s := range services {
		byName[s.Name()] = s
	}
	for _, name := range names {
		s := byName[name]
		if err := s.Listen(ctx); err != nil {
			t.Fatalf("%s: Listen: %v", name, err)
		}
		go func() { _ = s.Serve(ctx) }()
	}
	return byName
}

// The wiring joins the real DNS server's lookups, the DHCP server's state
// and the config's warnings on the status page.
func TestStatusPageShowsTheParts(t *testing.T) {
	cfg := parseConfig(t, `mode = "island"
[network]
interface = "lo"
[dns]
listen = "127.0.0.1:0"
upstreams = ["127.0.0.1:9"]
[status]
listen = "127.0.0.1:0"
[capture]
enabled = true
[game]
enabled = false
`)
	services, err := newWiring(cfg, slog.New(slog.DiscardHandler), time.Now()).services()
	if err != nil {
		t.Fatal(err)
	}
	byName := serve(t, services, "dns", "status")
	lookUp(t, byName["dns"].(lifecycle.Endpointer), "GC01.st-pso.games.sega.net.")
	snap := getSnapshot(t, byName["status"].(lifecycle.Endpointer).Endpoints()[0])

	if snap.Mode != "island" || snap.GameRunning || snap.DHCP == nil || snap.DHCP.State != "starting" || snap.DNS == nil || snap.DNS.GameAnswers != 1 {
		t.Errorf("snapshot: mode %q, game %v, dhcp %+v, dns %+v", snap.Mode, snap.GameRunning, snap.DHCP, snap.DNS)
	}
	want := status.Addresses{Interface: "lo", Subnet: "10.55.0.0/24", DNS: "10.55.0.1", Router: "10.55.0.1", Game: "198.18.55.1"}
	if diff := cmp.Diff(want, snap.Addresses); diff != "" {
		t.Errorf("addresses (-want +got):\n%s", diff)
	}
	if len(snap.Lookups) != 1 || snap.Lookups[0].Client != "127.0.0.1" || snap.Lookups[0].Label != "PSO GC US" ||
		snap.Lookups[0].Summary != "GameCube at 127.0.0.1 looked up gc01.st-pso.games.sega.net → PSO GC US" {
		t.Errorf("lookups = %+v", snap.Lookups)
	}
	// Capture records game sessions: with the game server off it is not
	// built, and the page does not claim it is on.
	if len(snap.Warnings) != 0 {
		t.Errorf("warnings = %+v, want none (capture is idle without the game server)", snap.Warnings)
	}
	var running []string
	for _, sec := range snap.Sections {
		if sec.Name == "services" {
			for _, row := range sec.Rows {
				running = append(running, row[0])
			}
		}
	}
	if diff := cmp.Diff([]string{"dns", "dhcp", "status"}, running); diff != "" {
		t.Errorf("services table (-want +got):\n%s\nsections: %+v", diff, snap.Sections)
	}
}

func lookUp(t *testing.T, dnsServer lifecycle.Endpointer, name string) {
	t.Helper()
	addr := strings.TrimPrefix(dnsServer.Endpoints()[0], "udp ")
	m := new(miekg.Msg)
	m.SetQuestion(name, miekg.TypeA)
	c := &miekg.Client{Timeout: 5 * time.Second}
	if _, _, err := c.Exchange(m, addr); err != nil {
		t.Fatalf("query %s at %s: %v", name, addr, err)
	}
}

func getSnapshot(t *testing.T, pageURL string) status.Snapshot {
	t.Helper()
	resp, err := http.Get(pageURL + "api/status")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var snap status.Snapshot
	if err := json.Unmarshal(body, &snap); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return snap
}

func TestConsoleAddresses(t *testing.T) {
	for _, tc := range []struct {
		name, toml string
		dns, dhcp  bool
		want       status.Addresses
	}{
		{"island", "mode = \"island\"\n[network]\ninterface = \"eth0\"\n", true, true,
			status.Addresses{Interface: "eth0", Subnet: "10.55.0.0/24", DNS: "10.55.0.1", Router: "10.55.0.1", Game: "198.18.55.1"}},
		{"home without dhcp", "mode = \"home\"\n[network]\ninterface = \"wlan0\"\naddress = \"192.168.1.20/24\"\n[dhcp]\nenabled = false\n", true, false,
			status.Addresses{Interface: "wlan0", DNS: "192.168.1.20", Game: "198.18.55.1"}},
		{"server", "mode = \"server\"\n", true, false, status.Addresses{}},
		{"server advertised", "mode = \"server\"\n[network]\nadvertise = \"192.168.1.20\"\n", true, false,
			status.Addresses{DNS: "192.168.1.20", Game: "192.168.1.20"}},
		{"server without dns", "mode = \"server\"\n[network]\nadvertise = \"192.168.1.20\"\n", false, false,
			status.Addresses{Game: "192.168.1.20"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := consoleAddresses(parseConfig(t, tc.toml), tc.dns, tc.dhcp)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDHCPWarnings(t *testing.T) {
	refused := "another DHCP server (10.55.0.254, MAC 02:00:00:00:00:fe) answers on eth0: not serving; set dhcp.force = true to serve anyway"
	for _, tc := range []struct {
		name string
		st   dhcp.Status
		want []status.Warning
	}{
		{"serving", dhcp.Status{State: dhcp.StateServing}, nil},
		{"checking", dhcp.Status{State: dhcp.StateChecking}, nil},
		{"refused", dhcp.Status{State: dhcp.StateRefused, Message: refused},
			[]status.Warning{{Component: "dhcp", Level: status.LevelError, Message: refused + ". Consoles get no address from psobox."}}},
		{"forced", dhcp.Status{State: dhcp.StateServing, Message: "another DHCP server answers on eth0: serving anyway (dhcp.force)"},
			[]status.Warning{{Component: "dhcp", Level: status.LevelWarning, Message: "another DHCP server answers on eth0: serving anyway (dhcp.force)"}}},
		{"lease file and pool", dhcp.Status{State: dhcp.StateServing, LeaseFileError: "saving leases: disk full", PoolSize: 100,
			Counters: dhcp.Counters{Exhausted: 3}}, []status.Warning{
			{Component: "dhcp", Level: status.LevelWarning, Message: "saving leases: disk full: leases will not survive a restart"},
			{Component: "dhcp", Level: status.LevelWarning, Message: "the pool of 100 addresses ran out (3 requests went unanswered): widen dhcp.pool_start to dhcp.pool_end"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, dhcpWarnings(tc.st)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestBBWarnings(t *testing.T) {
	if got := bbWarnings(nil); got != nil {
		t.Errorf("Blue Burst on: %+v, want no warning", got)
	}
	got := bbWarnings(errors.New("/perm/psobox/bb-keys does not exist"))
	want := []status.Warning{{Component: "game", Level: status.LevelInfo,
		Message: "Blue Burst is off: /perm/psobox/bb-keys does not exist; the other versions are not affected"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Blue Burst off (-want +got):\n%s", diff)
	}
}
