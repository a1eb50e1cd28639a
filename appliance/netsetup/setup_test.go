package netsetup

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var (
	islandAddr = netip.MustParsePrefix("10.55.0.1/24")
	sentinel   = netip.MustParseAddr("198.18.55.1")
)

func island(k Kernel) Options {
	return Options{Interface: "eth0", Address: islandAddr, BringUp: true, Sentinel: sentinel, Kernel: k, Wait: 50 * time.Millisecond}
}

func home(k Kernel) Options {
	return Options{Interface: "eth0", Require: netip.MustParseAddr("192.168.1.50"), Sentinel: sentinel, Kernel: k, Wait: 50 * time.Millisecond}
}

func newSetup(t *testing.T, o Options) *Setup {
	t.Helper()
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// apply runs Apply and Close, returning the changes each made.
func applyAndClose(t *testing.T, k *fakeKernel, o Options) (applied, closed []string) {
	t.Helper()
	s := newSetup(t, o)
	if err := s.Apply(context.Background()); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	applied = k.changes()
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return applied, k.changes()[len(applied):]
}

func TestApplyAndClose(t *testing.T) {
	for _, tc := range []struct {
		name        string
		opts        func(Kernel) Options
		before      func(k *fakeKernel)
		wantApplied []string
		wantClosed  []string
	}{{
		name:        "island on a bare link: up, address, sentinel; close removes both addresses",
		opts:        island,
		wantApplied: []string{"up eth0", "add 10.55.0.1/24 to eth0 as eth0:pso", "add 198.18.55.1/32 to lo as lo:pso"},
		wantClosed:  []string{"del 10.55.0.1/24 from eth0", "del 198.18.55.1/32 from lo"},
	}, {
		name: "island with the address already set by the host: kept at close",
		opts: island,
		before: func(k *fakeKernel) {
			k.addAddr("eth0", "10.55.0.1/24")
			k.links["eth0"].Up = true
		},
		wantApplied: []string{"add 198.18.55.1/32 to lo as lo:pso"},
		wantClosed:  []string{"del 198.18.55.1/32 from lo"},
	}, {
		name: "island with everything in place: no change at all",
		opts: island,
		before: func(k *fakeKernel) {
			k.addAddr("eth0", "10.55.0.1/24")
			k.addAddr("lo", "198.18.55.1/32")
			k.links["eth0"].Up = true
		},
	}, {
		name:        "home: only the sentinel; the host's address is left alone",
		opts:        home,
		before:      func(k *fakeKernel) { k.addAddr("eth0", "192.168.1.50/24") },
		wantApplied: []string{"add 198.18.55.1/32 to lo as lo:pso"},
		wantClosed:  []string{"del 198.18.55.1/32 from lo"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			k := newFakeKernel()
			if tc.before != nil {
				tc.before(k)
			}
			applied, closed := applyAndClose(t, k, tc.opts(k))
			if diff := cmp.Diff(tc.wantApplied, applied); diff != "" {
				t.Errorf("Apply changes (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantClosed, closed); diff != "" {
				t.Errorf("Close changes (-want +got):\n%s", diff)
			}
		})
	}
}

// A psobox started again after a crash (its addresses still there,
// labelled) changes nothing, knows them as its own, and removes them at
// its clean exit.
func TestRestartAfterCrash(t *testing.T) {
	k := newFakeKernel()
	crashed := newSetup(t, island(k))
	if err := crashed.Apply(context.Background()); err != nil {
		t.Fatal(err)
	}
	n := len(k.changes())
	restarted := newSetup(t, island(k))
	if err := restarted.Apply(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := k.changes()[n:]; len(got) != 0 {
		t.Errorf("second Apply changed %q", got)
	}
	want := []AddrStatus{
		{Address: islandAddr, Link: "eth0", Present: true, Added: true},
		{Address: netip.PrefixFrom(sentinel, 32), Link: "lo", Present: true, Added: true},
	}
	if diff := cmp.Diff(want, restarted.Status().Addresses, cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); diff != "" {
		t.Errorf("restarted Setup's addresses (-want +got):\n%s", diff)
	}
	if err := restarted.Close(); err != nil {
		t.Fatal(err)
	}
	wantDel := []string{"del 10.55.0.1/24 from eth0", "del 198.18.55.1/32 from lo"}
	if diff := cmp.Diff(wantDel, k.changes()[n:]); diff != "" {
		t.Errorf("Close after the restart (-want +got):\n%s", diff)
	}
}

func TestLabel(t *testing.T) {
	for link, want := range map[string]string{
		"lo": "lo:pso", "eth0": "eth0:pso", "enp1s0u1u2": "enp1s0u1u2:pso", "enx00d0f1123456": "",
	} {
		if got := (assignment{link: link}).label(); got != want {
			t.Errorf("label of %s = %q, want %q", link, got, want)
		}
	}
}

func TestMissingInterfaceNamesTheOthers(t *testing.T) {
	k := newFakeKernel()
	o := island(k)
	o.Interface = "eth9"
	err := newSetup(t, o).Apply(context.Background())
	want := `interface "eth9" does not exist (waited 50ms); this host has: eth0, lo`
	var missing *MissingLinkError
	if !errors.As(err, &missing) || !errors.Is(err, ErrNoLink) || err.Error() != want {
		t.Errorf("Apply = %v, want %q", err, want)
	}
	if got := k.changes(); len(got) != 0 {
		t.Errorf("changed %q for a missing interface", got)
	}
}

// A USB adapter that appears a moment after psobox starts is waited for.
func TestInterfaceAppearsLater(t *testing.T) {
	k := newFakeKernel()
	o := island(k)
	o.Interface, o.Wait = "eth1", 10*time.Second
	time.AfterFunc(300*time.Millisecond, func() { k.addLink(Link{Index: 3, Name: "eth1"}) })
	if err := newSetup(t, o).Apply(context.Background()); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if _, addrs := k.state("eth1"); !cmp.Equal(addrs, []string{"10.55.0.1/24"}) {
		t.Errorf("eth1 has %q", addrs)
	}
}

func TestApplyStopsWaitingOnCancel(t *testing.T) {
	k := newFakeKernel()
	o := island(k)
	o.Interface, o.Wait = "eth1", time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	if err := newSetup(t, o).Apply(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Apply = %v, want context.Canceled", err)
	}
}

func TestNoPrivilege(t *testing.T) {
	k := newFakeKernel()
	k.deny(true)
	err := newSetup(t, island(k)).Apply(context.Background())
	if !errors.Is(err, ErrNoPrivilege) || !errors.Is(err, syscall.EPERM) || !strings.Contains(err.Error(), "CAP_NET_ADMIN") {
		t.Errorf("Apply = %v, want a permission error naming CAP_NET_ADMIN", err)
	}
}

// Without CAP_NET_ADMIN psobox still starts when the host already has
// everything (addresses set by the OS): only changes need the capability.
func TestNoPrivilegeNeededWhenInPlace(t *testing.T) {
	k := newFakeKernel()
	k.addAddr("eth0", "10.55.0.1/24")
	k.addAddr("lo", "198.18.55.1/32")
	k.links["eth0"].Up = true
	k.deny(true)
	s := newSetup(t, island(k))
	if err := s.Apply(context.Background()); err != nil {
		t.Fatalf("Apply = %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close = %v (nothing was psobox's to remove)", err)
	}
}

func TestHomeWaitsForTheHostsAddress(t *testing.T) {
	k := newFakeKernel()
	k.addAddr("eth0", "192.168.1.77/24")
	o := home(k)
	err := newSetup(t, o).Apply(context.Background())
	want := "interface eth0 does not have 192.168.1.50 (waited 50ms; it has 192.168.1.77/24)"
	var missing *MissingAddrError
	if !errors.As(err, &missing) || err.Error() != want {
		t.Errorf("Apply = %v, want %q", err, want)
	}

	o.Wait = 10 * time.Second
	time.AfterFunc(300*time.Millisecond, func() { k.addAddr("eth0", "192.168.1.50/24") })
	if err := newSetup(t, o).Apply(context.Background()); err != nil {
		t.Errorf("Apply once the DHCP client got the address: %v", err)
	}
}

// Close does not fail on what someone else already removed, nor on a link
// that went away.
func TestCloseToleratesRemovedAddresses(t *testing.T) {
	k := newFakeKernel()
	s := newSetup(t, island(k))
	if err := s.Apply(context.Background()); err != nil {
		t.Fatal(err)
	}
	k.delAddr("lo", "198.18.55.1/32")
	k.mu.Lock()
	delete(k.links, "eth0")
	k.mu.Unlock()
	if err := s.Close(); err != nil {
		t.Errorf("Close = %v", err)
	}
}
