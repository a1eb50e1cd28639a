package e2e

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/psobox/psobox/appliance/privdrop"
	"github.com/psobox/psobox/appliance/status/statustest"
	"github.com/psobox/psobox/gameserver/client"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/internal/testenv"
)

// islandAddrs is the pi namespace as psobox keeps it in island mode: its
// address on the LAN link and the sentinel on loopback, both labelled as
// psobox's.
var islandAddrs = []string{"127.0.0.1/8 lo", sentinel + "/32 lo:pso", piAddr + "/24 lan0:pso"}

// The mission: a console gets its lease from psobox, looks up Sega's PSO
// server, and reaches psobox at the answer through its default route.
// "gokrazy" is the SD image's process model (a root parent keeps the
// network, the services run as nobody); "one process" is a root psobox
// that does not drop.
func TestIslandEndToEnd(t *testing.T) {
	for _, tc := range []struct{ name, drop string }{{"gokrazy", "always"}, {"one process", "auto"}} {
		t.Run(tc.name, func(t *testing.T) {
			l := newLAN(t)
			a := l.start(t, islandConfig(tc.drop))
			if diff := cmp.Diff(islandAddrs, piAddrs(t, l.pi)); diff != "" {
				t.Errorf("pi addresses (-want +got):\n%s", diff)
			}
			if tc.drop == "always" {
				checkPrivileges(t, a)
			}
			l.consoleJourney(t, a)
			a.stop(t)
			if diff := cmp.Diff([]string{"127.0.0.1/8 lo"}, piAddrs(t, l.pi)); diff != "" {
				t.Errorf("after a clean stop psobox left addresses (-want +got):\n%s", diff)
			}
		})
	}
}

// consoleJourney is what a console does, checked step by step.
func (l *lan) consoleJourney(t *testing.T, a *appliance) {
	t.Helper()
	checkLease(t, l.getLease(t))
	if got := l.resolve(t, psoName); got != sentinel {
		t.Errorf("dig %s = %q, want the sentinel %s", psoName, got, sentinel)
	}
	if route := l.routeTo(t, sentinel); !strings.Contains(route, "via "+piAddr) {
		t.Errorf("console's route to the sentinel is %q, want via the pi", route)
	}
	st := l.status(t, sentinel+":8080")
	if st.Mode != "island" {
		t.Errorf("status through the sentinel says mode %q", st.Mode)
	}
	want := [][]string{{"link", "lan0", "up, carrier"}, {piAddr + "/24", "lan0", "present"}, {sentinel + "/32", "lo", "present"}}
	if diff := cmp.Diff(want, st.section("network")); diff != "" {
		t.Errorf("status page's network section (-want +got):\n%s", diff)
	}
	l.reachGameServer(t, a)
}

// reachGameServer is the mission's last leg: a GameCube and a Dreamcast
// (psobot), each with its own lease, reach the game server at the sentinel
// through their default route, log in, meet in the lobby and chat; the
// status page then lists both consoles with their players.
func (l *lan) reachGameServer(t *testing.T, a *appliance) {
	t.Helper()
	if !strings.Contains(a.log.String(), "service=game") {
		t.Fatalf("psobox did not start its game server:\n%s", a.log.String())
	}
	dcLease := getLeaseIn(t, l.dreamcast)
	checkLease(t, dcLease)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	gc := bot(ctx, t, l.console, wire.GCV3, sentinel+":9103", "Cubey")
	dc := bot(ctx, t, l.dreamcast, wire.DCV2, sentinel+":9200", "Dreamy")
	for _, c := range []*client.Client{gc, dc} {
		waitForRoster(ctx, t, c, "Cubey", "Dreamy")
	}
	say(ctx, t, gc, dc, "Cubey", "hello from the cube")
	say(ctx, t, dc, gc, "Dreamy", "hi from the dreamcast")
	checkPlayersOnStatus(t, l.status(t, sentinel+":8080"), dcLease["ip"])
	checkPlayersInBrowser(t, l.console)
}

// checkPlayersInBrowser: the page as a person sees it, rendered by
// Chromium from the console's side of the LAN, lists both players.
func checkPlayersInBrowser(t *testing.T, ns *testenv.Netns) {
	t.Helper()
	if _, err := exec.LookPath("chromium"); err != nil {
		t.Log("chromium not installed (.ci/run installs it): the rendered page is not checked here")
		return
	}
	var names []string
	for _, row := range statustest.PlayersOnPage(t, statustest.Browser(t, ns), "http://"+sentinel+":8080/") {
		names = append(names, row[0])
	}
	slices.Sort(names)
	t.Logf("Chromium renders the players %q", names)
	if diff := cmp.Diff([]string{"Cubey", "Dreamy"}, names); diff != "" {
		t.Errorf("players on the page rendered by Chromium (-want +got):\n%s", diff)
	}
}

