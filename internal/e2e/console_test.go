package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/psobox/psobox/internal/testenv"
)

// leaseScript is udhcpc's hook: it applies the lease the way a console's
// network stack does (address, then default route via the router) and
// records what it was given.
const leaseScript = `#!/bin/sh
case "$1" in
deconfig)
	ip -4 addr flush dev "$interface"
	;;
bound|renew)
	ip -4 addr flush dev "$interface"
	ip addr add "$ip/$mask" dev "$interface"
	ip route replace default via "$router" dev "$interface"
	printf 'ip=%s\nmask=%s\nrouter=%s\ndns=%s\n' "$ip" "$mask" "$router" "$dns" > "$0.lease.tmp"
	mv "$0.lease.tmp" "$0.lease"
	;;
esac
`

// getLease runs busybox udhcpc in the console namespace until it has a
// lease applied, and returns what the lease said.
func (l *lan) getLease(t *testing.T) map[string]string {
	t.Helper()
	return getLeaseIn(t, l.console)
}

// getLeaseIn is getLease for the console namespace ns.
func getLeaseIn(t *testing.T, ns *testenv.Netns) map[string]string {
	t.Helper()
	script := filepath.Join(t.TempDir(), "udhcpc.sh")
	if err := os.WriteFile(script, []byte(leaseScript), 0o700); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := ns.Command(ctx, "udhcpc", "-i", "eth0", "-f", "-q", "-n", "-t", "5", "-T", "1", "-s", script).CombinedOutput()
	if err != nil {
		t.Fatalf("udhcpc: %v\n%s", err, out)
	}
	f, err := os.Open(script + ".lease")
	if err != nil {
		t.Fatalf("udhcpc applied no lease: %v\n%s", err, out)
	}
	defer f.Close()
	lease := map[string]string{}
	for s := bufio.NewScanner(f); s.Scan(); {
		k, v, _ := strings.Cut(s.Text(), "=")
		lease[k] = v
	}
	return lease
}

// checkLease: an address from the island pool, router and DNS the pi.
func checkLease(t *testing.T, lease map[string]string) {
	t.Helper()
	ip := net.ParseIP(lease["ip"]).To4()
	if ip == nil || ip[0] != 10 || ip[1] != 55 || ip[2] != 0 || ip[3] < 100 || ip[3] > 199 ||
		lease["mask"] != "24" || lease["router"] != piAddr || lease["dns"] != piAddr {
		t.Errorf("lease %v: want 10.55.0.100-199/24 with router = DNS = %s", lease, piAddr)
	}
}

// resolve asks the pi's DNS server with dig, from the console.
func (l *lan) resolve(t *testing.T, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := l.console.Command(ctx, "dig", "@"+piAddr, "+short", "+time=2", "+tries=3", name, "A").CombinedOutput()
	if err != nil {
		t.Fatalf("dig %s: %v\n%s", name, err, out)
	}
	return strings.TrimSpace(string(out))
}

// routeTo is the console's route to addr.
func (l *lan) routeTo(t *testing.T, addr string) string {
	t.Helper()
	out, err := exec.Command("ip", "-n", l.console.Name, "route", "get", addr).CombinedOutput()
	if err != nil {
		t.Fatalf("ip route get: %v\n%s", err, out)
	}
	return strings.TrimSpace(string(out))
}

// dial connects from the console namespace.
func (l *lan) dial(ctx context.Context, addr string) (net.Conn, error) {
	return dialFrom(ctx, l.console, addr)
}

// dialFrom connects from the namespace ns.
func dialFrom(ctx context.Context, ns *testenv.Netns, addr string) (net.Conn, error) {
	var c net.Conn
	err := ns.Do(func() (err error) {
		var d net.Dialer
		c, err = d.DialContext(ctx, "tcp4", addr)
		return err
	})
	return c, err
}

// apiStatus is what the console reads from psobox's status API.
type apiStatus struct {
	Mode     string
	Sections []struct {
		Name string
		Rows [][]string
	}
	Consoles []struct {
		IP      string
		Players []string
	}
	Players []struct {
		Name, Version, Address string
	}
}

// status reads /api/status over a connection the console makes to addr.
// It retries briefly: right after a flap the console's neighbour entry for
// the pi may still be failed.
func (l *lan) status(t *testing.T, addr string) apiStatus {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, addr string) (net.Conn, error) { return l.dial(ctx, addr) },
	}}
	var err error
	for range 5 {
		var st apiStatus
		if st, err = getStatus(client, "http://"+addr+"/api/status"); err == nil {
			return st
		}
		time.Sleep(300 * time.Millisecond)
	}
	t.Fatalf("console cannot read psobox's status at %s: %v", addr, err)
	return apiStatus{}
}

func getStatus(c *http.Client, url string) (apiStatus, error) {
	var st apiStatus
	resp, err := c.Get(url)
	if err != nil {
		return st, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return st, fmt.Errorf("%s: %s", url, resp.Status)
	}
	return st, json.NewDecoder(resp.Body).Decode(&st)
}

func (s apiStatus) section(name string) [][]string {
	for _, sec := range s.Sections {
		if sec.Name == name {
			return sec.Rows
		}
	}
	return nil
}

// piAddrs is the pi namespace's IPv4 addresses as "address label" pairs.
func piAddrs(t *testing.T, pi *testenv.Netns) []string {
	t.Helper()
	out, err := exec.Command("ip", "-n", pi.Name, "-4", "-o", "addr", "show").CombinedOutput()
	if err != nil {
		t.Fatalf("ip addr: %v\n%s", err, out)
	}
	var addrs []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		// 2: lan0    inet 10.55.0.1/24 brd 10.55.0.255 scope global lan0:pso\ valid_lft ...
		f := strings.Fields(line)
		for i := range f {
			if f[i] == "scope" && i+2 < len(f) && len(f) > 3 {
				addrs = append(addrs, f[3]+" "+strings.TrimSuffix(f[i+2], "\\"))
				break
			}
		}
	}
	return addrs
}
