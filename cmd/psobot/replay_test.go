package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/psobox/psobox/gameserver/capture/capturetest"
	"github.com/psobox/psobox/gameserver/server/servertest"
)

// portFlags maps every recorded port to where the test server bound it.
func portFlags(srv *servertest.Server) []string {
	var args []string
	for port, ap := range srv.Addrs {
		args = append(args, "-port", fmt.Sprintf("%d=%d", port, ap.Port()))
	}
	return args
}

func TestReplayVerb(t *testing.T) {
	file, _ := capturetest.Record(t, false)
	fresh := servertest.Start(t, servertest.Options())
	stdout, stderr, err := runPsobot(t, append([]string{"replay", file, "-server", "127.0.0.1"}, portFlags(fresh)...)...)
	if err != nil {
		t.Fatalf("%v\n%s%s", err, stdout, stderr)
	}
	if !strings.Contains(stdout, "C-6 (GC_V3, port 9103): 12 server commands matched") || !strings.Contains(stdout, "ok: no difference: 9 connections") {
		t.Errorf("output:\n%s", stdout)
	}

	o := servertest.Options()
	o.WelcomeMessage = ""
	other := servertest.Start(t, o)
	args := append([]string{"replay", "-q"}, portFlags(other)...)
	stdout, _, err = runPsobot(t, append(args, "-client", "C-6", file)...)
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "C-6 (GC_V3, port 9103): first difference at log line") ||
		!strings.Contains(err.Error(), "expected D5 (flag 00), got 07") || stdout != "" {
		t.Errorf("exit %d: %v\n%s", exitCode(err), err, stdout)
	}
}

func TestReplayVerbUsage(t *testing.T) {
	file := filepath.Join(t.TempDir(), "empty.txt")
	os.WriteFile(file, nil, 0o600)
	for name, args := range map[string][]string{
		"no file":    {"replay"},
		"two files":  {"replay", "a", "b"},
		"bad port":   {"replay", file, "-port", "9100"},
		"bad server": {"replay", file, "-server", "host:x"},
		"flag first": {"-q", "replay", file},
	} {
		_, stderr, err := runPsobot(t, args...)
		if exitCode(err) != 2 || !strings.Contains(stderr, "usage: psobot") {
			t.Errorf("%s: exit %d (%v)\n%s", name, exitCode(err), err, stderr)
		}
	}
	if _, _, err := runPsobot(t, "replay", file); exitCode(err) != 1 || !strings.Contains(err.Error(), "no connection to replay") {
		t.Errorf("empty capture: %v", err)
	}
}
