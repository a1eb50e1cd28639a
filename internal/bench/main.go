// Command bench is the second half of `make bench`: it starts a psobox on
// 127.0.0.1 with a throw-away configuration (game ports on 127.0.0.1, DNS
// and status page on free high ports, no DHCP, no DNS rate limit), runs
// `psobot load` against it at each scenario's number of clients, measures
// DNS queries per second of psobox and of dnsmasq side by side when
// dnsperf and dnsmasq are installed, stops every process it started by its
// PID, and prints one table of these results and of the Go benchmarks that
// `make bench` ran first. Everything goes to one file in Go benchmark
// format, so two runs compare with benchstat.
//
//	go run ./internal/bench -psobox bin/psobox -psobot bin/psobot -go-bench bench.go.out -out bench.out
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type options struct {
	psobox, psobot string
	goBench, out   string
	clients        []int
	duration       time.Duration
	dnsTime        time.Duration
	idle           int           // clients of the idle-memory scenario (0: none)
	idleHold       time.Duration // how long they stay
}

func main() {
	o, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err = run(ctx, o)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.StringVar(&o.psobox, "psobox", "bin/psobox", "the psobox binary to run")
	fs.StringVar(&o.psobot, "psobot", "bin/psobot", "the psobot binary that loads it")
	fs.StringVar(&o.goBench, "go-bench", "", "output of go test -bench to include in the table and the file")
	fs.StringVar(&o.out, "out", "bench.out", "results in Go benchmark format, for benchstat")
	clients := fs.String("clients", "10,100,1000", "load scenarios: numbers of clients")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "measured steady state of each load scenario")
	fs.DurationVar(&o.dnsTime, "dns-time", 5*time.Second, "length of each dnsperf run")
	fs.IntVar(&o.idle, "idle", 0, "also hold this many idle clients (no traffic) for -idle-hold, for the server's RSS per client")
	fs.DurationVar(&o.idleHold, "idle-hold", 150*time.Second, "how long the idle clients stay: past the runtime's periodic collection (2 minutes)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	for s := range strings.SplitSeq(*clients, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("-clients: bad number %q", s)
		}
		o.clients = append(o.clients, n)
	}
	return o, nil
}

func run(ctx context.Context, o *options) error {
	var out bytes.Buffer
	if o.goBench != "" {
		b, err := os.ReadFile(o.goBench)
		if err != nil {
			return err
		}
		out.Write(b)
	}
	dir, err := os.MkdirTemp("", "psobox-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	srv, err := startPsobox(ctx, o.psobox, dir)
	if err != nil {
		return err
	}
	defer srv.stop()
	fmt.Fprintf(&out, "goos: linux\npkg: github.com/psobox/psobox/internal/bench\n")
	loadErr := runLoads(ctx, o, srv, &out)
	dnsErr := runDNS(ctx, o, srv, dir, &out)
	srv.stop()
	idleErr := runIdle(ctx, o, dir, &out)
	if err := os.WriteFile(o.out, out.Bytes(), 0o644); err != nil {
		return err
	}
	printTable(os.Stdout, out.String())
	fmt.Printf("\nresults: %s (compare two runs: go tool -modfile=tools/go.mod benchstat old.out new.out)\n", o.out)
	return errors.Join(loadErr, dnsErr, idleErr)
}

// runLoads runs psobot load for every scenario and keeps its benchmark
// line; the server's idle memory is sampled first.
func runLoads(ctx context.Context, o *options, srv *psobox, out *bytes.Buffer) error {
	idle, err := srv.status(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "BenchmarkServerIdle \t       1\t%12d rss-bytes\t%12d goroutines\n", idle.RSSBytes, idle.Goroutines)
	for _, n := range o.clients {
		if err := runLoad(ctx, o.psobot, srv, n, out, "-duration", o.duration.String()); err != nil {
			return err
		}
	}
	return nil
}

// runIdle holds idle clients on a fresh psobox, so that the memory they
// cost is not hidden by what the earlier scenarios left in its heap.
func runIdle(ctx context.Context, o *options, dir string, out *bytes.Buffer) error {
	if o.idle == 0 {
		return nil
	}
	srv, err := startPsobox(ctx, o.psobox, filepath.Join(dir, "idle"))
	if err != nil {
		return err
	}
	defer srv.stop()
	return runLoad(ctx, o.psobot, srv, o.idle, out, "-duration", o.idleHold.String(), "-rate", "0", "-chat-rate", "0",
		"-games", "0", "-name", "idle/clients="+strconv.Itoa(o.idle))
}

// runLoad runs psobot load with n clients arriving at 100 per second and
// keeps its benchmark line.
func runLoad(ctx context.Context, psobot string, srv *psobox, n int, out *bytes.Buffer, extra ...string) error {
	ramp := time.Duration(n) * 10 * time.Millisecond
	args := append([]string{"load", "-q", "-clients", strconv.Itoa(n), "-ramp", ramp.String(),
		"-status", srv.statusURL(), "-pid", strconv.Itoa(srv.cmd.Process.Pid)}, extra...)
	fmt.Fprintf(os.Stderr, "bench: %s %s\n", psobot, strings.Join(args, " "))
	res, err := command(ctx, psobot, args...).Output()
	os.Stderr.Write(res)
	if err != nil {
		return fmt.Errorf("psobot load -clients %d: %w", n, err)
	}
	for line := range strings.Lines(string(res)) {
		if strings.HasPrefix(line, "BenchmarkLoad/") {
			out.WriteString(line)
		}
	}
	return nil
}

// binary finds a program: beside the given path or on $PATH.
func binary(path string) (string, error) {
	if strings.Contains(path, "/") {
		return filepath.Abs(path)
	}
	return path, nil
}
