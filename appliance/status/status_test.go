package status

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/psobox/psobox/appliance/lifecycle"
)

var _ lifecycle.Service = (*Server)(nil)
var _ lifecycle.Endpointer = (*Server)(nil)

func TestRoutes(t *testing.T) {
	base, _, _ := start(t, fakeOptions())
	for _, tc := range []struct {
		method, path string
		code         int
		contentType  string
	}{
		{"GET", "/", 200, "text/html; charset=utf-8"},
		{"HEAD", "/", 200, "text/html; charset=utf-8"},
		{"GET", "/api/status", 200, "application/json"},
		{"GET", "/metrics", 200, "text/plain; version=0.0.4; charset=utf-8"},
		{"GET", "/healthz", 200, "text/plain; charset=utf-8"},
		{"GET", "/nothing-here", 404, "text/plain; charset=utf-8"},
		// Read-only but for the capture switch (capture_test.go).
		{"POST", "/", 405, "text/plain; charset=utf-8"},
		{"GET", "/capture", 405, "text/plain; charset=utf-8"},
		{"GET", "/captures/none.txt", 404, "text/plain; charset=utf-8"},
		{"POST", "/api/status", 405, "text/plain; charset=utf-8"},
		{"PUT", "/metrics", 405, "text/plain; charset=utf-8"},
	} {
		resp, _ := get(t, tc.method, base+tc.path)
		if resp.StatusCode != tc.code || resp.Header.Get("Content-Type") != tc.contentType {
			t.Errorf("%s %s = %d %q, want %d %q", tc.method, tc.path, resp.StatusCode,
				resp.Header.Get("Content-Type"), tc.code, tc.contentType)
		}
	}
}

func TestHealthz(t *testing.T) {
	base, _, _ := start(t, Options{Listen: "127.0.0.1:0"})
	if _, body := get(t, "GET", base+"/healthz"); body != "ok\n" {
		t.Errorf("/healthz = %q, want ok", body)
	}
}

func TestSecurityHeaders(t *testing.T) {
	base, _, _ := start(t, fakeOptions())
	for _, path := range []string{"/", "/api/status", "/metrics", "/nothing-here"} {
		resp, _ := get(t, "GET", base+path)
		for header, want := range map[string]string{
			"Content-Security-Policy": "default-src 'none'",
			"X-Content-Type-Options":  "nosniff",
			"Cache-Control":           "no-store",
		} {
			if got := resp.Header.Get(header); !strings.Contains(got, want) {
				t.Errorf("GET %s: %s = %q, want it to contain %q", path, header, got, want)
			}
		}
	}
}

// A full set of snapshot slots makes the next request wait, then answer
// 503 rather than pile up.
func TestBusyAnswers503(t *testing.T) {
	s := New(fakeOptions())
	for range maxConcurrent {
		s.slots <- struct{}{}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // do not wait busyWait: a gone client gives up at once
	req, err := http.NewRequestWithContext(ctx, "GET", "/", nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Errorf("busy server answered %d %v, want 503 with Retry-After", rec.Code, rec.Header())
	}
}

func TestStopsOnCancel(t *testing.T) {
	base, cancel, errc := start(t, fakeOptions())
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

func TestServeBeforeListen(t *testing.T) {
	if err := New(Options{}).Serve(context.Background()); err == nil {
		t.Error("Serve before Listen = nil, want an error")
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
