// Package e2e holds psobox's end-to-end tests: the real psobox binary,
// built by the test, runs in a "pi" network namespace in island mode on
// one end of a veth pair, and a "console" namespace on the other end does
// what a Dreamcast or GameCube does: it gets a lease with busybox udhcpc,
// resolves Sega's PSO host names with dig, and connects to the answer
// (the sentinel) through its default route, the pi.
//
// The tests need root (network namespaces) and skip with a message
// otherwise; CI runs them as root. The package has no code of its own.
package e2e
