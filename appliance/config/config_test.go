package config

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func mustParse(t *testing.T, file string) *Config {
	t.Helper()
	c, err := Parse([]byte(file), "test.toml")
	if err != nil {
		t.Fatalf("Parse: %v\nfile:\n%s", err, file)
	}
	return c
}

func TestDefaults(t *testing.T) {
	c, err := Load("")
	if err != nil {
		t.Fatalf("Load(\"\"): %v", err)
	}
	type summary struct {
		Mode                 Mode
		Address              netip.Prefix
		Sentinel             netip.Addr
		DHCPEnabled          bool
		LeaseTime, DNSTimout time.Duration
		StatusListen         string
		Upstreams            []Upstream
	}
	got := summary{c.Mode, c.Network.Address, c.Network.Sentinel, c.DHCP.Enabled,
		c.DHCP.LeaseTime.Duration, c.DNS.Timeout.Duration, c.Status.Listen, c.DNS.Upstreams}
	want := summary{Server, netip.MustParsePrefix("10.55.0.1/24"), netip.MustParseAddr("198.18.55.1"),
		false, 24 * time.Hour, 2 * time.Second, ":8080", []Upstream{}}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
		cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
}

// A file sets only its keys; the rest keeps the defaults.
func TestFileOverridesOnlyItsKeys(t *testing.T) {
	c := mustParse(t, island+"[dhcp]\nlease_time = \"2h\"\n[dns]\nupstreams = [\"192.168.1.1\", \"192.168.1.2:5353\"]\n")
	want, _ := Load("")
	want.Mode = Island
	want.Network.Interface = "eth0"
	want.DHCP.Enabled = true
	want.DHCP.LeaseTime.Duration = 2 * time.Hour
	want.DNS.Upstreams = []Upstream{
		{netip.MustParseAddrPort("192.168.1.1:53")},
		{netip.MustParseAddrPort("192.168.1.2:5353")},
	}
	if diff := cmp.Diff(want, c, cmpAddrs); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}
}

var cmpAddrs = cmp.Options{
	cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
	cmp.Comparer(func(a, b netip.Prefix) bool { return a == b }),
	cmp.Comparer(func(a, b netip.AddrPort) bool { return a == b }),
}

// -print-config must print a file that loads back to the same values.
func TestPrintedConfigLoadsBack(t *testing.T) {
	for name, file := range map[string]string{
		"defaults": "",
		"home":     home,
		"island with everything": island + `address = "10.9.0.1/16"
sentinel = "198.18.0.9"
[dns]
upstreams = ["192.168.1.1", "[fd00::53]:5353"]
allow = ["192.168.0.0/16", "fd00::/8"]
extra_hostnames = ["pso.example.net"]
timeout = "1500ms"
[dhcp]
lease_time = "1h30m"
rogue_check = "0s"
console_ouis = ["00:D0:F1", "00:09:bf"]
console_macs = ["00:d0:f1:aa:bb:cc"]
[[dhcp.reservations]]
mac = "00:d0:f1:00:00:01"
ip = "10.9.0.50"
name = "dc-1"
[game]
listen = "198.18.0.9"
welcome_message = "Hi \"there\"\nsecond line"
[capture]
enabled = true
`,
	} {
		t.Run(name, func(t *testing.T) {
			first := mustParse(t, file)
			printed, err := first.TOML()
			if err != nil {
				t.Fatalf("TOML: %v", err)
			}
			second := mustParse(t, string(printed))
			if diff := cmp.Diff(first, second, cmpAddrs); diff != "" {
				t.Errorf("reloaded config differs (-printed +reloaded):\n%s\nprinted:\n%s", diff, printed)
			}
		})
	}
}

func TestSyntaxErrorNamesTheLine(t *testing.T) {
	for _, tc := range []struct {
		file string
		line int
	}{
		{"mode = \"island\"\n\n[dhcp\nenabled = true\n", 3},
		{"mode = \"island\"\nstate_dir = \n", 2},
		{"mode = \"island\"\nstate_dir = ", 2},
		{"[log]\nlevel = \"info\nformat = \"text\"\n", 2},
		{"[log]\nlevel = \"info\"\nlevel = \"debug\"\n", 3},
		{"[log]\n[log]\n", 2},
		{"mode = island\n", 1},
	} {
		_, err := Parse([]byte(tc.file), "psobox.toml")
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) error %v is %T, want *SyntaxError", tc.file, err, err)
			continue
		}
		prefix := fmt.Sprintf("config: psobox.toml:%d: ", tc.line)
		if !strings.HasPrefix(err.Error(), prefix) {
			t.Errorf("Parse(%q) = %q, want it to start with %q", tc.file, err, prefix)
		}
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "psobox.toml")
	if err := os.WriteFile(path, []byte("[log]\nlevel = \"debug\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if c.Log.Level != "debug" {
		t.Errorf("log.level = %q, want debug", c.Log.Level)
	}
	_, err = Load(filepath.Join(dir, "missing.toml"))
	if !errors.Is(err, os.ErrNotExist) || !strings.HasPrefix(err.Error(), "config: open ") {
		t.Errorf("Load(missing) = %v, want a config: open ... not-exist error", err)
	}
}

func TestPool(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		start, end string
	}{
		{"island default", island, "10.55.0.100", "10.55.0.199"},
		{"island /16 default", island + "address = \"10.9.3.1/16\"", "10.9.0.100", "10.9.0.199"},
		{"explicit", home, "192.168.1.200", "192.168.1.220"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start, end := mustParse(t, tc.file).Pool()
			got := []string{start.String(), end.String()}
			if diff := cmp.Diff([]string{tc.start, tc.end}, got); diff != "" {
				t.Errorf("Pool (-want +got):\n%s", diff)
			}
		})
	}
	if got := mustParse(t, home).ServedSubnet().String(); got != "192.168.1.0/24" {
		t.Errorf("ServedSubnet = %s, want 192.168.1.0/24", got)
	}
}

func TestDurationText(t *testing.T) {
	for d, want := range map[time.Duration]string{
		24 * time.Hour: "24h", 90 * time.Minute: "1h30m", time.Minute: "1m", 30 * time.Second: "30s",
		1500 * time.Millisecond: "1.5s", 0: "0s", time.Hour + time.Second: "1h0m1s",
	} {
		if got := formatDuration(d); got != want {
			t.Errorf("formatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestSlogLevel(t *testing.T) {
	if got := mustParse(t, "[log]\nlevel = \"warn\"").SlogLevel().String(); got != "WARN" {
		t.Errorf("SlogLevel = %s, want WARN", got)
	}
}

// BenchmarkParse is start-up cost: the defaults plus a typical island file.
func BenchmarkParse(b *testing.B) {
	file := []byte(island + "[[dhcp.reservations]]\nmac = \"00:d0:f1:00:00:01\"\nip = \"10.55.0.50\"\n")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(file, "bench.toml"); err != nil {
			b.Fatal(err)
		}
	}
}
