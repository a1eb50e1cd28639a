// Command psobot is a scripted PSO client for testing and diagnosing game
// servers: it logs in as any console version (DC NTE, DC v1, DC v2, PC,
// GameCube Episode I&II and Plus, Episode III, Xbox), joins a lobby, chats,
// mails, searches, creates and joins games, runs scenario files with
// several bots, loads a server with many bots at once, and prints every
// step of the way.
//
//	psobot [flags] login|lobby|chat TEXT|mail TO TEXT|search WHO|create-game|join-game|scenario FILE
//	psobot -pso dcv2 -server 192.168.0.2 lobby
//	psobot replay capture.txt -server 192.168.0.2
//	psobot load -clients 1000 -duration 30s -status http://127.0.0.1:8080/api/status
//	psobot -pso gc chat "hello"
//	psobot -game Forest -level 20 -difficulty hard -stay 1m create-game
//
// -pso picks the console version (-version prints psobot's own version, as
// every psobox tool does). The exit status is 0 on success, 1 when the
// session fails (one line says at which step and why) and 2 for bad usage.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil && !errors.Is(err, errUsage) {
		fmt.Fprintln(os.Stderr, "psobot:", err)
	}
	os.Exit(exitCode(err))
}

// errUsage is returned after the usage text was printed.
var errUsage = errors.New("usage")

// exitCode maps run's result to the process status.
func exitCode(err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	return 1
}

// run is psobot without the process around it: tests call it directly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		if fv, ok := flagVerbs[args[0]]; ok {
			return fv.run(ctx, args[1:], stdout, stderr)
		}
	}
	opts, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if opts.printVersion {
		fmt.Fprintln(stdout, toolVersion())
		return nil
	}
	v, ok := findVerb(opts.verb)
	if !ok {
		fmt.Fprintf(stderr, "psobot: unknown verb %q\n\n", opts.verb)
		usage(stderr, opts.flags)
		return errUsage
	}
	if fv, ok := flagVerbs[v.name]; ok { // reached only with flags before it
		fmt.Fprintf(stderr, "psobot: %s takes its flags after the verb\n\nusage: %s\n", v.name, fv.usage)
		return errUsage
	}
	ctx, cancel := context.WithTimeout(ctx, opts.timeout+opts.game.stay) // -timeout bounds the steps, not -stay
	defer cancel()
	s := newSession(opts, stdout)
	if err := v.run(ctx, s); err != nil {
		return fmt.Errorf("%s %s: %w", opts.console.name, v.name, err)
	}
	return nil
}
