package main

import (
	"bytes"
	"testing"
)

func TestRun(t *testing.T) {
	for _, tc := range []struct {
		args               []string
		code               int
		stdout, stderrHead string
	}{
		{[]string{"-version"}, 0, "psobot dev (commit unknown)\n", ""},
		{nil, 2, "", "Usage: psobot"},
		{[]string{"login"}, 2, "", "psobot: unknown verb \"login\"\nUsage: psobot"},
	} {
		var out, errb bytes.Buffer
		code := run(tc.args, &out, &errb)
		if code != tc.code || out.String() != tc.stdout || !bytes.HasPrefix(errb.Bytes(), []byte(tc.stderrHead)) {
			t.Errorf("run(%q) = %d, stdout %q, stderr %q; want %d, %q, stderr starting %q",
				tc.args, code, out.String(), errb.String(), tc.code, tc.stdout, tc.stderrHead)
		}
	}
}
