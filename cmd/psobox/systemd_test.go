package main

import (
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// serverConfig has DNS and the status page on loopback ports the kernel
// picks; upstream 127.0.0.1:9 has nothing listening, so nothing leaves the
// machine. The game server is off: its ports are fixed.
const serverConfig = `[network]
advertise = "10.0.0.55"
[dns]
listen = "127.0.0.1:0"
upstreams = ["127.0.0.1:9"]
[game]
enabled = false
[status]
listen = "127.0.0.1:0"
`

const psoName = "gc01.st-pso.games.sega.net"

var statusURL = regexp.MustCompile(`status (http://\S+/)`)

// Under a service manager psobox says READY=1 only once every socket is
// bound (each answers the moment READY arrives), sends a STATUS= line with
// the ports, and pings the watchdog while its DNS self-probe passes.
func TestReadyStatusAndWatchdog(t *testing.T) {
	m := newManager(t)
	file := writeFile(t, "psobox.toml", serverConfig)
	r := startUnder(t, []string{"NOTIFY_SOCKET=" + m.path, "WATCHDOG_USEC=1000000"}, nil,
		"-config", file, "-state-dir", t.TempDir())
	ready, before := m.next(t, "READY=1\n")
	if len(before) != 0 {
		t.Errorf("messages before READY=1: %q", before)
	}
	udp, tcp := dnsAddrs(t, ready)
	c, err := net.Dial("tcp", tcp)
	if err != nil {
		t.Fatalf("READY=1 came, but DNS over TCP at %s refuses: %v", tcp, err)
	}
	c.Close()
	if got := query(t, "udp", udp, psoName); got != "10.0.0.55" {
		t.Errorf("%s over UDP = %s, want 10.0.0.55", psoName, got)
	}
	url := statusURL.FindStringSubmatch(ready)
	if url == nil {
		t.Fatalf("STATUS does not say where the status page is: %q", ready)
	}
	resp, err := http.Get(url[1] + "healthz")
	if err != nil {
		t.Fatalf("READY=1 came, but the status page refuses: %v", err)
	}
	resp.Body.Close()
	for range 2 {
		if ping, _ := m.next(t, "WATCHDOG=1"); ping != "WATCHDOG=1" {
			t.Errorf("watchdog ping = %q", ping)
		}
	}
	if !strings.Contains(r.stderr.String(), `msg="watchdog on" component=systemd timeout=1s probes=dns`) {
		t.Errorf("log does not say the watchdog is on:\n%s", r.stderr)
	}
	r.stop(t)
	if msg, _ := m.next(t, "STOPPING=1"); msg != "STOPPING=1" {
		t.Errorf("stop message = %q", msg)
	}
}

// SIGHUP re-reads the file: a DNS key applies at once, a key that needs a
// restart shows in STATUS, and a bad file is refused while psobox keeps
// serving on what it had.
func TestSIGHUPReloads(t *testing.T) {
	m := newManager(t)
	file := writeFile(t, "psobox.toml", serverConfig)
	r := startUnder(t, []string{"NOTIFY_SOCKET=" + m.path}, nil, "-config", file, "-state-dir", t.TempDir())
	ready, _ := m.next(t, "READY=1\n")
	udp, _ := dnsAddrs(t, ready)
	if got := query(t, "udp", udp, "pso.example.net"); got != "SERVFAIL" {
		t.Fatalf("pso.example.net before the reload = %s, want SERVFAIL (no upstream answers)", got)
	}

	rewrite(t, file, strings.Replace(serverConfig, "[dns]\n", "[dns]\nextra_hostnames = [\"pso.example.net\"]\n", 1)+"[capture]\nenabled = true\n")
	r.signal(t, syscall.SIGHUP)
	if msg, _ := m.next(t, "RELOADING=1"); !strings.HasPrefix(msg, "RELOADING=1\nMONOTONIC_USEC=") {
		t.Errorf("reload message = %q", msg)
	}
	ready, _ = m.next(t, "READY=1\n")
	if !strings.HasSuffix(ready, "; restart needed for capture.enabled") {
		t.Errorf("STATUS after the reload = %q, want it to end in the key needing a restart", ready)
	}
	if got := query(t, "udp", udp, "pso.example.net"); got != "10.0.0.55" {
		t.Errorf("pso.example.net after the reload = %s, want 10.0.0.55", got)
	}

	rewrite(t, file, serverConfig+"[dhcp]\nlease_time = \"5s\"\n")
	r.signal(t, syscall.SIGHUP)
	m.next(t, "RELOADING=1")
	ready, _ = m.next(t, "READY=1\n")
	want := `; last reload refused: config: dhcp.lease_time = "5s": must be between 1m and 720h`
	if !strings.HasSuffix(ready, want) {
		t.Errorf("STATUS after a bad file = %q, want it to end in %q", ready, want)
	}
	if got := query(t, "udp", udp, "pso.example.net"); got != "10.0.0.55" {
		t.Errorf("pso.example.net after the refused reload = %s, want 10.0.0.55 still", got)
	}
	r.stop(t)
	for _, want := range []string{`applied=dns.extra_hostnames`, `keys=capture.enabled`, `msg="reload refused; the running configuration stays"`} {
		if !strings.Contains(r.stderr.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, r.stderr)
		}
	}
}

