package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/psobox/psobox/gameserver/load"
)

// loadUsage is the synopsis of the load verb, whose flags come after it.
const loadUsage = "psobot load [-server host] [-clients 100] [-duration 10s] [-ramp 5s] [-rate 2] [-chat-rate 0.2] [-games 0.5] [-slow 0] [-mix gc,dcv2,pc,xb,ep3] [-source auto|none|PREFIX] [-status URL] [-pid PID] [-json] [-name NAME]"

// defaultLoadSources are the addresses bots dial a loopback server from:
// one per bot, like consoles on a LAN.
var defaultLoadSources = netip.MustParsePrefix("127.77.0.0/16")

type loadOptions struct {
	opts  load.Options
	json  bool
	name  string
	quiet bool
}

// runLoad is "psobot load ...": many bots at once against a server, with
// a report of logins, traffic, latency and the server's resources.
func runLoad(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	lo, err := parseLoadFlags(args, stderr)
	if err != nil {
		return err
	}
	if !lo.quiet {
		lo.opts.Logger = slog.New(slog.NewTextHandler(stderr, nil))
	}
	rep, err := load.Run(ctx, lo.opts)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	if lo.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	if err := rep.WriteTable(stdout); err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	return rep.WriteBench(stdout, lo.name)
}

func parseLoadFlags(args []string, stderr io.Writer) (*loadOptions, error) {
	lo := &loadOptions{}
	o := &lo.opts
	fs := flag.NewFlagSet("psobot load", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.Host, "server", "127.0.0.1", "game server `host`; each version connects to its usual port")
	fs.IntVar(&o.Clients, "clients", 100, "bots")
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "how long the steady state is measured, once every bot is seated")
	fs.DurationVar(&o.Ramp, "ramp", 5*time.Second, "bots start evenly over this")
	fs.Float64Var(&o.RelayRate, "rate", 2, "relayed commands (60, and 62 in games) each bot sends per second")
	fs.IntVar(&o.RelayBytes, "relay-bytes", 20, "size of each relayed command's subcommand, 20-1020 (a multiple of 4)")
	fs.Float64Var(&o.ChatRate, "chat-rate", 0.2, "chat lines each bot says per second")
	fs.Float64Var(&o.GameShare, "games", 0.5, "share of the groups of four bots that play a game together, 0-1")
	mix := fs.String("mix", "gc,dcv2,pc,xb,ep3", "console versions (-pso names), given to groups of four bots in turn")
	source := fs.String("source", "auto", "local addresses, one per bot: an IPv4 `prefix` such as 127.77.0.0/16; auto: that one for a loopback server, none otherwise; none: the system's choice")
	fs.IntVar(&o.Slow, "slow", 0, "this many bots (the last) stop reading during the measurement: the server should drop them, not slow their lobby")
	fs.StringVar(&o.StatusURL, "status", "", "the server's status JSON (http://host:8080/api/status) for its RSS and goroutines")
	fs.IntVar(&o.ServerPID, "pid", 0, "the server's process ID, for its CPU time (same machine only)")
	fs.DurationVar(&o.Settle, "settle", 2*time.Second, "after the bots left, wait this long before the last status sample")
	fs.DurationVar(&o.Timeout, "timeout", 30*time.Second, "bound on each login, lobby or game join")
	fs.BoolVar(&lo.json, "json", false, "print the report as JSON instead of the table and benchmark line")
	fs.StringVar(&lo.name, "name", "", "benchmark line name after BenchmarkLoad/ (default clients=N)")
	fs.BoolVar(&lo.quiet, "q", false, "no progress log on standard error")
	files, err := parseInterleaved(fs, args)
	if err == nil {
		err = lo.finish(files, *mix, *source)
	}
	if err != nil {
		return nil, verbUsageError(stderr, fs, err, loadUsage, loadAbout)
	}
	return lo, nil
}

func (lo *loadOptions) finish(args []string, mix, source string) error {
	o := &lo.opts
	if len(args) != 0 {
		return fmt.Errorf("load takes no arguments, got %q", args)
	}
	if o.Host == "" || strings.ContainsAny(o.Host, "[]") {
		return fmt.Errorf("bad -server %q: a host, without port", o.Host)
	}
	if _, _, err := net.SplitHostPort(o.Host); err == nil {
		return fmt.Errorf("-server %q: give the host only; each version uses its own port", o.Host)
	}
	if o.Clients <= 0 || o.Duration <= 0 {
		return errors.New("-clients and -duration must be positive")
	}
	var err error
	if o.Consoles, err = loadConsoles(mix); err != nil {
		return err
	}
	if o.Sources, err = loadSources(source, o.Host); err != nil {
		return err
	}
	if lo.name == "" {
		lo.name = "clients=" + strconv.Itoa(o.Clients)
	}
	return nil
}

// loadConsoles maps -mix to console versions.
func loadConsoles(mix string) ([]load.Console, error) {
	var cs []load.Console
	for name := range strings.SplitSeq(mix, ",") {
		cv, ok := findConsole(strings.TrimSpace(name))
		if !ok {
			return nil, fmt.Errorf("-mix: unknown console version %q", name)
		}
		cs = append(cs, load.Console{Name: cv.name, Version: cv.version, SubVersion: cv.subVersion, Port: cv.port})
	}
	return cs, nil
}

// loadSources maps -source to the prefix bots dial from.
func loadSources(source, host string) (netip.Prefix, error) {
	switch source {
	case "none":
		return netip.Prefix{}, nil
	case "auto":
		if ip, err := netip.ParseAddr(host); (err == nil && ip.IsLoopback()) || host == "localhost" {
			return defaultLoadSources, nil
		}
		return netip.Prefix{}, nil
	}
	p, err := netip.ParsePrefix(source)
	if err != nil || !p.Addr().Is4() {
		return netip.Prefix{}, fmt.Errorf("-source %q: want auto, none or an IPv4 prefix", source)
	}
	return p, nil
}

const loadAbout = `Runs many bots of mixed console versions against a server: they log in, join lobbies, play
games of four, chat and relay game commands at the given rates, and the report gives logins/s,
messages received/s, relay and chat latency (p50, p99, p99.9), errors by kind, and the server's
RSS, goroutines (-status) and CPU (-pid). The last line is in Go benchmark format for benchstat.`
