package dns

import (
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"
)

func prefixes(s ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, p := range s {
		out = append(out, netip.MustParsePrefix(p))
	}
	return out
}

func staticInterfaces(p []netip.Prefix) func() ([]netip.Prefix, error) {
	return func() ([]netip.Prefix, error) { return p, nil }
}

func TestGameAddrPolicy(t *testing.T) {
	host := prefixes("127.0.0.1/8", "10.55.0.1/24", "10.55.0.200/25", "172.17.0.1/16", "203.0.113.7/24", "fe80::1/64", "2001:db8::1/64")
	privateOnly := prefixes("127.0.0.1/8", "192.168.1.20/24", "10.0.0.5/8")
	for _, tc := range []struct {
		name          string
		fixed         string
		ifaces        []netip.Prefix
		client, local string
		want          string
	}{
		{"island sentinel ignores everything else", "198.18.55.1", host, "10.55.0.23", "10.55.0.1", "198.18.55.1"},
		{"advertised address", "192.0.2.10", host, "203.0.113.50", "0.0.0.0", "192.0.2.10"},
		{"client on our subnet", "", host, "10.55.0.23", "0.0.0.0", "10.55.0.1"},
		{"most specific subnet wins", "", host, "10.55.0.150", "0.0.0.0", "10.55.0.200"},
		{"subnet beats the arrival address", "", host, "172.17.0.9", "10.55.0.1", "172.17.0.1"},
		{"arrival address for a routed client", "", host, "198.51.100.9", "10.55.0.1", "10.55.0.1"},
		{"public client through wildcard gets public address", "", host, "198.51.100.9", "0.0.0.0", "203.0.113.7"},
		{"private routed client gets first unicast", "", host, "192.168.7.7", "::", "10.55.0.1"},
		{"public client, host has only private addresses", "", privateOnly, "198.51.100.9", "0.0.0.0", "192.168.1.20"},
		{"loopback client", "", host, "127.0.0.1", "127.0.0.1", "127.0.0.1"},
		{"IPv6 client gets an IPv4 answer", "", host, "2001:db8::99", "::", "10.55.0.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := gameAddrPolicy{ifaces: &interfaceCache{source: staticInterfaces(tc.ifaces), now: time.Now}}
			if tc.fixed != "" {
				p.fixed = netip.MustParseAddr(tc.fixed)
			}
			got, err := p.forClient(netip.MustParseAddr(tc.client), netip.MustParseAddr(tc.local))
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != tc.want {
				t.Errorf("got %v, want %s", got, tc.want)
			}
		})
	}
}

func TestGameAddrPolicyWithoutAnyIPv4(t *testing.T) {
	broken := errors.New("netlink broken")
	p := gameAddrPolicy{ifaces: &interfaceCache{
		source: func() ([]netip.Prefix, error) { return prefixes("::1/128"), broken },
		now:    time.Now,
	}}
	_, err := p.forClient(netip.MustParseAddr("10.0.0.9"), netip.IPv4Unspecified())
	if !errors.Is(err, errNoGameAddr) || !errors.Is(err, broken) {
		t.Errorf("err = %v, want errNoGameAddr wrapping the listing error", err)
	}
}

func TestInterfaceCacheRefreshesAfterMaxAge(t *testing.T) {
	clock := newFakeClock()
	calls := 0
	c := &interfaceCache{now: clock.Now, source: func() ([]netip.Prefix, error) {
		calls++
		if calls == 3 {
			return nil, errors.New("transient")
		}
		return prefixes("10.0.0.1/24"), nil
	}}
	c.get()
	c.get()
	clock.Advance(interfaceMaxAge)
	c.get()
	if calls != 2 {
		t.Errorf("source called %d times, want 2 (once, then after max age)", calls)
	}
	clock.Advance(interfaceMaxAge)
	got, err := c.get() // the failed refresh keeps the last good listing
	if err == nil || len(got) != 1 {
		t.Errorf("after a failed refresh: %v, %v; want the previous listing and the error", got, err)
	}
	if !c.isOwn(netip.MustParseAddr("10.0.0.1")) || c.isOwn(netip.MustParseAddr("10.0.0.2")) {
		t.Error("isOwn is wrong")
	}
}

func TestPrefixOf(t *testing.T) {
	for _, tc := range []struct {
		n    *net.IPNet
		want string
	}{
		{&net.IPNet{IP: net.IPv4(10, 55, 0, 1), Mask: net.CIDRMask(24, 32)}, "10.55.0.1/24"},
		{&net.IPNet{IP: net.IPv4(10, 55, 0, 1), Mask: net.CIDRMask(120, 128)}, "10.55.0.1/24"},
		{&net.IPNet{IP: net.IPv4(10, 55, 0, 1).To4(), Mask: net.CIDRMask(32, 32)}, "10.55.0.1/32"},
		{&net.IPNet{IP: net.ParseIP("2001:db8::1"), Mask: net.CIDRMask(64, 128)}, "2001:db8::1/64"},
	} {
		got, ok := prefixOf(tc.n)
		if !ok || got.String() != tc.want {
			t.Errorf("prefixOf(%v) = %v, %v; want %s", tc.n, got, ok, tc.want)
		}
	}
}

func TestInterfacePrefixesListsLoopback(t *testing.T) {
	got, err := InterfacePrefixes()
	if err != nil {
		t.Fatal(err)
	}
	want := netip.MustParsePrefix("127.0.0.1/8")
	found := false
	for _, p := range got {
		found = found || p == want
	}
	if !found {
		t.Errorf("%v lacks %v", got, want)
	}
}