func rewrite(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// Sockets passed the way systemd passes them (LISTEN_FDS, LISTEN_PID,
// LISTEN_FDNAMES, both DNS sockets named "dns" as psobox-dns.socket names
// them) are served, though dns.listen names an address this
// machine does not have; a socket for a service that is off is closed.
func TestSocketActivation(t *testing.T) {
	pc, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: pc.LocalAddr().(*net.UDPAddr).Port})
	if err != nil {
		t.Skipf("the UDP port's TCP twin is taken: %v", err)
	}
	dhcpSock, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	files := []*os.File{fileOf(t, pc), fileOf(t, ln), fileOf(t, dhcpSock)}
	m := newManager(t)
	config := strings.Replace(serverConfig, `listen = "127.0.0.1:0"`, `listen = "192.0.2.1:53"`, 1)
	r := startUnder(t, []string{"NOTIFY_SOCKET=" + m.path, "LISTEN_FDS=3", "LISTEN_FDNAMES=dns:dns:dhcp"}, files,
		"-config", writeFile(t, "psobox.toml", config), "-state-dir", t.TempDir())
	for _, c := range []interface{ Close() error }{pc, ln, dhcpSock, files[0], files[1], files[2]} {
		c.Close() // only psobox holds the sockets now
	}
	ready, _ := m.next(t, "READY=1\n")
	udp, tcp := dnsAddrs(t, ready)
	if udp != pc.LocalAddr().String() || tcp != ln.Addr().String() {
		t.Errorf("STATUS = %q, want DNS on the passed sockets %v and %v", ready, pc.LocalAddr(), ln.Addr())
	}
	if got := query(t, "udp", udp, psoName); got != "10.0.0.55" {
		t.Errorf("%s over the passed UDP socket = %s", psoName, got)
	}
	if got := query(t, "tcp", tcp, psoName); got != "10.0.0.55" {
		t.Errorf("%s over the passed TCP socket = %s", psoName, got)
	}
	r.stop(t)
	for _, want := range []string{`msg="using sockets from systemd instead of binding dns.listen"`, `"closing them"`} {
		if !strings.Contains(r.stderr.String(), strings.Trim(want, `"`)) {
			t.Errorf("log lacks %s:\n%s", want, r.stderr)
		}
	}
}

func fileOf(t *testing.T, s interface{ File() (*os.File, error) }) *os.File {
	t.Helper()
	f, err := s.File()
	if err != nil {
		t.Fatal(err)
	}
	return f
}