// bot logs a psobot of version v in from the console namespace ns and
// takes it to the lobby.
func bot(ctx context.Context, t *testing.T, ns *testenv.Netns, v wire.Version, addr, name string) *client.Client {
	t.Helper()
	c, err := client.Dial(ctx, addr, client.Config{
		Version: v, Name: name,
		Dial: func(ctx context.Context, _, addr string) (net.Conn, error) { return dialFrom(ctx, ns, addr) },
	})
	if err != nil {
		t.Fatalf("%s (%v) cannot log in at %s: %v", name, v, addr, err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.Lobby(ctx); err != nil {
		t.Fatalf("%s (%v) cannot join a lobby: %v", name, v, err)
	}
	return c
}

// say has from chat text and checks that to hears it from name.
func say(ctx context.Context, t *testing.T, from, to *client.Client, name, text string) {
	t.Helper()
	if err := from.Chat(text); err != nil {
		t.Fatalf("%s: chat: %v", name, err)
	}
	_, err := to.WaitEvent(ctx, "chat from "+name, func(e client.Event) bool {
		c, ok := e.(*client.Chat)
		return ok && c.From == name && c.Text == text
	})
	if err != nil {
		t.Fatalf("%v did not hear %s say %q: %v", to.Version(), name, text, err)
	}
}

// checkPlayersOnStatus: the page shows both players, each joined to its
// console's lease.
func checkPlayersOnStatus(t *testing.T, st apiStatus, dcIP string) {
	t.Helper()
	players := map[string]string{}
	for _, p := range st.Players {
		players[p.Name] = p.Version
	}
	if diff := cmp.Diff(map[string]string{"Cubey": "GC Ep1&2", "Dreamy": "DC v2"}, players); diff != "" {
		t.Errorf("players on the status page (-want +got):\n%s", diff)
	}
	consoles := map[string][]string{}
	for _, c := range st.Consoles {
		consoles[c.IP] = c.Players
	}
	if len(consoles) != 2 || !slices.Contains(consoles[dcIP], "Dreamy") {
		t.Errorf("consoles on the status page = %v, want two leases, the Dreamcast's (%s) with Dreamy", consoles, dcIP)
	}
}

func waitForRoster(ctx context.Context, t *testing.T, c *client.Client, names ...string) {
	t.Helper()
	for {
		var have []string
		for _, p := range c.CurrentLobby().Players {
			have = append(have, p.Name)
		}
		if cmp.Equal(names, have, cmpopts.SortSlices(func(a, b string) bool { return a < b })) {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%v sees %q in its lobby, want %q", c.Version(), have, names)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// checkPrivileges: the parent stayed root for the network; the child that
// serves consoles is nobody with exactly two ambient capabilities.
func checkPrivileges(t *testing.T, a *appliance) {
	t.Helper()
	child, err := privdrop.ReadIdentity(a.childPid(t))
	if err != nil {
		t.Fatalf("child: %v", err)
	}
	two := privdrop.SetOf(privdrop.CapNetBindService, privdrop.CapNetRaw)
	nobody := [4]int{65534, 65534, 65534, 65534}
	if child.UIDs != nobody || child.GIDs != nobody || len(child.Groups) != 0 {
		t.Errorf("child runs as uid %v gid %v groups %v, want nobody everywhere", child.UIDs, child.GIDs, child.Groups)
	}
	if child.Effective != two || child.Permitted != two || child.Ambient != two || !child.NoNewPrivs {
		t.Errorf("child's capabilities: effective %v, permitted %v, ambient %v, no_new_privs %v; want exactly %v and no_new_privs",
			child.Effective, child.Permitted, child.Ambient, child.NoNewPrivs, two)
	}
	parent, err := privdrop.ReadIdentity(a.cmd.Process.Pid)
	if err != nil || parent.UIDs[1] != 0 {
		t.Errorf("parent: %+v %v, want root (it keeps the network)", parent, err)
	}
}

// A cable unplugged and plugged back, with something flushing the
// addresses meanwhile: psobox puts them back, and a console that asks
// again gets a lease, a DNS answer and the sentinel, from the same
// running services.
func TestIslandRecoversFromLinkFlap(t *testing.T) {
	l := newLAN(t)
	a := l.start(t, islandConfig("always"))
	checkLease(t, l.getLease(t))

	l.pi.IP(t, "link", "set", "lan0", "down")
	l.pi.IP(t, "addr", "flush", "dev", "lan0")
	l.pi.IP(t, "addr", "del", sentinel+"/32", "dev", "lo")
	l.pi.IP(t, "link", "set", "lan0", "up")
	a.log.waitFor(t, `msg="restored the network: something else had changed it" component=network change="added `+piAddr)
	waitUntil(t, "psobox restores the pi's addresses", func() bool { return cmp.Equal(islandAddrs, piAddrs(t, l.pi)) })

	l.console.IP(t, "addr", "flush", "dev", "eth0")
	l.consoleJourney(t, a)
	if strings.Count(a.log.String(), "msg=ready component=psobox") != 1 {
		t.Errorf("the services restarted; they should have kept serving:\n%s", a.log)
	}
	a.stop(t)
}

// A psobox that dies without cleaning up (SIGKILL) takes its services
// with it, and the next psobox removes the addresses the dead one left
// when it stops cleanly.
func TestIslandParentKilled(t *testing.T) {
	l := newLAN(t)
	a := l.start(t, islandConfig("always"))
	child := a.childPid(t)
	a.kill()
	waitUntil(t, "the unprivileged child exits with its parent", func() bool {
		_, err := os.Stat(fmt.Sprintf("/proc/%d", child))
		return err != nil
	})
	if diff := cmp.Diff(islandAddrs, piAddrs(t, l.pi)); diff != "" {
		t.Errorf("a killed psobox cannot clean up; want its addresses left (-want +got):\n%s", diff)
	}
	again := l.start(t, islandConfig("always"))
	again.stop(t)
	if diff := cmp.Diff([]string{"127.0.0.1/8 lo"}, piAddrs(t, l.pi)); diff != "" {
		t.Errorf("the next psobox did not remove what the killed one added (-want +got):\n%s", diff)
	}
}

// waitUntil polls cond, failing after a generous bound.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out: %s", what)
}
