package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/psobox/psobox/gameserver/replay"
	"github.com/psobox/psobox/gameserver/sessionlog"
)

// replayUsage is the synopsis of the replay verb, whose file and flags
// come after it.
const replayUsage = "psobot replay FILE [-server host[:port]] [-port 9100=9101]... [-client C-N]... [-keep-credentials] [-wait 10s] [-timeout 5m] [-q]"

// replayOptions is the replay verb's command line.
type replayOptions struct {
	file    string
	host    string
	port    int            // 0: each connection to the port it was recorded on
	ports   map[int]int    // recorded port -> port to use
	clients stringList     // -client
	opts    replay.Options // Wait, KeepCredentials
	timeout time.Duration
	quiet   bool
}

type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(s string) error { *l = append(*l, s); return nil }

// portMap is -port REC=PORT, repeatable.
type portMap map[int]int

func (m portMap) String() string { return fmt.Sprint(map[int]int(m)) }

func (m portMap) Set(s string) error {
	rec, use, ok := strings.Cut(s, "=")
	r, err1 := strconv.Atoi(rec)
	u, err2 := strconv.Atoi(use)
	if !ok || err1 != nil || err2 != nil || r <= 0 || r > 65535 || u <= 0 || u > 65535 {
		return fmt.Errorf("want RECORDED=PORT, such as 9100=9101")
	}
	m[r] = u
	return nil
}

// runReplay is "psobot replay FILE ...": it replays the client side of a
// capture against a server and reports the first difference.
func runReplay(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	ro, err := parseReplayFlags(args, stderr)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(ro.file)
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	events, err := sessionlog.Read(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("replay: %s: %w", ro.file, err)
	}
	ctx, cancel := context.WithTimeout(ctx, ro.timeout)
	defer cancel()
	return ro.run(ctx, events, stdout)
}

func (ro *replayOptions) run(ctx context.Context, events []sessionlog.Event, stdout io.Writer) error {
	start := time.Now()
	o := ro.opts
	o.Addr, o.Clients = ro.addr, ro.clients
	if !ro.quiet {
		o.Progress = func(c replay.ConnResult) { fmt.Fprintln(stdout, c) }
	}
	res, err := replay.Run(ctx, events, o)
	if err != nil {
		return fmt.Errorf("replay %s: %w", ro.file, err)
	}
	matched := 0
	for _, c := range res.Conns {
		matched += c.Matched
	}
	fmt.Fprintf(stdout, "ok: no difference: %d connections, %d server commands as recorded, in %.3fs\n",
		len(res.Conns), matched, time.Since(start).Seconds())
	return nil
}

// addr is where a connection recorded on port goes.
func (ro *replayOptions) addr(port int) string {
	if p, ok := ro.ports[port]; ok {
		port = p
	} else if ro.port != 0 {
		port = ro.port
	}
	return net.JoinHostPort(ro.host, strconv.Itoa(port))
}

func parseReplayFlags(args []string, stderr io.Writer) (*replayOptions, error) {
	ro := &replayOptions{ports: map[int]int{}}
	fs := flag.NewFlagSet("psobot replay", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	server := fs.String("server", "127.0.0.1", "game server `host[:port]`: without a port each connection goes to the port it was recorded on; with one, every connection goes there")
	fs.Var(portMap(ro.ports), "port", "connections recorded on one port go to another: `RECORDED=PORT` (repeatable)")
	fs.Var(&ro.clients, "client", "replay only this `connection` (C-3), repeatable; default: all")
	fs.BoolVar(&ro.opts.KeepCredentials, "keep-credentials", false, "send the recorded credentials instead of made-up ones of the same format")
	fs.DurationVar(&ro.opts.Wait, "wait", replay.DefaultWait, "how long to wait for each server command")
	fs.DurationVar(&ro.timeout, "timeout", 5*time.Minute, "give up after this long")
	fs.BoolVar(&ro.quiet, "q", false, "print only the result")
	files, err := parseInterleaved(fs, args)
	if err == nil {
		err = ro.finish(*server, files)
	}
	if err != nil {
		return nil, verbUsageError(stderr, fs, err, replayUsage, replayAbout)
	}
	return ro, nil
}

// parseInterleaved parses flags before and after the positional arguments.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func (ro *replayOptions) finish(server string, files []string) error {
	if len(files) != 1 {
		return errors.New("replay takes one capture file")
	}
	if ro.timeout <= 0 || ro.opts.Wait <= 0 {
		return errors.New("-timeout and -wait must be positive")
	}
	ro.file = files[0]
	host, port, err := net.SplitHostPort(server)
	if err != nil {
		ro.host = strings.TrimSuffix(strings.TrimPrefix(server, "["), "]")
		if ro.host == "" || strings.ContainsAny(ro.host, "[]") {
			return fmt.Errorf("bad -server %q", server)
		}
		return nil
	}
	ro.host = host
	if ro.port, err = strconv.Atoi(port); err != nil || ro.port <= 0 || ro.port > 65535 {
		return fmt.Errorf("bad port in -server %q", server)
	}
	return nil
}

const replayAbout = `Replays the client side of a capture (the status page's Captures, or a reference server's log) against
a running server with real ciphers and stops at the first server answer that differs from the
recording. Exit status 0: no difference; 1: a difference (or no server); 2: bad usage.`

// verbUsageError prints a verb's usage, what it does and its flags to stderr
// (after err, unless the user asked for -help) and returns errUsage, so that
// both verbs with their own flag sets (load, replay) explain themselves alike.
func verbUsageError(stderr io.Writer, fs *flag.FlagSet, err error, usage, about string) error {
	if !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(stderr, "psobot: %v\n\n", err)
	}
	fmt.Fprintf(stderr, "usage: %s\n\n%s\n\nflags:\n", usage, about)
	fs.SetOutput(stderr)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	return errUsage
}
