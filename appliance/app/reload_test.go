package app

import (
	"errors"
	"log/slog"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/appliance/config"
	"github.com/psobox/psobox/internal/testenv"
)

func TestChangedKeys(t *testing.T) {
	base := serverConfig(t, "127.0.0.1:5353", "")
	other := serverConfig(t, "127.0.0.1:5353", `extra_hostnames = ["pso.example.net"]
[log]
level = "debug"
[game]
max_clients = 10
`)
	got, err := changedKeys(base, other)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"dns.extra_hostnames", "game.max_clients", "log.level"}, got); diff != "" {
		t.Errorf("changed keys (-want +got):\n%s", diff)
	}
	if got, _ := changedKeys(base, serverConfig(t, "127.0.0.1:5353", "")); len(got) != 0 {
		t.Errorf("the same file read twice differs in %q", got)
	}
}

func TestChangedReservationsIsOneKey(t *testing.T) {
	island := func(name string) *config.Config {
		cfg, err := config.Parse([]byte(`mode = "island"
[network]
interface = "eth0"
[[dhcp.reservations]]
mac = "00:d0:f1:12:34:56"
ip = "10.55.0.50"
name = "`+name+`"
`), "island.toml")
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	got, err := changedKeys(island("dc1"), island("dc2"))
	if err != nil || !cmp.Equal(got, []string{"dhcp.reservations"}) {
		t.Errorf("changedKeys = %q, %v; want [dhcp.reservations]", got, err)
	}
}

// The reload story against the real DNS server on loopback: a live key
// changes answers at once, a restart key is reported, a bad file is
// refused and what runs stays.
func TestReloadAppliesLiveKeysAndReportsTheRest(t *testing.T) {
	upstream := fakeUpstream(t)
	var logs testenv.SyncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	start := serverConfig(t, upstream, "")
	l := runDNS(t, start, logger)
	addr := l.udpAddr()
	if got := resolveA(t, addr, "pso.example.net"); got != netip.MustParseAddr("192.0.2.1") {
		t.Fatalf("before the reload pso.example.net = %v, want the upstream's 192.0.2.1", got)
	}

	level := new(slog.LevelVar)
	var next *config.Config
	var loadErr error
	r := &reloader{load: func() (*config.Config, error) { return next, loadErr }, level: level, dns: l, log: logger, running: start}

	next = serverConfig(t, upstream, `extra_hostnames = ["pso.example.net"]
[log]
level = "debug"
[game]
max_clients = 10
`)
	r.reload()
	if got := resolveA(t, addr, "pso.example.net"); got != netip.MustParseAddr("10.0.0.55") {
		t.Errorf("after the reload pso.example.net = %v, want the game address 10.0.0.55", got)
	}
	if level.Level() != slog.LevelDebug {
		t.Errorf("log level after the reload = %v, want DEBUG", level.Level())
	}
	if got, want := r.note(), "restart needed for game.max_clients"; got != want {
		t.Errorf("note = %q, want %q", got, want)
	}
	for _, want := range []string{`applied="dns.extra_hostnames, log.level"`, `keys=game.max_clients`, "need a restart"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}

	next, loadErr = nil, errors.New(`config: dns.timeout = "1h": must be between 100ms and 10s`)
	r.reload()
	if got := resolveA(t, addr, "pso.example.net"); got != netip.MustParseAddr("10.0.0.55") {
		t.Errorf("after a refused reload pso.example.net = %v, want 10.0.0.55 still", got)
	}
	if got, want := r.note(), `last reload refused: config: dns.timeout = "1h": must be between 100ms and 10s`; got != want {
		t.Errorf("note = %q, want %q", got, want)
	}
	if !strings.Contains(logs.String(), "reload refused; the running configuration stays") {
		t.Errorf("the refusal is not logged:\n%s", logs.String())
	}
}

func TestReloadWithoutLevelVarNeedsARestart(t *testing.T) {
	start := serverConfig(t, "127.0.0.1:5353", "")
	next := serverConfig(t, "127.0.0.1:5353", "[log]\nlevel = \"debug\"\n")
	r := &reloader{load: func() (*config.Config, error) { return next, nil }, log: slog.New(slog.DiscardHandler), running: start}
	r.reload()
	if got, want := r.note(), "restart needed for log.level"; got != want {
		t.Errorf("note = %q, want %q", got, want)
	}
	// Reloading the unchanged start file clears it again.
	next = start
	r.reload()
	if got := r.note(); got != "" {
		t.Errorf("note after reverting = %q, want none", got)
	}
}
