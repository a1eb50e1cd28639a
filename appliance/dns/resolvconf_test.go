package dns

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func addrPorts(s ...string) []netip.AddrPort {
	var out []netip.AddrPort
	for _, a := range s {
		out = append(out, netip.MustParseAddrPort(a))
	}
	return out
}

var cmpAddr = cmpopts.EquateComparable(netip.AddrPort{}, netip.Addr{})

func TestParseUpstream(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.53":            "192.0.2.53:53",
		"192.0.2.53:5353":       "192.0.2.53:5353",
		"2001:db8::53":          "[2001:db8::53]:53",
		"[2001:db8::53]:5353":   "[2001:db8::53]:5353",
		"[::ffff:192.0.2.1]:53": "192.0.2.1:53",
	} {
		got, err := parseUpstream(in)
		if err != nil || got.String() != want {
			t.Errorf("parseUpstream(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "dns.google", "192.0.2.53:99999", "192.0.2.53:"} {
		if _, err := parseUpstream(bad); err == nil {
			t.Errorf("parseUpstream(%q) accepted", bad)
		}
	}
}

func TestParseResolvConf(t *testing.T) {
	got, err := parseResolvConf([]byte(`# written by dhcp
search lan
nameserver 192.168.1.1
nameserver 2001:db8::1
nameserver fe80::1%eth0
nameserver not-an-address
options edns0
`))
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.AddrPort{
		netip.MustParseAddrPort("192.168.1.1:53"),
		netip.MustParseAddrPort("[2001:db8::1]:53"),
		netip.AddrPortFrom(netip.MustParseAddr("fe80::1%eth0"), 53),
	}
	if diff := cmp.Diff(want, got, cmpAddr); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestResolvConfFollowsTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "resolv.conf")
	write := func(content string, mtime time.Time) {
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	clock := newFakeClock()
	self := netip.MustParseAddrPort("127.0.0.1:53")
	r := &resolvConf{path: path, now: clock.Now, log: quietLogger(), isSelf: func(ap netip.AddrPort) bool { return ap == self }}

	if got := r.current(); got != nil {
		t.Errorf("missing file: %v", got)
	}
	clock.Advance(resolvConfCheckInterval)
	write("nameserver 127.0.0.1\nnameserver 192.0.2.1\n", time.Unix(1000, 0))
	if diff := cmp.Diff(addrPorts("192.0.2.1:53"), r.current(), cmpAddr); diff != "" {
		t.Errorf("ourselves must be skipped (-want +got):\n%s", diff)
	}
	write("nameserver 192.0.2.2\n", time.Unix(2000, 0))
	if diff := cmp.Diff(addrPorts("192.0.2.1:53"), r.current(), cmpAddr); diff != "" {
		t.Errorf("re-read before the check interval (-want +got):\n%s", diff)
	}
	clock.Advance(resolvConfCheckInterval)
	if diff := cmp.Diff(addrPorts("192.0.2.2:53"), r.current(), cmpAddr); diff != "" {
		t.Errorf("change not picked up (-want +got):\n%s", diff)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	clock.Advance(resolvConfCheckInterval)
	if got := r.current(); got != nil {
		t.Errorf("removed file still gives %v", got)
	}
}

func TestServerRecognisesItselfAsUpstream(t *testing.T) {
	s, err := New(Options{
		GameAddr:   sentinel,
		Interfaces: staticInterfaces(prefixes("127.0.0.1/8", "10.55.0.1/24", "fe80::1/64")),
		Logger:     quietLogger(),
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		bound string
		ns    string
		want  bool
	}{
		{"0.0.0.0:53", "127.0.0.53:53", true},
		{"[::]:53", "[::1]:53", true},
		{"[::]:53", "10.55.0.1:53", true},
		{"0.0.0.0:53", "198.18.55.1:53", true},
		{"0.0.0.0:53", "[fe80::1%eth0]:53", true},
		{"0.0.0.0:53", "192.168.1.1:53", false},
		{"0.0.0.0:5353", "127.0.0.1:53", false},
		{"10.55.0.1:53", "127.0.0.1:53", false},
		{"10.55.0.1:53", "10.55.0.1:53", true},
	} {
		s.bound = netip.MustParseAddrPort(tc.bound)
		if got := s.isSelf(netip.MustParseAddrPort(tc.ns)); got != tc.want {
			t.Errorf("bound %s, nameserver %s: isSelf = %v, want %v", tc.bound, tc.ns, got, tc.want)
		}
	}
}
