// Command psobox is the Phantasy Star Online LAN-party appliance: DHCP and
// DNS that point Dreamcasts and GameCubes at the PSO game server built into
// the same process, plus a status page.
//
// Usage:
//
//	psobox [-config psobox.toml] [-state-dir DIR] [-print-config] [-healthcheck] [-version]
//	psobox [-config psobox.toml] [-state-dir DIR] accounts list|add|remove|ban|unban [flags]
//
// Without -config it runs on the built-in defaults (docs/config.md). It
// stops cleanly on SIGINT or SIGTERM and exits 0; on any failure it prints
// one line "psobox: <why>" to standard error and exits 1. SIGHUP re-reads
// the config file: what can change live does, the rest is logged as
// needing a restart. Under systemd it speaks sd_notify (systemd/).
//
// The accounts subcommand manages the licences of the game server's
// accounts database in the state directory the same flags select (for
// game.accounts = "registered"); psobox itself must be stopped, since the
// running server holds the file.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// exitCode prints err as one line and picks the exit status: 0 for a clean
// stop, 2 for a bad command line, 1 for everything else.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	fmt.Fprintf(stderr, "psobox: %s\n", strings.ReplaceAll(err.Error(), "\n", "; "))
	var ue usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}
