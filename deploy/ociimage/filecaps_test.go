package ociimage

import (
	"bytes"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/psobox/psobox/internal/testenv"
)

const netCaps = 1<<CapNetBindService | 1<<CapNetAdmin | 1<<CapNetRaw

func TestFileCapsEncoding(t *testing.T) {
	for _, tc := range []struct {
		caps FileCaps
		hex  string
	}{
		// The bytes setcap(8) writes for "cap_net_admin,cap_net_bind_service,cap_net_raw=p" and "cap_net_bind_service=ep".
		{FileCaps{Permitted: netCaps}, "0000000200340000000000000000000000000000"},
		{FileCaps{Permitted: 1 << CapNetBindService, Effective: true}, "0100000200040000000000000000000000000000"},
		// Capabilities above 31 live in the second word (40 is CAP_CHECKPOINT_RESTORE).
		{FileCaps{Permitted: 1 << 40, Inheritable: 1<<40 | 1}, "00000002000000000100000000010000" + "00010000"},
	} {
		got := hex.EncodeToString(tc.caps.Encode())
		if got != tc.hex {
			t.Errorf("%+v encodes as %s, want %s", tc.caps, got, tc.hex)
		}
		back, err := DecodeFileCaps(tc.caps.Encode())
		if err != nil || back != tc.caps {
			t.Errorf("decode(encode(%+v)) = %+v, %v", tc.caps, back, err)
		}
	}
}

func TestDecodeFileCapsRefuses(t *testing.T) {
	for _, tc := range []struct{ name, hex, want string }{
		{"empty", "", "shorter than 4 bytes"},
		{"revision 1", "0000000100040000" + "00000000", "revision 0x1000000"},
		{"revision 3", "00000003000400000000000000000000000000000000000000", "revision 0x3000000"},
		{"short v2", "00000002000400000000000000000000", "16 bytes, want 20"},
		{"unknown flag", "0200000200040000000000000000000000000000", "unknown flags 0x2"},
	} {
		b, _ := hex.DecodeString(tc.hex)
		if _, err := DecodeFileCaps(b); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one saying %q", tc.name, err, tc.want)
		}
	}
}

// The kernel and libcap are the authority on the format: setcap's bytes
// decode to what it was told, and getcap reads ours back.
func TestFileCapsMatchLibcap(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: writing security.capability needs CAP_SETFCAP (CI runs as root)")
	}
	setcap, getcap := testenv.RequireTool(t, "setcap"), testenv.RequireTool(t, "getcap")
	file := filepath.Join(t.TempDir(), "bin")
	if err := os.WriteFile(file, nil, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(setcap, "cap_net_admin,cap_net_bind_service,cap_net_raw=p", file).CombinedOutput(); err != nil {
		t.Fatalf("setcap: %v: %s", err, out)
	}
	got, err := DecodeFileCaps(getxattr(t, file))
	if diff := cmp.Diff(FileCaps{Permitted: netCaps}, got); diff != "" || err != nil {
		t.Errorf("setcap's attribute decodes as (-want +got) %v:\n%s", err, diff)
	}
	ours := FileCaps{Permitted: 1<<CapNetBindService | 1<<CapNetRaw, Effective: true}
	if err := unix.Setxattr(file, CapsXattr, ours.Encode(), 0); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(getcap, file).CombinedOutput()
	if want := file + " cap_net_bind_service,cap_net_raw=ep\n"; err != nil || string(out) != want {
		t.Errorf("getcap = %q, %v; want %q", out, err, want)
	}
}

func getxattr(t *testing.T, file string) []byte {
	t.Helper()
	buf := make([]byte, 64)
	n, err := unix.Getxattr(file, CapsXattr, buf)
	if err != nil {
		t.Fatalf("getxattr %s: %v", file, err)
	}
	return buf[:n]
}

// Whatever decodes encodes back to the same bytes: the decoder accepts
// nothing it cannot represent.
func FuzzDecodeFileCaps(f *testing.F) {
	for _, c := range []FileCaps{{}, {Permitted: netCaps}, {Permitted: 1 << 40, Inheritable: 3, Effective: true}} {
		f.Add(c.Encode())
	}
	f.Add([]byte{0, 0, 0, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := DecodeFileCaps(b)
		if err != nil {
			return
		}
		if again := c.Encode(); !bytes.Equal(again, b) {
			t.Errorf("decode(%x) = %+v encodes as %x", b, c, again)
		}
	})
}
