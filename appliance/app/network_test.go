package app

import (
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/appliance/config"
	"github.com/psobox/psobox/appliance/netsetup"
	"github.com/psobox/psobox/appliance/status"
)

func parse(t *testing.T, text string) *config.Config {
	t.Helper()
	cfg, err := config.Parse([]byte(text), "test.toml")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

const (
	islandTOML = "mode = \"island\"\n[network]\ninterface = \"eth0\"\n"
	homeTOML   = "mode = \"home\"\n[network]\ninterface = \"eth0\"\naddress = \"192.168.1.20/24\"\n" +
		"[dhcp]\npool_start = \"192.168.1.200\"\npool_end = \"192.168.1.220\"\n"
)

// Each mode asks the network for what DESIGN.md's mode table says.
func TestNetworkOptions(t *testing.T) {
	for _, tc := range []struct {
		name   string
		file   string
		want   netsetup.Options
		wantOK bool
	}{
		{"island: link up, static address, sentinel", islandTOML, netsetup.Options{
			Interface: "eth0", Address: netip.MustParsePrefix("10.55.0.1/24"), BringUp: true,
			Sentinel: netip.MustParseAddr("198.18.55.1"),
		}, true},
		{"home: the host's own address is required, never set; sentinel", homeTOML, netsetup.Options{
			Interface: "eth0", Require: netip.MustParseAddr("192.168.1.20"), Sentinel: netip.MustParseAddr("198.18.55.1"),
		}, true},
		{"server: nothing", "", netsetup.Options{}, false},
	} {
		got, ok := networkOptions(parse(t, tc.file))
		addrs := cmp.Comparer(func(a, b netip.Addr) bool { return a == b })
		prefixes := cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })
		if diff := cmp.Diff(tc.want, got, addrs, prefixes); diff != "" || ok != tc.wantOK {
			t.Errorf("%s: ok %v (-want +got):\n%s", tc.name, ok, diff)
		}
	}
}

func TestExplainNetworkNamesTheKey(t *testing.T) {
	island, home := parse(t, islandTOML), parse(t, homeTOML)
	for _, tc := range []struct {
		cfg  *config.Config
		err  error
		want string
	}{
		{island, &netsetup.MissingLinkError{Interface: "eth0", Waited: 30 * time.Second, Have: []string{"lo", "wlan0"}},
			`network.interface: interface "eth0" does not exist (waited 30s); this host has: lo, wlan0`},
		{home, &netsetup.MissingAddrError{Interface: "eth0", Want: netip.MustParseAddr("192.168.1.20"), Waited: 30 * time.Second},
			"network.address: interface eth0 does not have 192.168.1.20 (waited 30s; it has no IPv4 address); " +
				"in home mode it must be this host's own address on the home network (give the host a fixed address in the router and write it here)"},
		{island, errors.Join(errors.New("add 10.55.0.1/24 on eth0: operation not permitted"), netsetup.ErrNoPrivilege),
			"network (island mode): add 10.55.0.1/24 on eth0: operation not permitted\n" + netsetup.ErrNoPrivilege.Error()},
	} {
		if got := explainNetwork(tc.cfg, tc.err).Error(); got != tc.want {
			t.Errorf("explainNetwork = %q\nwant %q", got, tc.want)
		}
	}
}

func TestNetworkTable(t *testing.T) {
	st := netsetup.Status{Interface: "eth0", Exists: true, Up: true, Addresses: []netsetup.AddrStatus{
		{Address: netip.MustParsePrefix("10.55.0.1/24"), Link: "eth0", Present: true, Added: true},
		{Address: netip.MustParsePrefix("198.18.55.1/32"), Link: "lo"},
	}}
	want := status.Section{
		Title: "Network", Columns: []string{"what", "where", "state"},
		Rows: [][]string{
			{"link", "eth0", "up, NO CABLE (no carrier)"},
			{"10.55.0.1/24", "eth0", "present"},
			{"198.18.55.1/32", "lo", "MISSING"},
		},
		Note: "Missing 198.18.55.1/32: consoles cannot reach psobox until it is back.",
	}
	if diff := cmp.Diff(want, networkTable(st)); diff != "" {
		t.Errorf("networkTable (-want +got):\n%s", diff)
	}
}
