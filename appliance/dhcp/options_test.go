package dhcp

import (
	"bufio"
	"net"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"
)

func TestOptionsValidation(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*Options)
		errHas string
	}{
		{"valid island", func(*Options) {}, ""},
		{"valid home", func(o *Options) { o.Mode = ModeHome }, ""},
		{"server mode", func(o *Options) { o.Mode = "server" }, `mode "server"`},
		{"no interface", func(o *Options) { o.Interface = "" }, "no interface"},
		{"IPv6 address", func(o *Options) { o.Address = netip.MustParsePrefix("fd00::1/64") }, "IPv4"},
		{"network address", func(o *Options) { o.Address = netip.MustParsePrefix("10.55.0.0/24") }, "network or broadcast"},
		{"/31", func(o *Options) { o.Address = netip.MustParsePrefix("10.55.0.1/31") }, "prefix length"},
		{"pool outside subnet", func(o *Options) { o.PoolEnd = ip("10.56.0.9") }, "not a host address"},
		{"pool on broadcast", func(o *Options) { o.PoolEnd = ip("10.55.0.255") }, "not a host address"},
		{"pool reversed", func(o *Options) { o.PoolStart, o.PoolEnd = o.PoolEnd, o.PoolStart }, "before pool start"},
		{"pool too big", func(o *Options) {
			o.Address = netip.MustParsePrefix("10.0.0.1/8")
			o.PoolStart, o.PoolEnd = ip("10.1.0.0"), ip("10.3.0.0")
		}, "more than"},
		{"lease too short", func(o *Options) { o.LeaseTime = 30 * time.Second }, "not between"},
		{"lease too long", func(o *Options) { o.LeaseTime = 2 * 365 * 24 * time.Hour }, "not between"},
		{"negative rogue check", func(o *Options) { o.RogueCheck = -time.Second }, "negative"},
		{"home without probe", func(o *Options) { o.Mode = ModeHome; o.ProbeWait = -1 }, "ARP probe"},
		{"reservation on server", func(o *Options) { o.Reservations = []Reservation{{MAC: macGC, IP: ip("10.55.0.1")}} }, "not a free host address"},
		{"reservation off subnet", func(o *Options) { o.Reservations = []Reservation{{MAC: macGC, IP: ip("10.9.0.1")}} }, "not a free host address"},
		{"reservation bad MAC", func(o *Options) { o.Reservations = []Reservation{{MAC: net.HardwareAddr{1}, IP: ip("10.55.0.9")}} }, "not an Ethernet address"},
		{"same MAC twice", func(o *Options) {
			o.Reservations = []Reservation{{MAC: macGC, IP: ip("10.55.0.9")}, {MAC: macGC, IP: ip("10.55.0.10")}}
		}, "two reservations"},
		{"same IP twice", func(o *Options) {
			o.Reservations = []Reservation{{MAC: macGC, IP: ip("10.55.0.9")}, {MAC: macDC, IP: ip("10.55.0.9")}}
		}, "reserved for both"},
		{"bad console MAC", func(o *Options) { o.ConsoleMACs = []net.HardwareAddr{{1, 2}} }, "console MAC"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := testOptions(newFakeClock(), newFakeLink())
			tc.mutate(&o)
			_, err := New(o)
			switch {
			case tc.errHas == "" && err != nil:
				t.Errorf("unexpected error %v", err)
			case tc.errHas != "" && (err == nil || !strings.Contains(err.Error(), tc.errHas)):
				t.Errorf("error %v, want one mentioning %q", err, tc.errHas)
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	o := testOptions(newFakeClock(), newFakeLink())
	o.LeaseTime, o.ProbeWait = 0, 0
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	if s.cfg.leaseTime != DefaultLeaseTime || s.cfg.probeWait != DefaultProbeWait || s.Name() != "dhcp" {
		t.Errorf("lease %v probe %v name %q", s.cfg.leaseTime, s.cfg.probeWait, s.Name())
	}
}

func TestParseOUI(t *testing.T) {
	for _, in := range []string{"00:09:BF", "00-09-bf", "0009bf", " 00.09.BF "} {
		if o, err := ParseOUI(in); err != nil || o.String() != "00:09:BF" {
			t.Errorf("ParseOUI(%q) = %v, %v", in, o, err)
		}
	}
	for _, bad := range []string{"", "00:09", "00:09:BF:01", "zz:09:bf"} {
		if _, err := ParseOUI(bad); err == nil {
			t.Errorf("ParseOUI(%q) accepted", bad)
		}
	}
}

func TestVendorGuess(t *testing.T) {
	c, err := newConsoleSet(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for mac, want := range map[string]string{
		"00:09:bf:00:00:01": "Nintendo (GameCube BBA)",
		"00:d0:f1:00:00:01": "Sega (Dreamcast BBA)",
		"00:17:ab:00:00:01": "Nintendo",
		"02:00:00:00:00:01": "locally administered (random or emulator MAC)",
		"3c:22:fb:00:00:01": "unknown (OUI 3C:22:FB)",
	} {
		if got := c.vendor(keyOf(mustMAC(mac))); got != want {
			t.Errorf("vendor(%s) = %q, want %q", mac, got, want)
		}
	}
}

// TestNintendoOUITable checks the embedded table: 82 entries, no duplicate,
// and, where the IEEE registry file is installed (Debian package ieee-data),
// every entry belongs to Nintendo there.
func TestNintendoOUITable(t *testing.T) {
	fields := strings.Fields(nintendoOUIs)
	seen := map[string]bool{}
	for _, f := range fields {
		if _, err := ParseOUI(f); err != nil || seen[f] {
			t.Errorf("table entry %q: err %v, duplicate %v", f, err, seen[f])
		}
		seen[f] = true
	}
	if len(fields) != 82 {
		t.Errorf("%d Nintendo OUIs, want the registry's 82", len(fields))
	}
	f, err := os.Open("/usr/share/ieee-data/oui.txt")
	if err != nil {
		t.Skipf("IEEE registry not installed (apt install ieee-data) for the cross-check: %v", err)
	}
	defer f.Close()
	owners := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if hex, org, ok := strings.Cut(sc.Text(), "(hex)"); ok {
			owners[strings.ReplaceAll(strings.TrimSpace(hex), "-", "")] = strings.TrimSpace(org)
		}
	}
	for _, oui := range fields {
		if !strings.HasPrefix(owners[oui], "Nintendo") {
			t.Errorf("%s belongs to %q in the registry", oui, owners[oui])
		}
	}
	if !strings.HasPrefix(owners[segaOUIHex], "SEGA") {
		t.Errorf("%s belongs to %q in the registry", segaOUIHex, owners[segaOUIHex])
	}
}
