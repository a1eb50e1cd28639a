package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/appliance/config"
)

// binary is psobox built once for the tests that run it as a process.
var binary string

const stamp = "-X github.com/psobox/psobox/internal/version.Version=v0.0.0-test " +
	"-X github.com/psobox/psobox/internal/version.Commit=abc1234"

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "psobox-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "psobox")
	out, err := exec.Command("go", "build", "-ldflags", stamp, "-o", binary, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// psobox runs the binary to completion.
func psobox(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("run psobox: %v", err)
	}
	return out.String(), errb.String(), cmd.ProcessState.ExitCode()
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestVersionIsStamped(t *testing.T) {
	stdout, stderr, code := psobox(t, "-version")
	if code != 0 || stdout != "psobox v0.0.0-test (commit abc1234)\n" || stderr != "" {
		t.Errorf("-version = %d %q %q", code, stdout, stderr)
	}
}

func TestPrintConfigLoadsBack(t *testing.T) {
	file := writeFile(t, "psobox.toml", "mode = \"island\"\n[network]\ninterface = \"eth1\"\n"+
		"[dhcp]\nlease_time = \"2h\"\n[[dhcp.reservations]]\nmac = \"00:d0:f1:00:00:01\"\nip = \"10.55.0.9\"\n")
	stdout, stderr, code := psobox(t, "-config", file, "-print-config")
	if code != 0 || stderr != "" {
		t.Fatalf("-print-config = %d, stderr %q", code, stderr)
	}
	want, err := config.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	got, err := config.Load(writeFile(t, "printed.toml", stdout))
	if err != nil {
		t.Fatalf("printed config does not load: %v\n%s", err, stdout)
	}
	addrs := cmp.Options{cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
		cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })}
	if diff := cmp.Diff(want, got, addrs); diff != "" {
		t.Errorf("printed config loads differently (-file +printed):\n%s", diff)
	}
}

func TestBadConfigIsOneLine(t *testing.T) {
	for _, tc := range []struct{ name, file, key string }{
		{"bad value", "[dhcp]\nlease_time = \"5s\"\n", "dhcp.lease_time"},
		{"unknown key", "[status]\nport = 80\n", "status.port"},
		{"syntax", "mode = \n", "psobox.toml:1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := psobox(t, "-config", writeFile(t, "psobox.toml", tc.file))
			lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			if code != 1 || len(lines) != 1 || !strings.HasPrefix(stderr, "psobox: config: ") || !strings.Contains(stderr, tc.key) {
				t.Errorf("exit %d, stderr %q; want exit 1 and one line \"psobox: config: ...\" naming %s", code, stderr, tc.key)
			}
		})
	}
}

func TestBadFlagIsUsageError(t *testing.T) {
	_, stderr, code := psobox(t, "-no-such-flag")
	if code != 2 || stderr != "psobox: flag provided but not defined: -no-such-flag (psobox -h lists the flags)\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// servingLine is lifecycle's log line saying where status serves.
var servingLine = regexp.MustCompile(`msg=serving component=lifecycle service=status on=(http://\S+)`)

// The whole appliance as a process: it starts on a config file, logs where
// it serves, answers there, and stops cleanly with exit 0 on SIGINT.
func TestRunsAndStopsOnSIGINT(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state")
	file := writeFile(t, "psobox.toml", "[dns]\nenabled = false\n[game]\nenabled = false\n"+
		"[status]\nlisten = \"127.0.0.1:0\"\n")
	cmd := exec.Command(binary, "-config", file, "-state-dir", state)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := bufio.NewScanner(stderr)
	url := waitForURL(t, lines)
	resp, err := http.Get(url + "api/status")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %sapi/status: %v %v", url, resp, err)
	}
	var got struct {
		Mode     string
		Sections []struct {
			Name string
			Rows [][]string
		}
	}
	err = json.NewDecoder(resp.Body).Decode(&got)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("decode /api/status: %v", err)
	}
	// The wiring lists the running services, with where they serve.
	want := `{server [{services [[status ` + url + `]]}]}`
	if diff := cmp.Diff(want, fmt.Sprint(got)); diff != "" {
		t.Errorf("/api/status (-want +got):\n%s", diff)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	rest := readAll(lines)
	if err := cmd.Wait(); err != nil {
		t.Errorf("psobox after SIGINT: %v (want exit 0)\n%s", err, rest)
	}
	if !strings.Contains(rest, "msg=stopped component=psobox") {
		t.Errorf("no clean-stop line in the log:\n%s", rest)
	}
	if info, err := os.Stat(state); err != nil || !info.IsDir() || info.Mode().Perm() != 0o750 {
		t.Errorf("state dir: %v %v, want a 0750 directory", info, err)
	}
}

// waitForURL reads log lines until status says where it serves, checking
// that the start-up lines name the mode.
func waitForURL(t *testing.T, lines *bufio.Scanner) string {
	t.Helper()
	var seen []string
	for lines.Scan() {
		line := lines.Text()
		seen = append(seen, line)
		if m := servingLine.FindStringSubmatch(line); m != nil {
			if !strings.Contains(strings.Join(seen, "\n"), "mode=server") {
				t.Errorf("start-up log does not name the mode:\n%s", strings.Join(seen, "\n"))
			}
			return m[1]
		}
	}
	t.Fatalf("psobox never logged where status serves:\n%s", strings.Join(seen, "\n"))
	return ""
}

func readAll(lines *bufio.Scanner) string {
	var b strings.Builder
	for lines.Scan() {
		b.WriteString(lines.Text() + "\n")
	}
	return b.String()
}

// In-process checks of run that need no binary.
func TestRunFlags(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		wantOut string
		wantErr string
	}{
		{[]string{"-h"}, "Usage: psobox [flags]", ""},
		{[]string{"extra"}, "", `unexpected argument "extra" (psobox -h lists the flags)`},
		{[]string{"-config", "/nonexistent/psobox.toml"}, "", "config: open /nonexistent/psobox.toml: no such file or directory"},
		{[]string{"-print-config", "-state-dir", "/srv/pso"}, "state_dir = \"/srv/pso\"", ""},
	} {
		var out bytes.Buffer
		err := run(context.Background(), tc.args, &out, io.Discard)
		if got := errText(err); got != tc.wantErr || !strings.Contains(out.String(), tc.wantOut) {
			t.Errorf("run(%q) = %q, output %q; want error %q and output containing %q",
				tc.args, got, out.String(), tc.wantErr, tc.wantOut)
		}
	}
}

func TestNothingToServe(t *testing.T) {
	file := writeFile(t, "psobox.toml", "state_dir = \""+t.TempDir()+"\"\n[dns]\nenabled = false\n[game]\nenabled = false\n[status]\nenabled = false\n")
	err := run(context.Background(), []string{"-config", file}, io.Discard, io.Discard)
	if want := "nothing to serve: every service is disabled in the config or not in this build"; errText(err) != want {
		t.Errorf("run = %q, want %q", errText(err), want)
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
