package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/psobox/psobox/appliance/config"
)

func defaults(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestHealthURL(t *testing.T) {
	for _, tc := range []struct{ listen, want, wantErr string }{
		{":8080", "http://127.0.0.1:8080/healthz", ""},
		{"0.0.0.0:9090", "http://127.0.0.1:9090/healthz", ""},
		{"[::]:8080", "http://[::1]:8080/healthz", ""},
		{"192.168.1.5:8080", "http://192.168.1.5:8080/healthz", ""},
		{"[fd00::5]:80", "http://[fd00::5]:80/healthz", ""},
		{":0", "", `status.listen ":0": the kernel picks the port`},
		{"8080", "", `status.listen "8080": address 8080: missing port`},
	} {
		cfg := defaults(t)
		cfg.Status.Listen = tc.listen
		got, err := healthURL(cfg)
		if got != tc.want || !strings.Contains(errText(err), tc.wantErr) || (err == nil) != (tc.wantErr == "") {
			t.Errorf("healthURL(%q) = %q, %v; want %q, error with %q", tc.listen, got, err, tc.want, tc.wantErr)
		}
	}
	cfg := defaults(t)
	cfg.Status.Enabled = false
	if _, err := healthURL(cfg); !strings.Contains(errText(err), "status page is disabled") {
		t.Errorf("status disabled: %v", err)
	}
}

func TestHealthcheck(t *testing.T) {
	code := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(code)
	}))
	defer srv.Close()
	cfg := defaults(t)
	cfg.Status.Listen = srv.Listener.Addr().String()
	var out bytes.Buffer
	if err := healthcheck(context.Background(), cfg, &out); err != nil || !strings.HasPrefix(out.String(), "healthy: GET http://127.0.0.1:") {
		t.Errorf("healthy server: %v, output %q", err, out.String())
	}
	code = http.StatusServiceUnavailable
	if err := healthcheck(context.Background(), cfg, &out); !strings.Contains(errText(err), "503 Service Unavailable") {
		t.Errorf("unhealthy server: %v", err)
	}
	srv.Close()
	if err := healthcheck(context.Background(), cfg, &out); !strings.Contains(errText(err), "connection refused") {
		t.Errorf("stopped server: %v", err)
	}
}

// The binary's -healthcheck, as compose runs it: exit 0 against a running
// psobox with the same config, exit 1 and one line once it has stopped.
func TestHealthcheckFlag(t *testing.T) {
	port := freePort(t)
	file := writeFile(t, "psobox.toml", "[dns]\nenabled = false\n[game]\nenabled = false\n"+
		"[status]\nlisten = \"127.0.0.1:"+port+"\"\n")
	cmd := exec.Command(binary, "-config", file, "-state-dir", t.TempDir())
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	waitForLine(t, stderr, "msg=ready")
	stdout, errOut, code := psobox(t, "-config", file, "-healthcheck")
	if code != 0 || stdout != "healthy: GET http://127.0.0.1:"+port+"/healthz: 200 OK\n" || errOut != "" {
		t.Errorf("-healthcheck against a running psobox = %d %q %q", code, stdout, errOut)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	_, errOut, code = psobox(t, "-config", file, "-healthcheck")
	if code != 1 || !strings.HasPrefix(errOut, "psobox: health check: ") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("-healthcheck against a stopped psobox = %d %q; want exit 1 and one line", code, errOut)
	}
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

// waitForLine reads log lines until one contains want and returns every
// line read; it fails the test if the log ends first.
func waitForLine(t *testing.T, r io.Reader, want string) string {
	t.Helper()
	lines := bufio.NewScanner(r)
	var seen strings.Builder
	for lines.Scan() {
		seen.WriteString(lines.Text() + "\n")
		if strings.Contains(lines.Text(), want) {
			return seen.String()
		}
	}
	t.Fatalf("psobox's log ended before a line with %q:\n%s", want, seen.String())
	return ""
}
