package app

import (
	"io"
	"log/slog"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/psobox/psobox/appliance/config"
)

func mustConfig(t *testing.T, text string) *config.Config {
	t.Helper()
	cfg, err := config.Parse([]byte(text), "test.toml")
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return cfg
}

const islandConfig = `
mode = "island"
[network]
interface = "eth9"
address = "10.55.0.1/24"
sentinel = "198.18.55.1"
`

func TestDNSOptionsFollowTheMode(t *testing.T) {
	discard := slog.New(slog.NewTextHandler(io.Discard, nil))
	tests := []struct {
		name       string
		toml       string
		wantGame   netip.Addr
		wantServed []netip.Prefix
	}{
		{"island answers the sentinel and serves its subnet", islandConfig,
			netip.MustParseAddr("198.18.55.1"), []netip.Prefix{netip.MustParsePrefix("10.55.0.0/24")}},
		{"server mode answers the advertised address", "mode = \"server\"\n[network]\nadvertise = \"192.168.1.20\"\n",
			netip.MustParseAddr("192.168.1.20"), nil},
		{"server mode without advertise chooses per client", "mode = \"server\"\n",
			netip.Addr{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := dnsOptions(mustConfig(t, tt.toml), discard)
			if opts.GameAddr != tt.wantGame {
				t.Errorf("GameAddr = %v, want %v", opts.GameAddr, tt.wantGame)
			}
			if diff := cmp.Diff(tt.wantServed, opts.Served, cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); diff != "" {
				t.Errorf("Served (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDHCPRunsOnlyInIslandAndHome(t *testing.T) {
	w := &wiring{cfg: mustConfig(t, "mode = \"server\"\n")}
	if w.dhcpEnabled() {
		t.Error("DHCP enabled in server mode")
	}
	w = &wiring{cfg: mustConfig(t, islandConfig)}
	if !w.dhcpEnabled() {
		t.Error("DHCP disabled in island mode with the defaults")
	}
}

func TestDHCPOptionsFromConfig(t *testing.T) {
	cfg := mustConfig(t, islandConfig+`
[dhcp]
lease_time = "48h"
console_ouis = ["00:11:22"]
[[dhcp.reservations]]
mac = "00:d0:f1:01:02:03"
ip = "10.55.0.50"
name = "Dreamcast"
`)
	opts := dhcpOptions(cfg, nil)
	got := map[string]string{
		"mode": string(opts.Mode), "iface": opts.Interface, "address": opts.Address.String(),
		"pool": opts.PoolStart.String() + "-" + opts.PoolEnd.String(), "lease": opts.LeaseTime.String(),
		"oui": opts.ConsoleOUIs[0].String(), "reservation": opts.Reservations[0].MAC.String() + "=" + opts.Reservations[0].IP.String(),
	}
	want := map[string]string{
		"mode": "island", "iface": "eth9", "address": "10.55.0.1/24",
		"pool": "10.55.0.100-10.55.0.199", "lease": "48h0m0s",
		"oui": "00:11:22", "reservation": "00:d0:f1:01:02:03=10.55.0.50",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("dhcp options (-want +got):\n%s", diff)
	}
}
