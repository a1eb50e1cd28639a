package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"time"
)

// pso is the name both servers answer locally: psobox from its table of
// PSO names, dnsmasq from its --address option.
const pso = "gc01.st-pso.games.sega.net"

// runDNS measures queries per second of psobox's DNS server and, on the
// same machine with the same query, of dnsmasq. Without dnsperf it says
// so and measures nothing.
func runDNS(ctx context.Context, o *options, srv *psobox, dir string, out *bytes.Buffer) error {
	if _, err := exec.LookPath("dnsperf"); err != nil {
		fmt.Fprintln(os.Stderr, "bench: dnsperf is not installed (Debian package dnsperf): no DNS figures")
		return nil
	}
	queries := filepath.Join(dir, "queries.txt")
	if err := os.WriteFile(queries, []byte(pso+" A\n"), 0o644); err != nil {
		return err
	}
	if err := dnsperf(ctx, "psobox", srv.dnsAddr, queries, o.dnsTime, out); err != nil {
		return err
	}
	addr, stop, err := startDnsmasq(ctx, advertised)
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: no dnsmasq to compare with: %v\n", err)
		return nil
	}
	defer stop()
	return dnsperf(ctx, "dnsmasq", addr, queries, o.dnsTime, out)
}

var (
	qpsLine     = regexp.MustCompile(`Queries per second:\s+([0-9.]+)`)
	latencyLine = regexp.MustCompile(`Average Latency \(s\):\s+([0-9.]+)`)
	lostLine    = regexp.MustCompile(`Queries lost:\s+([0-9]+)`)
)

// dnsperf runs dnsperf against addr and writes a benchmark line.
func dnsperf(ctx context.Context, name, addr, queries string, d time.Duration, out *bytes.Buffer) error {
	host, port, _ := net.SplitHostPort(addr)
	args := []string{"-s", host, "-p", port, "-d", queries, "-l", strconv.Itoa(int(d.Seconds())), "-c", "4", "-q", "200"}
	fmt.Fprintf(os.Stderr, "bench: dnsperf %v (%s)\n", args, name)
	res, err := command(ctx, "dnsperf", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("dnsperf against %s: %w\n%s", name, err, res)
	}
	qps, lat, lost := match(qpsLine, res), match(latencyLine, res), match(lostLine, res)
	if qps <= 0 {
		return fmt.Errorf("dnsperf against %s: no queries per second in its output:\n%s", name, res)
	}
	fmt.Fprintf(out, "BenchmarkDNS/server=%s \t       1\t%12.1f ns/op\t%12.0f qps\t%12.0f latency-ns\t%12.0f lost\n",
		name, 1e9/qps, qps, lat*1e9, lost)
	return nil
}

func match(re *regexp.Regexp, b []byte) float64 {
	m := re.FindSubmatch(b)
	if m == nil {
		return 0
	}
	v, _ := strconv.ParseFloat(string(m[1]), 64)
	return v
}

// startDnsmasq runs dnsmasq on a free loopback port with only a local
// answer for the PSO name, and returns its address and how to stop it.
func startDnsmasq(ctx context.Context, answer string) (string, func(), error) {
	path, err := exec.LookPath("dnsmasq")
	if err != nil {
		return "", nil, err
	}
	addr, err := freePort("udp")
	if err != nil {
		return "", nil, err
	}
	_, port, _ := net.SplitHostPort(addr)
	cmd := command(ctx, path, "--no-daemon", "--port="+port, "--listen-address=127.0.0.1", "--bind-interfaces",
		"--address=/"+pso+"/"+answer, "--no-resolv", "--no-hosts", "--conf-file=/dev/null", "--pid-file")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	time.Sleep(300 * time.Millisecond) // it binds at once; give it a moment
	select {
	case <-exited:
		return "", nil, fmt.Errorf("dnsmasq exited: %v", cmd.ProcessState)
	default:
	}
	fmt.Fprintf(os.Stderr, "bench: dnsmasq PID %d on %s\n", cmd.Process.Pid, addr)
	return addr, func() { stopProcess(cmd, exited) }, nil
}
