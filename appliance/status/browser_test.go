package status

import (
	"context"
	"image/png"
	"os"
	"os/exec"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/appliance/status/statustest"
	"github.com/psobox/psobox/internal/testenv"
)

// browserTestGame is the test hook for the browser test: the game server
// whose players the page must show, and their rows as the Players table
// shows them. Here it is a fake. The end-to-end test of the appliance does
// the same with the real game server and psobot players logged in:
// statustest.PlayersOnPage reads the table the same way there.
func browserTestGame(t *testing.T) (Game, [][]string) {
	t.Helper()
	game := newFakeGame()
	game.players[2].Name = "<i>Mallory</i> & co" // must show as text, not markup
	return game, [][]string{
		{"Alice", "GC Ep1&2", "42000001", "lobby 1", "1h 0m ago", "10.55.0.100"},
		{"Bob", "DC v2", "42000002", "game “Forest run”", "12m ago", "10.55.0.101"},
		{"<i>Mallory</i> & co", "PC", "—", "menus (not in a lobby)", "30s ago", "192.168.1.50"},
	}
}

// browserNetns is a namespace with no way out for the browser and the
// server when the test may make one (root, CI), and the address the server
// listens on there: a LAN address as on the Pi, which the browser must
// reach without its proxy. Elsewhere both stay on loopback and the
// browser's own flags keep it local.
func browserNetns(t *testing.T) (*testenv.Netns, string) {
	if os.Geteuid() != 0 {
		t.Log("not root: Chromium runs in this network namespace, kept local by its proxy and resolver flags")
		return nil, "127.0.0.1:0"
	}
	if _, err := exec.LookPath("ip"); err != nil {
		return nil, "127.0.0.1:0"
	}
	ns := testenv.NewNetns(t, "status")
	ns.IP(t, "addr", "add", "10.55.0.1/24", "dev", "lo")
	return ns, "10.55.0.1:0"
}

// startIn runs a server inside ns (nil: here).
func startIn(t *testing.T, ns *testenv.Netns, opts Options) string {
	t.Helper()
	s := New(opts)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	listen := func() error { return s.Listen(ctx) }
	if ns != nil {
		if err := ns.Do(listen); err != nil {
			t.Fatalf("Listen in %s: %v", ns.Name, err)
		}
	} else if err := listen(); err != nil {
		t.Fatalf("Listen: %v", err)
	}
	go func() { _ = s.Serve(ctx) }()
	return "http://" + s.Addr().String() + "/"
}

func TestChromiumRendersPlayers(t *testing.T) {
	browser := statustest.Browser(t, nil)
	ns, listen := browserNetns(t)
	browser.Netns = ns
	game, want := browserTestGame(t)
	opts := fakeOptions()
	opts.Game, opts.Listen = game, listen
	url := startIn(t, browser.Netns, opts)

	dom := browser.DumpDOM(t, url)
	players, err := statustest.SectionTable(dom, "players")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, players.Rows); diff != "" {
		t.Errorf("players in the rendered page (-want +got):\n%s", diff)
	}
	consoles, err := statustest.SectionTable(dom, "consoles")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(consoles.Rows), 3; got != want || consoles.Rows[0][2] != "gc01.st-pso.games.sega.net → PSO GC US" {
		t.Errorf("consoles in the rendered page: %q", consoles.Rows)
	}

	// A phone-sized screenshot, kept with `go test -artifacts` for a look.
	path := browser.Screenshot(t, url, t.ArtifactDir(), 390, 844)
	checkScreenshot(t, path, 390, 844)
}

// checkScreenshot: a PNG of the window's size that is not blank.
func checkScreenshot(t *testing.T, path string, width, height int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if b := img.Bounds(); b.Dx() != width || b.Dy() != height {
		t.Errorf("screenshot is %dx%d, want %dx%d", b.Dx(), b.Dy(), width, height)
	}
	colours := map[[3]uint32]bool{}
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y += 4 {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x += 4 {
			r, g, b, _ := img.At(x, y).RGBA()
			colours[[3]uint32{r, g, b}] = true
		}
	}
	if len(colours) < 8 {
		t.Errorf("screenshot has %d colours: the page looks blank", len(colours))
	}
}
