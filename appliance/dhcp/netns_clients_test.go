package dhcp

import (
	"bufio"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/internal/testenv"
)

// TestNetnsRealClients: busybox udhcpc (unicast and broadcast replies) and
// ISC dhclient get a lease with router = DNS = psobox across a real link,
// after the rogue check found the link quiet.
func TestNetnsRealClients(t *testing.T) {
	l := newLab(t)
	console := l.addPeer("gc", "", "00:09:bf:00:00:01")
	o := labOptions(t)
	o.RogueCheck = 300 * time.Millisecond
	s, _ := l.start(o)
	waitServing(t, s)

	want := map[string]string{
		"ip": "10.55.0.100", "router": "10.55.0.1", "dns": "10.55.0.1", "serverid": "10.55.0.1",
		"subnet": "255.255.255.0", "domain": "psobox", "lease": "86400", "broadcast": "10.55.0.255",
	}
	t.Run("udhcpc unicast", func(t *testing.T) {
		env, err := udhcpc(t, console)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, pick(env, "ip", "router", "dns", "serverid", "subnet", "domain", "lease", "broadcast")); diff != "" {
			t.Errorf("udhcpc lease (-want +got):\n%s", diff)
		}
		if c := s.Status().Counters; c.UnicastL2 < 2 {
			t.Errorf("OFFER and ACK were not sent as layer-2 unicast: %+v", c)
		}
	})
	t.Run("udhcpc broadcast flag", func(t *testing.T) {
		before := s.Status().Counters.Broadcast
		env, err := udhcpc(t, console, "-B")
		if err != nil {
			t.Fatal(err)
		}
		if env["ip"] != want["ip"] {
			t.Errorf("same console got %s, want its lease %s", env["ip"], want["ip"])
		}
		if s.Status().Counters.Broadcast < before+2 {
			t.Errorf("replies to a broadcast-flag client were not broadcast")
		}
	})
	t.Run("dhclient", func(t *testing.T) {
		env, err := dhclient(t, console)
		if err != nil {
			t.Fatal(err)
		}
		got := pick(env, "new_ip_address", "new_routers", "new_domain_name_servers", "new_subnet_mask", "new_domain_name", "new_dhcp_server_identifier")
		wantISC := map[string]string{
			"new_ip_address": "10.55.0.100", "new_routers": "10.55.0.1", "new_domain_name_servers": "10.55.0.1",
			"new_subnet_mask": "255.255.255.0", "new_domain_name": "psobox", "new_dhcp_server_identifier": "10.55.0.1",
		}
		if diff := cmp.Diff(wantISC, got); diff != "" {
			t.Errorf("dhclient lease (-want +got):\n%s", diff)
		}
	})
	if ls := s.Leases(); len(ls) != 1 || ls[0].State != "bound" || ls[0].Vendor != "Nintendo (GameCube BBA)" {
		t.Errorf("Leases() = %+v", ls)
	}
}

// TestNetnsRestartKeepsLease: a new server on the same state directory gives
// each console its address back, even when they come back in another order.
func TestNetnsRestartKeepsLease(t *testing.T) {
	l := newLab(t)
	console := l.addPeer("gc", "", "00:09:bf:00:00:0a")
	o := labOptions(t)
	_, stop := l.start(o)
	got := map[string]string{}
	for _, mac := range []string{"00:09:bf:00:00:0a", "00:09:bf:00:00:0b"} {
		console.IP(t, "link", "set", "dev", "eth0", "address", mac)
		env, err := udhcpc(t, console)
		if err != nil {
			t.Fatal(err)
		}
		got[mac] = env["ip"]
	}
	stop()
	if got["00:09:bf:00:00:0a"] == got["00:09:bf:00:00:0b"] {
		t.Fatalf("two consoles share %v", got)
	}

	o.Logger = testLogger(t)
	l.start(o)
	for _, mac := range []string{"00:09:bf:00:00:0b", "00:09:bf:00:00:0a"} {
		console.IP(t, "link", "set", "dev", "eth0", "address", mac)
		env, err := udhcpc(t, console)
		if err != nil {
			t.Fatal(err)
		}
		if env["ip"] != got[mac] {
			t.Errorf("after restart %s got %s, want %s", mac, env["ip"], got[mac])
		}
	}
}

