// Command psobot is a scripted Phantasy Star Online client for testing
// psobox: it will log in as any console version, join lobbies, chat, play
// and replay captured sessions.
//
// It has no verbs yet; for now it only prints its usage and version.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/psobox/psobox/internal/version"
)

const usage = `Usage: psobot [-version] <verb> [arguments]

psobot: no verbs yet.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run returns the exit status: 0 for -version, 2 for anything else.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 1 && (args[0] == "-version" || args[0] == "--version") {
		fmt.Fprintf(stdout, "psobot %s\n", version.String())
		return 0
	}
	if len(args) > 0 && args[0] != "-h" && args[0] != "-help" && args[0] != "--help" {
		fmt.Fprintf(stderr, "psobot: unknown verb %q\n", args[0])
	}
	fmt.Fprint(stderr, usage)
	return 2
}
