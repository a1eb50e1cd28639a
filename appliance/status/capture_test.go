package status

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeCapture holds its files in memory.
type fakeCapture struct {
	mu      sync.Mutex
	enabled bool
	files   map[string]string // name -> content
	sets    []bool            // every SetEnabled call
}

func newFakeCapture() *fakeCapture {
	return &fakeCapture{enabled: true, files: map[string]string{
		"capture-20260501T145000.000Z-10.55.0.100.txt": "I 1 2026-05-01 14:50:00 - [GameServer] Client connected: C-1 via TG-9103-GC_V3-gc-us3-game_server\n",
	}}
}

func (c *fakeCapture) Status() CaptureStatus {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := CaptureStatus{Enabled: c.enabled, Masked: true, Dir: "/perm/psobox/captures"}
	for name, content := range c.files {
		st.Files = append(st.Files, CaptureFile{Name: name, Console: "10.55.0.100", Version: "GC_V3",
			Start: now.Add(-10 * time.Minute), Size: int64(len(content)), Recording: true})
	}
	return st
}

func (c *fakeCapture) SetEnabled(on bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.enabled = on
	c.sets = append(c.sets, on)
	return nil
}

func (c *fakeCapture) Open(name string) (io.ReadSeekCloser, CaptureFile, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	content, ok := c.files[name]
	if !ok {
		return nil, CaptureFile{}, ErrCaptureNotFound
	}
	return nopCloser{strings.NewReader(content)}, CaptureFile{Name: name, Start: now}, nil
}

type nopCloser struct{ io.ReadSeeker }

func (nopCloser) Close() error { return nil }

func (c *fakeCapture) calls() []bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]bool(nil), c.sets...)
}

var reToken = regexp.MustCompile(`name="token" value="([0-9a-f]+)"`)

// pageToken reads the capture form's token from the page.
func pageToken(t *testing.T, base string) string {
	t.Helper()
	_, doc := get(t, "GET", base+"/")
	m := reToken.FindStringSubmatch(doc)
	if m == nil {
		t.Fatalf("no capture form on the page:\n%s", doc)
	}
	return m[1]
}

func post(t *testing.T, target string, form url.Values, header map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest("POST", target, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// The switch takes effect only with the page's token, from this site, by
// POST; anything else changes nothing.
func TestCaptureSwitchNeedsTheToken(t *testing.T) {
	opts := fakeOptions()
	capt := newFakeCapture()
	opts.Capture = capt
	base, _, _ := start(t, opts)
	token := pageToken(t, base)
	for _, tc := range []struct {
		name   string
		form   url.Values
		header map[string]string
		code   int
	}{
		{"no token", url.Values{"on": {"false"}}, nil, http.StatusForbidden},
		{"wrong token", url.Values{"on": {"false"}, "token": {strings.Repeat("0", len(token))}}, nil, http.StatusForbidden},
		{"cross-site", url.Values{"on": {"false"}, "token": {token}}, map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"other origin", url.Values{"on": {"false"}, "token": {token}}, map[string]string{"Origin": "http://evil.example"}, http.StatusForbidden},
		{"bad value", url.Values{"on": {"maybe"}, "token": {token}}, nil, http.StatusBadRequest},
	} {
		if resp := post(t, base+"/capture", tc.form, tc.header); resp.StatusCode != tc.code {
			t.Errorf("%s: %d, want %d", tc.name, resp.StatusCode, tc.code)
		}
	}
	if resp, _ := get(t, "GET", base+"/capture?on=false&token="+token); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /capture: %d, want 405", resp.StatusCode)
	}
	if calls := capt.calls(); len(calls) != 0 {
		t.Fatalf("switched by a refused request: %v", calls)
	}
	resp := post(t, base+"/capture", url.Values{"on": {"false"}, "token": {token}}, map[string]string{"Sec-Fetch-Site": "same-origin"})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/#captures" {
		t.Errorf("from the page: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if calls := capt.calls(); len(calls) != 1 || calls[0] {
		t.Errorf("SetEnabled calls %v, want [false]", calls)
	}
	if _, doc := get(t, "GET", base+"/"); !strings.Contains(text(t, doc, "captures"), "Capture is off") {
		t.Errorf("page after switching off:\n%s", text(t, doc, "captures"))
	}
}

// Listed captures download as files; any other name is not found.
func TestCaptureDownload(t *testing.T) {
	opts := fakeOptions()
	opts.Capture = newFakeCapture()
	base, _, _ := start(t, opts)
	name := "capture-20260501T145000.000Z-10.55.0.100.txt"
	_, doc := get(t, "GET", base+"/")
	tab := tableOf(t, doc, "captures")
	if len(tab.Rows) != 1 || tab.Rows[0][0] != name+" recording" || tab.Rows[0][1] != "10.55.0.100" || tab.Rows[0][2] != "GC_V3" {
		t.Errorf("captures table %+v", tab)
	}
	if !strings.Contains(doc, `href="/captures/`+name+`"`) {
		t.Error("no download link")
	}
	resp, body := get(t, "GET", base+"/captures/"+name)
	if resp.StatusCode != 200 || !strings.Contains(body, "Client connected: C-1") ||
		resp.Header.Get("Content-Disposition") != `attachment; filename=`+name ||
		resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Errorf("download: %d %v\n%s", resp.StatusCode, resp.Header, body)
	}
	for _, bad := range []string{"nope.txt", "..%2f..%2fetc%2fpasswd", "%2e%2e", "capture-20260501T145000.000Z-10.55.0.101.txt"} {
		if resp, _ := get(t, "GET", base+"/captures/"+bad); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET /captures/%s: %d, want 404", bad, resp.StatusCode)
		}
	}
}

// Without capture, the routes answer 404 and the page has no form.
func TestNoCaptureNoForm(t *testing.T) {
	opts := fakeOptions()
	opts.Capture = nil
	base, _, _ := start(t, opts)
	if _, doc := get(t, "GET", base+"/"); strings.Contains(doc, "<form") {
		t.Error("a form without capture")
	}
	if resp := post(t, base+"/capture", url.Values{"on": {"true"}}, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("POST /capture without capture: %d", resp.StatusCode)
	}
}