// TestNetnsRogueGuard: with dnsmasq serving the same link, psobox refuses to
// serve (and says who answers) unless forced.
func TestNetnsRogueGuard(t *testing.T) {
	l := newLab(t)
	console := l.addPeer("gc", "", "00:09:bf:00:00:01")
	rogueNS := l.addPeer("rogue", "10.55.0.2/24", "02:00:00:00:0d:01")
	startDnsmasq(t, rogueNS)

	o := labOptions(t)
	o.RogueCheck = 5 * time.Second // dnsmasq answers after its 3 s ping check
	s, stop := l.start(o)
	waitFor(t, "refusal", func() bool { return s.Status().State == StateRefused })
	want := "another DHCP server (10.55.0.2, MAC 02:00:00:00:0d:01) answers on br0: not serving; set dhcp.force = true to serve anyway"
	if got := s.Status().Message; got != want {
		t.Errorf("status message\n got %q\nwant %q", got, want)
	}
	env, err := udhcpc(t, console, "-t", "8") // dnsmasq's ping check takes 3 s
	if err != nil {
		t.Fatal(err)
	}
	if env["serverid"] != "10.55.0.2" || s.Status().Counters.Received != 0 {
		t.Errorf("the console's lease came from %s; psobox received %d requests while refusing",
			env["serverid"], s.Status().Counters.Received)
	}
	stop()

	o.Force, o.Logger = true, testLogger(t)
	forced, _ := l.start(o)
	waitServing(t, forced)
	if st := forced.Status(); !st.Forced || len(st.Rogues) != 1 || st.Rogues[0].ServerID != ip("10.55.0.2") {
		t.Errorf("forced status %+v", st)
	}
}

// startDnsmasq runs dnsmasq as a DHCP-only server in ns and waits until it
// reports its range; it is killed by PID at cleanup.
func startDnsmasq(t *testing.T, ns *testenv.Netns) {
	t.Helper()
	testenv.RequireTool(t, "dnsmasq")
	ctx, cancel := context.WithCancel(context.Background())
	cmd := ns.Command(ctx, "dnsmasq", "--no-daemon", "--port=0", "--conf-file=/dev/null", "--leasefile-ro",
		"--interface=eth0", "--bind-interfaces", "--dhcp-range=10.55.0.150,10.55.0.160,1h",
		"--user=root", "--log-facility=-", "--pid-file="+t.TempDir()+"/pid")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		var seen strings.Builder
		for sc.Scan() {
			seen.WriteString(sc.Text() + "\n")
			if strings.Contains(sc.Text(), "DHCP, IP range") {
				ready <- ""
				break
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
		ready <- seen.String()
	}()
	select {
	case out := <-ready:
		if out != "" {
			t.Fatalf("dnsmasq did not start: %s", out)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("dnsmasq did not report its DHCP range within 10 s")
	}
}

// TestNetnsHomeMode: home mode ignores a laptop, serves a GameCube, and
// skips a pool address another host already uses (ARP probe).
func TestNetnsHomeMode(t *testing.T) {
	l := newLab(t)
	console := l.addPeer("gc", "", "02:00:00:00:00:01")
	l.addPeer("squat", "10.55.0.200/24", "02:00:00:00:5a:01")
	o := labOptions(t)
	o.Mode = ModeHome
	o.PoolStart, o.PoolEnd = ip("10.55.0.200"), ip("10.55.0.210")
	s, _ := l.start(o)
	waitServing(t, s)

	if env, err := udhcpc(t, console, "-t", "2"); err == nil {
		t.Fatalf("a non-console MAC got a lease: %v", env)
	}
	if c := s.Status().Counters; c.Discover == 0 || c.Offer != 0 || c.Ignored != c.Discover {
		t.Errorf("non-console DISCOVERs not silently ignored: %+v", c)
	}

	console.IP(t, "link", "set", "dev", "eth0", "address", "00:09:bf:00:00:42")
	env, err := udhcpc(t, console)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"ip": "10.55.0.201", "router": "10.55.0.1", "dns": "10.55.0.1"},
		pick(env, "ip", "router", "dns")); diff != "" {
		t.Errorf("console lease (-want +got):\n%s", diff)
	}
	if !hasState(s.Leases(), ip("10.55.0.200"), "conflict") {
		t.Errorf("the squatted address is not shown as a conflict: %+v", s.Leases())
	}
}
