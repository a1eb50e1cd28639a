package netsetup

import (
	"context"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/psobox/psobox/internal/testenv"
	"github.com/vishvananda/netns"
)

// lan is a "pi" namespace whose lan0 (no address, down) is cabled to a
// "console" namespace whose eth0 has 10.55.0.100/24 and a default route
// via 10.55.0.1, as a DHCP lease from psobox would give it.
type lan struct {
	pi, console *testenv.Netns
	kernel      *Netlink
}

func newLAN(t *testing.T) *lan {
	t.Helper()
	pi := testenv.NewNetns(t, "pi")
	console := testenv.NewNetns(t, "con")
	testenv.Veth(t, pi, "lan0", "", console, "eth0", "10.55.0.100/24")
	console.IP(t, "route", "add", "default", "via", "10.55.0.1")
	pi.IP(t, "link", "set", "lan0", "down")
	h, err := netns.GetFromName(pi.Name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	k, err := NewKernelAt(h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	return &lan{pi: pi, console: console, kernel: k}
}

// addrs is `ip -4 -o addr show dev <dev>` in the pi namespace, reduced to
// the addresses.
func (l *lan) addrs(t *testing.T, dev string) string {
	t.Helper()
	out, err := exec.Command("ip", "-n", l.pi.Name, "-4", "-o", "addr", "show", "dev", dev).CombinedOutput()
	if err != nil {
		t.Fatalf("ip addr: %v: %s", err, out)
	}
	var addrs []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if f := strings.Fields(line); len(f) > 3 {
			addrs = append(addrs, f[3])
		}
	}
	return strings.Join(addrs, " ")
}

func (l *lan) linkUp(t *testing.T) bool {
	t.Helper()
	out, err := exec.Command("ip", "-n", l.pi.Name, "-o", "link", "show", "dev", "lan0").CombinedOutput()
	if err != nil {
		t.Fatalf("ip link: %v: %s", err, out)
	}
	flags := strings.Fields(string(out))[2] // <BROADCAST,MULTICAST,UP,LOWER_UP>
	return strings.Contains(flags, ",UP") || strings.Contains(flags, "<UP")
}

// serveHello listens on every address of the pi namespace, as the game
// server does, and greets each connection.
func (l *lan) serveHello(t *testing.T) string {
	t.Helper()
	var ln net.Listener
	err := l.pi.Do(func() (err error) {
		ln, err = net.Listen("tcp4", "0.0.0.0:0")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			fmt.Fprintf(c, "hello %s\n", c.LocalAddr())
			c.Close()
		}
	}()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// consoleDials connects from the console namespace, which can reach the
// sentinel only through its default route (the pi).
func (l *lan) consoleDials(addr string) (string, error) {
	var got string
	err := l.console.Do(func() error {
		c, err := net.DialTimeout("tcp4", addr, 5*time.Second)
		if err != nil {
			return err
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		b, err := io.ReadAll(c)
		got = strings.TrimSpace(string(b))
		return err
	})
	return got, err
}

// Island mode on real netlink: the link comes up with its address, the
// sentinel on loopback is reached by a console routing through the pi,
// a flapped and flushed link is restored, and Close leaves the namespace
// as it was.
func TestNetnsIsland(t *testing.T) {
	l := newLAN(t)
	port := l.serveHello(t)
	s := newSetup(t, Options{Interface: "lan0", Address: islandAddr, BringUp: true, Sentinel: sentinel, Kernel: l.kernel, Resync: time.Hour})
	if err := s.Apply(context.Background()); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if got := l.addrs(t, "lan0"); got != "10.55.0.1/24" || !l.linkUp(t) {
		t.Errorf("lan0: up=%v addresses %q, want up with 10.55.0.1/24", l.linkUp(t), got)
	}
	if got := l.addrs(t, "lo"); got != "127.0.0.1/8 198.18.55.1/32" {
		t.Errorf("lo has %q, want the sentinel as a /32", got)
	}
	l.wantHello(t, "198.18.55.1:"+port)

	ctx, cancel := context.WithCancel(context.Background())
	watched := make(chan error, 1)
	go func() { watched <- s.Watch(ctx) }()
	l.pi.IP(t, "link", "set", "lan0", "down")
	l.pi.IP(t, "addr", "flush", "dev", "lan0")
	l.pi.IP(t, "addr", "del", "198.18.55.1/32", "dev", "lo")
	eventually(t, "Watch restores lan0 and the sentinel", func() bool {
		return l.linkUp(t) && l.addrs(t, "lan0") == "10.55.0.1/24" && l.addrs(t, "lo") == "127.0.0.1/8 198.18.55.1/32"
	})
	l.wantHello(t, "198.18.55.1:"+port)
	cancel()
	if err := <-watched; err != nil {
		t.Errorf("Watch = %v", err)
	}

	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if lan0, lo := l.addrs(t, "lan0"), l.addrs(t, "lo"); lan0 != "" || lo != "127.0.0.1/8" {
		t.Errorf("after Close lan0 has %q and lo %q, want nothing of psobox's", lan0, lo)
	}
}

// wantHello retries briefly: the console's neighbour entry for the pi may
// still be failing from before the flap.
func (l *lan) wantHello(t *testing.T, addr string) {
	t.Helper()
	var got string
	var err error
	for range 5 {
		if got, err = l.consoleDials(addr); err == nil {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err != nil || got != "hello "+addr {
		t.Errorf("console dialing %s: %q, %v; want the pi's greeting", addr, got, err)
	}
}

// Addresses that were there before psobox are used but never removed.
func TestNetnsKeepsWhatWasThere(t *testing.T) {
	l := newLAN(t)
	l.pi.IP(t, "addr", "add", "198.18.55.1/32", "dev", "lo")
	l.pi.IP(t, "addr", "add", "10.55.0.1/24", "dev", "lan0")
	s := newSetup(t, Options{Interface: "lan0", Address: islandAddr, BringUp: true, Sentinel: sentinel, Kernel: l.kernel})
	if err := s.Apply(context.Background()); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if lan0, lo := l.addrs(t, "lan0"), l.addrs(t, "lo"); lan0 != "10.55.0.1/24" || lo != "127.0.0.1/8 198.18.55.1/32" {
		t.Errorf("after Close lan0 has %q and lo %q, want both kept", lan0, lo)
	}
}

func TestNetnsMissingInterface(t *testing.T) {
	l := newLAN(t)
	s := newSetup(t, Options{Interface: "eth7", Address: islandAddr, Kernel: l.kernel, Wait: 100 * time.Millisecond})
	err := s.Apply(context.Background())
	if want := `interface "eth7" does not exist (waited 100ms); this host has: lo, lan0`; err == nil || err.Error() != want {
		t.Errorf("Apply = %v, want %q", err, want)
	}
}

// What a crashed psobox left (labelled by it) is removed by the next
// clean exit; ip(8) shows whose addresses they are.
func TestNetnsRestartAfterCrash(t *testing.T) {
	l := newLAN(t)
	l.pi.IP(t, "addr", "add", "10.55.0.1/24", "dev", "lan0", "label", "lan0:pso")
	l.pi.IP(t, "addr", "add", "198.18.55.1/32", "dev", "lo", "label", "lo:pso")
	s := newSetup(t, Options{Interface: "lan0", Address: islandAddr, BringUp: true, Sentinel: sentinel, Kernel: l.kernel})
	if err := s.Apply(context.Background()); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if lan0, lo := l.addrs(t, "lan0"), l.addrs(t, "lo"); lan0 != "" || lo != "127.0.0.1/8" {
		t.Errorf("after Close lan0 has %q and lo %q, want the crashed run's addresses gone", lan0, lo)
	}
}

// The addresses psobox adds carry its label, which is what tells a later
// run they are psobox's.
func TestNetnsLabelsItsAddresses(t *testing.T) {
	l := newLAN(t)
	s := newSetup(t, Options{Interface: "lan0", Address: islandAddr, BringUp: true, Sentinel: sentinel, Kernel: l.kernel})
	if err := s.Apply(context.Background()); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	defer s.Close()
	out, err := exec.Command("ip", "-n", l.pi.Name, "-4", "-o", "addr", "show").CombinedOutput()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"inet 10.55.0.1/24 brd 10.55.0.255 scope global lan0:pso", "inet 198.18.55.1/32 scope global lo:pso"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("ip addr does not show %q:\n%s", want, out)
		}
	}
}
