package config

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary bytes to the loader: it must never panic, every
// refusal must be one line, and whatever it accepts must print and load
// back.
func FuzzParse(f *testing.F) {
	f.Add([]byte(""))
	f.Add(defaultTOML)
	f.Add([]byte(island))
	f.Add([]byte(home))
	f.Add([]byte(island + "[[dhcp.reservations]]\nmac = \"00:d0:f1:00:00:01\"\nip = \"10.55.0.50\"\n"))
	f.Add([]byte("[dns]\nupstreams = [\"1.1.1.1:53\", 5]\nallow = [{a = 1}]"))
	f.Add([]byte("[dhcp]\nreservations = [[1]]\n[x.y.z]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, "fuzz.toml")
		if err != nil {
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("error spans lines: %q", err)
			}
			var ce *Error
			var se *SyntaxError
			if !errors.As(err, &ce) && !errors.As(err, &se) {
				t.Fatalf("error %q is %T, want *Error or *SyntaxError", err, err)
			}
			return
		}
		printed, err := c.TOML()
		if err != nil {
			t.Fatalf("TOML: %v", err)
		}
		if _, err := Parse(printed, "printed.toml"); err != nil {
			t.Fatalf("printed config does not load back: %v\n%s", err, printed)
		}
	})
}
