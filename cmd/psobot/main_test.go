package main

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/crypt"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/internal/version"
)

func runPsobot(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = run(ctx, args, &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestBadUsageExitsTwoWithUsage(t *testing.T) {
	tests := map[string][]string{
		"unknown flag":    {"-nope", "login"},
		"unknown version": {"-pso", "n64", "login"},
		"missing verb":    {"-pso", "gc"},
		"unknown verb":    {"dance"},
		"two verbs":       {"login", "lobby"},
		"bad class":       {"-class", "12", "login"},
		"bad timeout":     {"-timeout", "0s", "login"},
		"bad server":      {"-server", "[::1", "login"},
	}
	for name, args := range tests {
		t.Run(name, func(t *testing.T) {
			stdout, stderr, err := runPsobot(t, args...)
			if exitCode(err) != 2 {
				t.Errorf("exit code %d (%v), want 2", exitCode(err), err)
			}
			if !strings.Contains(stderr, "usage: psobot") || !strings.Contains(stderr, "lobby") {
				t.Errorf("stderr lacks the usage:\n%s", stderr)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}
}

func TestConnectionRefusedIsOneClearLine(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	_, _, err = runPsobot(t, "-q", "-server", addr, "lobby")
	if exitCode(err) != 1 {
		t.Fatalf("exit code %d (%v), want 1", exitCode(err), err)
	}
	msg := err.Error()
	for _, want := range []string{"gc lobby", "failed at connect", "refused"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
	}
	if strings.Contains(msg, "\n") {
		t.Errorf("error spans lines: %q", msg)
	}
}

// A refused licence names the step and the code, after printing the steps.
func TestRefusedLicenceNamesStepAndCode(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go refuseLicence(t, ln, wire.PCV2)
	stdout, _, err := runPsobot(t, "-pso", "pc", "-server", ln.Addr().String(), "login")
	if exitCode(err) != 1 {
		t.Fatalf("exit code %d (%v), want 1", exitCode(err), err)
	}
	want := "pc login: failed at licence check: server refused: 9A code 04 (serial number invalid)"
	if err.Error() != want {
		t.Errorf("error = %q\nwant    %q", err, want)
	}
	for _, step := range []string{"connected to", "cipher PSO V2", "sent 9A (licence check)", "received 9A (licence result) flag 04"} {
		if !strings.Contains(stdout, step) {
			t.Errorf("steps printed lack %q:\n%s", step, stdout)
		}
	}
}

// refuseLicence is a server that answers any licence check with 9A 04.
func refuseLicence(t *testing.T, ln net.Listener, v wire.Version) {
	conn, err := ln.Accept()
	if err != nil {
		return
	}
	defer conn.Close()
	fr := wire.NewFramer(conn, conn, v)
	init := wire.NewServerInit(0x17, 0x1234, 0x5678)
	if err := fr.WriteMsg(init); err != nil {
		t.Error(err)
		return
	}
	in, _ := crypt.NewStream(v.Cipher(), init.ClientKey)
	out, _ := crypt.NewStream(v.Cipher(), init.ServerKey)
	fr.SetCiphers(in, out)
	if cmd, err := fr.ReadCommand(); err != nil || cmd.Header.Command != 0x9A {
		t.Errorf("server got %v, %v; want 9A", cmd.Header, err)
		return
	}
	fr.WriteCommand(0x9A, wire.LicenseBadSerial, nil)
	fr.ReadCommand() // until psobot hangs up
}

func TestVersionFlag(t *testing.T) {
	stdout, _, err := runPsobot(t, "-version")
	if want := "psobot " + version.String() + "\n"; err != nil || stdout != want {
		t.Errorf("-version printed %q, %v; want %q (internal/version, which the Makefile stamps)", stdout, err, want)
	}
}

func TestServerAddr(t *testing.T) {
	tests := []struct{ in, want string }{
		{"127.0.0.1", "127.0.0.1:9103"},
		{"127.0.0.1:9300", "127.0.0.1:9300"},
		{"psobox.lan", "psobox.lan:9103"},
		{"::1", "[::1]:9103"},
		{"[::1]", "[::1]:9103"},
		{"[::1]:9000", "[::1]:9000"},
	}
	for _, tc := range tests {
		if got, err := serverAddr(tc.in, 9103); err != nil || got != tc.want {
			t.Errorf("serverAddr(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestEveryConsoleVersionIsSpokenByTheClient(t *testing.T) {
	for _, cv := range consoleVersions {
		if _, _, err := runPsobot(t, "-pso", cv.name, "-timeout", "1ns", "login"); exitCode(err) != 1 {
			t.Errorf("-pso %s: %v, want a runtime failure, not a usage error", cv.name, err)
		}
	}
}
