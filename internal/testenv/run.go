package testenv

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"testing"
	"time"
)

// Run runs a program in dir ("" for the test's own directory) and returns
// its combined output and exit code, for tests that check what a tool says
// and whether it fails. A program that cannot start fails the test; one
// still running after ten minutes is killed.
func Run(t testing.TB, dir, name string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("%s %q: %v", name, args, err)
	}
	return out.String(), cmd.ProcessState.ExitCode()
}
