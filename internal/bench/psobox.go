package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/psobox/psobox/gameserver/load"
)

// psobox is the server under test, started from its binary.
type psobox struct {
	cmd        *exec.Cmd
	statusAddr string
	dnsAddr    string
	stopped    bool
	exited     chan struct{}
}

// advertised is the address psobox's DNS answers PSO names with; dnsmasq
// is given the same answer, so both do the same work.
const advertised = "198.18.55.1"

// config is the throw-away configuration: everything on 127.0.0.1, DNS
// and the status page on free ports, no DHCP and no DNS rate limit (the
// load comes from one address), room for the largest scenario.
const config = `mode = "server"
state_dir = %q
[log]
level = "warn"
[network]
advertise = %q
[dns]
listen = %q
upstreams = ["127.0.0.1:9"]
rate_limit = 0
[dhcp]
enabled = false
[game]
listen = "127.0.0.1"
max_clients = 5000
max_per_ip = 16
[status]
listen = %q
`

func startPsobox(ctx context.Context, bin, dir string) (*psobox, error) {
	path, err := binary(bin)
	if err != nil {
		return nil, err
	}
	s := &psobox{exited: make(chan struct{})}
	if s.dnsAddr, err = freePort("udp"); err != nil {
		return nil, err
	}
	if s.statusAddr, err = freePort("tcp"); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	cfg := filepath.Join(dir, "psobox.toml")
	text := fmt.Sprintf(config, filepath.Join(dir, "state"), advertised, s.dnsAddr, s.statusAddr)
	if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
		return nil, err
	}
	s.cmd = command(ctx, path, "-config", cfg)
	s.cmd.Stdout, s.cmd.Stderr = os.Stderr, os.Stderr
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting psobox: %w", err)
	}
	go func() { s.cmd.Wait(); close(s.exited) }()
	if err := s.waitReady(ctx); err != nil {
		s.stop()
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "bench: psobox PID %d: status http://%s, DNS %s\n", s.cmd.Process.Pid, s.statusAddr, s.dnsAddr)
	return s, nil
}

// freePort asks the kernel for a port on 127.0.0.1 that is free for TCP
// and, for "udp", for UDP too (DNS serves both on one port).
func freePort(network string) (string, error) {
	for range 20 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", err
		}
		addr := l.Addr().String()
		if network != "udp" {
			l.Close()
			return addr, nil
		}
		c, err := net.ListenPacket("udp", addr)
		l.Close()
		if err == nil {
			c.Close()
			return addr, nil
		}
	}
	return "", fmt.Errorf("no port free for both TCP and UDP on 127.0.0.1")
}

func (s *psobox) statusURL() string { return "http://" + s.statusAddr + "/api/status" }

func (s *psobox) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := s.status(ctx); err == nil {
			return nil
		} else if time.Now().After(deadline) {
			return fmt.Errorf("psobox did not answer on its status page: %w", err)
		}
		select {
		case <-s.exited:
			return fmt.Errorf("psobox exited: %v", s.cmd.ProcessState)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// status reads psobox's process section (RSS, goroutines) from its status JSON.
func (s *psobox) status(ctx context.Context) (load.StatusSample, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return load.FetchStatus(ctx, http.DefaultClient, s.statusURL())
}

// stop ends psobox by its PID: SIGTERM, then SIGKILL after 10s.
func (s *psobox) stop() {
	if s.stopped {
		return
	}
	s.stopped = true
	stopProcess(s.cmd, s.exited)
}

func stopProcess(cmd *exec.Cmd, exited <-chan struct{}) {
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-exited
	}
}

// command is exec.CommandContext that ends the process with SIGTERM, not
// SIGKILL, when ctx is cancelled.
func command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	return cmd
}
