// Package statustest helps tests read psobox's status page the way a person
// does: in a real browser (headless Chromium, Debian package chromium), and
// as tables parsed from the HTML.
//
// It is the hook the end-to-end test uses: log players in with psobot, then
// PlayersOnPage(t, Browser(t, ns), url) must list them. The status package's
// own browser test does the same against a fake game server.
package statustest

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/psobox/psobox/internal/testenv"
)

// chromiumNames are the names Debian, Ubuntu and Google give the browser.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// browserTimeout bounds one browser run; a cold start on a busy 2-core
// machine takes a few seconds.
const browserTimeout = 90 * time.Second

// Chromium is a headless browser that a test may run.
type Chromium struct {
	Path  string
	Netns *testenv.Netns // run inside this namespace; nil: in the test's own
}

// Browser finds Chromium, or skips the test saying how to install it. The
// browser runs inside ns when it is not nil: only addresses of that
// namespace are reachable, so it cannot reach anything but the test's own.
func Browser(t testing.TB, ns *testenv.Netns) Chromium {
	t.Helper()
	for _, name := range chromiumNames {
		if path, err := exec.LookPath(name); err == nil {
			return Chromium{Path: path, Netns: ns}
		}
	}
	t.Skip("needs Chromium for the browser test: apt-get install chromium (.ci/run installs it)")
	return Chromium{}
}

// flags keep Chromium to the page under test: no sandbox (tests run as
// root in CI), no background traffic, and for every host but the page's a
// proxy that does not exist and no name resolution, so that nothing leaves
// the machine even outside a namespace.
func (c Chromium) flags(t testing.TB, page string) []string {
	host := page
	if u, err := url.Parse(page); err == nil {
		host = u.Hostname()
	}
	return []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-default-apps", "--disable-extensions", "--metrics-recording-only",
		"--no-default-browser-check", "--disable-dev-shm-usage",
		"--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=" + host,
		"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE " + host,
		"--user-data-dir=" + t.TempDir(),
	}
}

// run starts Chromium on page with the flags plus args and returns its
// stdout and the lines of its stderr that may explain a failure.
func (c Chromium) run(t testing.TB, page string, args ...string) (string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	defer cancel()
	all := append(append(c.flags(t, page), args...), page)
	var cmd *exec.Cmd
	if c.Netns != nil {
		cmd = c.Netns.Command(ctx, c.Path, all...)
	} else {
		cmd = exec.CommandContext(ctx, c.Path, all...)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir()) // Chromium writes to ~/.config and ~/.cache
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", c.Path, strings.Join(args, " "), err, stderr.String())
	}
	return string(out), withoutNoise(stderr.String())
}

// withoutNoise drops the D-Bus complaints of a browser running without a
// desktop session; what is left says why a page did not load.
func withoutNoise(stderr string) string {
	var keep []string
	for _, line := range strings.Split(stderr, "\n") {
		if line != "" && !strings.Contains(line, "dbus") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n")
}

// DumpDOM loads page and returns the document as Chromium rendered it.
func (c Chromium) DumpDOM(t testing.TB, page string) string {
	t.Helper()
	dom, stderr := c.run(t, page, "--dump-dom")
	if !strings.Contains(dom, "<html") {
		t.Fatalf("Chromium printed no document for %s:\n%s\n%s", page, dom, stderr)
	}
	return dom
}

// Screenshot loads page in a window of the given size and writes a PNG to
// dir, returning its path.
func (c Chromium) Screenshot(t testing.TB, page, dir string, width, height int) string {
	t.Helper()
	path := filepath.Join(dir, "status-page.png")
	_, stderr := c.run(t, page, "--hide-scrollbars", "--window-size="+strconv.Itoa(width)+","+strconv.Itoa(height), "--screenshot="+path)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("Chromium wrote no screenshot: %v\n%s", err, stderr)
	}
	return path
}
