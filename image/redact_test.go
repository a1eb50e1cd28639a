package image

import (
	"strings"
	"testing"
)

func TestRedactorHidesThePassword(t *testing.T) {
	var out strings.Builder
	r := newRedactor(&out, "s3cretPW")
	// The URL monogok prints, split mid-password as a pipe read may split it.
	for _, chunk := range []string{"web interface: http://gokrazy:s3c", "retPW@psobox/\nnext line\nlast s3cretPW"} {
		if _, err := r.Write([]byte(chunk)); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	want := "web interface: http://gokrazy:<password>@psobox/\nnext line\nlast <password>"
	if out.String() != want {
		t.Errorf("redacted output = %q, want %q", out.String(), want)
	}
}
