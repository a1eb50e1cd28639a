package image

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/psobox/psobox/internal/testenv"
)

// bootBudget bounds the boot test from qemu's start to the lease. The
// research measured 9 s for an arm64 gokrazy VM to serve DHCP under TCG;
// see TestVMImage's log for today's number and why it is higher.
const bootBudget = 4 * time.Minute

// bootExpect is what the booted image must show, as configured.
type bootExpect struct {
	Domain   string // dhcp.domain of the installed config
	Password string // gokrazy's web interface password
}

// testBoot boots img and acts as a console on the same switch: DHCP from
// psobox, a PSO name resolved to the sentinel, the status page, gokrazy's
// web interface, and psobox's log as gokrazy kept it.
func testBoot(t *testing.T, img string, want bootExpect) {
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "dig")
	sw, console := lan(t)
	v := startVM(t, sw, img)
	var m milestones
	lease := waitLease(t, v, console, v.started.Add(bootBudget), &m)
	took := time.Since(v.started)
	t.Logf("boot: kernel ran init after %v; gokrazy listened on 10.55.0.1 after %v; lease %s from psobox after %v (qemu start to lease)",
		m.marks["Run /gokrazy/init"].Round(100*time.Millisecond), m.marks["now listening on 10.55.0.1:80"].Round(100*time.Millisecond),
		lease["ip"], took.Round(100*time.Millisecond))

	cfg := wantShipped()
	checkLease(t, lease, cfg, want)
	console.IP(t, "addr", "add", lease["ip"]+"/24", "dev", "eth0")
	console.IP(t, "route", "add", "default", "via", lease["router"])
	checkDNS(t, v, console, lease["dns"], cfg.Sentinel)

	web := &webClient{ns: console, password: want.Password}
	server := lease["serverid"]
	if code, _ := web.get(t, "http://"+server+":8080/healthz", false); code != http.StatusOK {
		v.failf(t, "psobox's status page http://%s:8080/healthz answered %d, want 200", server, code)
	}
	if code, _ := web.get(t, "http://"+server+"/", false); code != http.StatusUnauthorized {
		t.Errorf("gokrazy's web interface on port 80 answered %d without a password, want 401", code)
	}
	if code, _ := web.get(t, "http://"+server+"/", true); code != http.StatusOK {
		t.Errorf("gokrazy's web interface answered %d to the configured password, want 200", code)
	}
	psoboxLog := web.stream(t, "http://"+server+"/log?path=/user/psobox&stream=stderr", 2*time.Second)
	for _, line := range []string{"msg=ready", "mode=island", "state_dir=/perm/psobox"} {
		if !strings.Contains(psoboxLog, line) {
			t.Errorf("psobox's log lacks %q:\n%s", line, psoboxLog)
		}
	}
	if !strings.Contains(v.console(), "EXT4-fs (vda4): mounted filesystem") {
		t.Errorf("the kernel did not mount /perm (vda4) as ext4:\n%s", tail(v.console(), 40))
	}
	loginAndJoinLobby(t, console, cfg.Sentinel, psoboxLog)
	testUpdate(t, v, console, web, img, server, lease["ip"])
}

func checkLease(t *testing.T, lease map[string]string, cfg shippedConfig, want bootExpect) {
	t.Helper()
	server := strings.Split(cfg.Address, "/")[0]
	for key, value := range map[string]string{"router": server, "dns": server, "serverid": server, "subnet": "255.255.255.0", "domain": want.Domain} {
		if lease[key] != value {
			t.Errorf("lease %s = %q, want %q (lease %v)", key, lease[key], value, lease)
		}
	}
	if !strings.HasPrefix(lease["ip"], "10.55.0.") {
		t.Errorf("leased address %q is outside 10.55.0.0/24", lease["ip"])
	}
}

// checkDNS resolves a name every GameCube PSO looks up, with dig from the
// console: psobox must answer the sentinel.
func checkDNS(t *testing.T, v *vm, console *testenv.Netns, server, sentinel string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	out, err := console.Command(ctx, "dig", "+short", "+time=2", "+tries=3", "@"+server, "gc01.st-pso.games.sega.net", "A").CombinedOutput()
	if got := strings.TrimSpace(string(out)); err != nil || got != sentinel {
		v.failf(t, "dig @%s gc01.st-pso.games.sega.net = %q (%v), want the sentinel %s", server, got, err, sentinel)
	}
}

// loginAndJoinLobby is the last step of the boot test: a GameCube and a
// Dreamcast (psobot, built for the host from this repository) log in
// through the booted image at the sentinel and join a lobby. The console
// reaches the sentinel through its default route, the lease's router.
// A build whose psobox has no game server yet logs that it skipped it, and
// so does this step.
func loginAndJoinLobby(t *testing.T, console *testenv.Netns, sentinel, psoboxLog string) {
	t.Helper()
	if gameSkipped(psoboxLog) {
		t.Logf("psobot login and lobby: skipped, the game server is not in this build yet (it would connect to %s)", sentinel)
		return
	}
	psobot := buildPsobot(t)
	for _, pso := range []string{"gc", "dcv2"} {
		ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
		out, err := console.Command(ctx, psobot, "-pso", pso, "-server", sentinel, "-name", "boot"+pso, "-timeout", "60s", "lobby").CombinedOutput()
		cancel()
		if err != nil {
			t.Errorf("psobot -pso %s lobby at %s: %v\n%s", pso, sentinel, err, out)
			continue
		}
		t.Logf("psobot -pso %s: %s", pso, tail(string(out), 1))
	}
}

// buildPsobot compiles psobot for the host from this repository.
func buildPsobot(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "psobot")
	cmd := exec.CommandContext(t.Context(), "go", "build", "-o", bin, "./cmd/psobot")
	cmd.Dir = testenv.RepoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/psobot: %v\n%s", err, out)
	}
	return bin
}

// gameSkipped reports whether psobox logged that the game server is not in
// its build.
func gameSkipped(psoboxLog string) bool {
	for _, line := range strings.Split(psoboxLog, "\n") {
		if strings.Contains(line, "component=game") && strings.Contains(line, "not part of this build yet") {
			return true
		}
	}
	return false
}

// webClient speaks HTTP from inside the console namespace.
type webClient struct {
	ns       *testenv.Netns
	password string
}

func (w *webClient) client(timeout time.Duration) *http.Client {
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		var conn net.Conn
		err := w.ns.Do(func() (err error) {
			conn, err = (&net.Dialer{Timeout: 5 * time.Second}).DialContext(ctx, network, addr)
			return err
		})
		return conn, err
	}
	return &http.Client{Timeout: timeout, Transport: &http.Transport{DialContext: dial, DisableKeepAlives: true}}
}

func (w *webClient) request(t *testing.T, url string, auth bool) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth {
		req.SetBasicAuth("gokrazy", w.password)
	}
	return req
}

// get returns the status code and body of url (0 when it is unreachable).
func (w *webClient) get(t *testing.T, url string, auth bool) (int, string) {
	t.Helper()
	resp, err := w.client(10 * time.Second).Do(w.request(t, url, auth))
	if err != nil {
		t.Logf("GET %s: %v", url, err)
		return 0, ""
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// stream reads a gokrazy log stream (which never ends) for d.
func (w *webClient) stream(t *testing.T, url string, d time.Duration) string {
	t.Helper()
	resp, err := w.client(d).Do(w.request(t, url, true))
	if err != nil {
		return fmt.Sprintf("(GET %s: %v)", url, err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() { // ends with the client's timeout
		b.WriteString(sc.Text() + "\n")
	}
	return b.String()
}
