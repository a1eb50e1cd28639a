package app

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/psobox/psobox/appliance/lifecycle"
	"github.com/psobox/psobox/appliance/status"
	"github.com/psobox/psobox/gameserver/capture/capturetest"
	"github.com/psobox/psobox/gameserver/replay"
	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/sessionlog"
)

// captureBox is psobox's wiring with DNS, the status page and the game
// server, the game server on ports the system picks.
type captureBox struct {
	page string // the status page's URL
	dns  lifecycle.Endpointer
	game *servertest.Server
}

func startCaptureBox(t *testing.T, toml string) captureBox {
	t.Helper()
	cfg := parseConfig(t, toml)
	logger := slog.New(slog.DiscardHandler)
	w := newWiring(cfg, logger, time.Now())
	dnsSvc, err := w.dns(logger)
	if err != nil {
		t.Fatal(err)
	}
	opts, err := gameOptions(cfg, logger)
	if err != nil {
		t.Fatal(err)
	}
	w.captureGame(&opts)
	game := servertest.Start(t, opts)
	w.showConnections(game.Server)
	statusSvc, err := w.status(logger)
	if err != nil {
		t.Fatal(err)
	}
	byName := serve(t, []lifecycle.Service{dnsSvc, statusSvc}, "dns", "status")
	return captureBox{byName["status"].(lifecycle.Endpointer).Endpoints()[0], byName["dns"].(lifecycle.Endpointer), game}
}

const captureBoxConfig = `mode = "island"
[network]
interface = "lo"
[dns]
listen = "127.0.0.1:0"
upstreams = ["127.0.0.1:9"]
[status]
listen = "127.0.0.1:0"
`

func fetch(t *testing.T, target string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(target)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// switchCapture presses the page's capture button.
func switchCapture(t *testing.T, page string, on bool) {
	t.Helper()
	_, doc := fetch(t, page)
	m := regexp.MustCompile(`name="token" value="([0-9a-f]+)"`).FindSubmatch(doc)
	if m == nil {
		t.Fatalf("no capture form on the page")
	}
	form := url.Values{"token": {string(m[1])}, "on": {map[bool]string{true: "true", false: "false"}[on]}}
	resp, err := http.PostForm(page+"capture", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK { // the redirect back to the page was followed
		t.Fatalf("capture switch: %s", resp.Status)
	}
}

func captureStatusOf(t *testing.T, page string) status.CaptureStatus {
	t.Helper()
	snap := getSnapshot(t, page)
	if snap.Capture == nil {
		t.Fatal("no capture in /api/status")
	}
	return *snap.Capture
}

// The "done when": capture is switched on from the status page,
// psobot of every version logs in, the console's capture is downloaded
// from the page, and replayed against a fresh psobox it shows no
// difference. The file also has the console's DNS lookup, and no
// credential of any bot.
func TestCaptureFromThePageReplays(t *testing.T) {
	box := startCaptureBox(t, captureBoxConfig)
	if st := captureStatusOf(t, box.page); st.Enabled || len(st.Files) != 0 {
		t.Fatalf("capture before switching on: %+v", st)
	}
	switchCapture(t, box.page, true)
	lookUp(t, box.dns, "gc01.st-pso.games.sega.net.")
	cfgs := capturetest.LoginAll(t, box.game, capturetest.Bots)

	st := captureStatusOf(t, box.page)
	if !st.Enabled || !st.Masked || len(st.Files) != 1 || st.Files[0].Console != "127.0.0.1" || st.Files[0].Version != "XB_V3" {
		t.Fatalf("capture status %+v", st)
	}
	resp, data := fetch(t, box.page+"captures/"+st.Files[0].Name)
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), st.Files[0].Name) {
		t.Fatalf("download: %s %v", resp.Status, resp.Header)
	}
	events, err := sessionlog.Read(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if !hasNote(events, "dns: A gc01.st-pso.games.sega.net (PSO GC US) -> 198.18.55.1") {
		t.Errorf("the console's DNS lookup is not in its capture")
	}
	for _, cfg := range cfgs {
		if bytes.Contains(commandBytes(events), []byte(cfg.Serial)) {
			t.Errorf("%s serial %q in the capture", cfg.Version, cfg.Serial)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	fresh := servertest.Start(t, servertest.Options())
	res, err := replay.Run(ctx, events, replay.Options{Addr: fresh.Addr})
	if err != nil {
		t.Fatalf("replay against a fresh psobox: %v", err)
	}
	if len(res.Conns) != len(capturetest.Bots)+1 {
		t.Errorf("replayed %d connections", len(res.Conns))
	}
}

func hasNote(events []sessionlog.Event, text string) bool {
	for _, ev := range events {
		if ev.Kind == sessionlog.Note && ev.Text == text {
			return true
		}
	}
	return false
}

func commandBytes(events []sessionlog.Event) []byte {
	var all []byte
	for _, ev := range events {
		all = append(all, ev.Data...)
		all = append(all, 0)
	}
	return all
}

// The recent connections table shows each login and how far it got, and
// switching capture off from the page stops recording.
func TestConnectionsTableAndCaptureOff(t *testing.T) {
	box := startCaptureBox(t, captureBoxConfig+"[capture]\nenabled = true\n")
	capturetest.LoginAll(t, box.game, capturetest.Bots[4:5])
	switchCapture(t, box.page, false)
	capturetest.LoginAll(t, box.game, capturetest.Bots[4:5])
	snap := getSnapshot(t, box.page)
	var rows [][]string
	for _, sec := range snap.Sections {
		if sec.Name == "connections" {
			rows = sec.Rows
		}
	}
	if len(rows) != 2 || rows[0][2] != "9103" || rows[0][3] != "GC_V3" || rows[0][4] != "lobby" || rows[0][5] != "client closed the connection" {
		t.Errorf("connections table %v", rows)
	}
	st := snap.Capture
	if st.Enabled || len(st.Files) != 1 || st.Files[0].Recording {
		t.Fatalf("capture after switching off: %+v", st)
	}
	_, data := fetch(t, box.page+"captures/"+st.Files[0].Name)
	if n := bytes.Count(data, []byte("Client connected:")); n != 1 {
		t.Errorf("%d connections recorded, want only the one before capture was switched off", n)
	}
}
