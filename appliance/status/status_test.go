package status

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/appliance/lifecycle"
)

var _ lifecycle.Service = (*Server)(nil)
var _ lifecycle.Endpointer = (*Server)(nil)

var (
	started = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	now     = started.Add(3*time.Hour + 25*time.Second)
)

func testSources() []Source {
	return []Source{
		NewSource("services", func(context.Context) Section {
			return Section{Title: "Services", Columns: []string{"service", "address"},
				Rows: [][]string{{"status", "http://127.0.0.1:8080/"}, {"game", "<all> 9000-9300"}}}
		}),
		NewSource("players", func(context.Context) Section {
			return Section{Title: "Players", Note: "no players online"}
		}),
	}
}

// start runs a whole Server on 127.0.0.1:0 and returns its base URL.
func start(t *testing.T) (string, context.CancelFunc, <-chan error) {
	t.Helper()
	s := New(Options{Listen: "127.0.0.1:0", Version: "v1.0 (commit abc)", Mode: "island",
		Sources: testSources(), Started: started, Now: func() time.Time { return now }})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := s.Listen(ctx); err != nil {
		t.Fatalf("Listen: %v", err)
	}
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(ctx) }()
	return "http://" + s.Addr().String(), cancel, errc
}

func get(t *testing.T, method, url string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", url, err)
	}
	return resp, string(body)
}

func TestPage(t *testing.T) {
	base, _, _ := start(t)
	resp, body := get(t, "GET", base+"/")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET / = %s %q", resp.Status, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{
		`<meta name="viewport" content="width=device-width, initial-scale=1">`,
		"v1.0 (commit abc)", "<b>mode</b> island", "<b>up</b> 3h0m25s",
		`<section id="services">`, "<th>service</th>", "<td>http://127.0.0.1:8080/</td>",
		"<td>&lt;all&gt; 9000-9300</td>", // source text is escaped
		`<p class="note">no players online</p>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q:\n%s", want, body)
		}
	}
	if got := resp.Header.Get("Content-Security-Policy"); !strings.Contains(got, "default-src 'none'") {
		t.Errorf("Content-Security-Policy = %q", got)
	}
}

func TestJSON(t *testing.T) {
	base, _, _ := start(t)
	resp, body := get(t, "GET", base+"/api/status")
	if resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type = %q", resp.Header.Get("Content-Type"))
	}
	var got snapshot
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	want := snapshot{Version: "v1.0 (commit abc)", Mode: "island", Started: started, UptimeSeconds: 3*3600 + 25,
		Sections: []namedSection{
			{"services", testSources()[0].Section(context.Background())},
			{"players", Section{Title: "Players", Rows: [][]string{}, Note: "no players online"}},
		}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("/api/status (-want +got):\n%s", diff)
	}
}

func TestRoutes(t *testing.T) {
	base, _, _ := start(t)
	for _, tc := range []struct {
		method, path string
		code         int
		body         string
	}{
		{"GET", "/healthz", 200, "ok\n"},
		{"HEAD", "/", 200, ""},
		{"GET", "/nothing-here", 404, "404 page not found\n"},
		{"POST", "/", 405, "Method Not Allowed\n"},
	} {
		resp, body := get(t, tc.method, base+tc.path)
		if resp.StatusCode != tc.code || body != tc.body {
			t.Errorf("%s %s = %d %q, want %d %q", tc.method, tc.path, resp.StatusCode, body, tc.code, tc.body)
		}
	}
}

func TestStopsOnCancel(t *testing.T) {
	base, cancel, errc := start(t)
	get(t, "GET", base+"/healthz")
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("Serve after cancel = %v, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Serve did not return after cancel")
	}
	if c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://")); err == nil {
		c.Close()
		t.Error("the socket still accepts connections after Serve returned")
	}
}

func TestListenErrorWhenPortTaken(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	s := New(Options{Listen: taken.Addr().String()})
	if err := s.Listen(context.Background()); err == nil || !strings.Contains(err.Error(), "address already in use") {
		t.Errorf("Listen on a taken port = %v, want address already in use", err)
	}
}
