package wire

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestHeaderRoundTrip(t *testing.T) {
	tests := []struct {
		format HeaderFormat
		h      Header
		wire   []byte
	}{
		{HeaderDC, Header{Command: 0xDB, Flag: 0, Size: 0xE0}, []byte{0xDB, 0x00, 0xE0, 0x00}},
		{HeaderDC, Header{Command: 0x9A, Flag: 2, Size: 4}, []byte{0x9A, 0x02, 0x04, 0x00}},
		{HeaderPC, Header{Command: 0x19, Flag: 0, Size: 0xB0}, []byte{0xB0, 0x00, 0x19, 0x00}},
		{HeaderBB, Header{Command: 0x01E8, Flag: 0x12345678, Size: 0x10}, []byte{0x10, 0x00, 0xE8, 0x01, 0x78, 0x56, 0x34, 0x12}},
	}
	for _, tt := range tests {
		got, err := tt.format.Decode(tt.wire)
		if err != nil {
			t.Fatalf("%s decode: %v", tt.format, err)
		}
		if diff := cmp.Diff(tt.h, got); diff != "" {
			t.Errorf("%s decode (-want +got):\n%s", tt.format, diff)
		}
		enc, err := tt.format.Append(nil, tt.h)
		if err != nil {
			t.Fatalf("%s append: %v", tt.format, err)
		}
		if !bytes.Equal(enc, tt.wire) {
			t.Errorf("%s append = % X, want % X", tt.format, enc, tt.wire)
		}
	}
}

func TestHeaderRefusesWideFieldsOnNarrowFormats(t *testing.T) {
	for _, f := range []HeaderFormat{HeaderDC, HeaderPC} {
		if _, err := f.Append(nil, Header{Command: 0x1E8, Size: 8}); err == nil {
			t.Errorf("%s: 16-bit command accepted", f)
		}
		if _, err := f.Append(nil, Header{Command: 0x60, Flag: 0x100, Size: 8}); err == nil {
			t.Errorf("%s: 9-bit flag accepted", f)
		}
	}
	if _, err := HeaderBB.Decode([]byte{1, 2, 3}); err != ErrShortHeader {
		t.Errorf("short BB header: err = %v, want ErrShortHeader", err)
	}
}

func TestVersionNamesRoundTrip(t *testing.T) {
	for _, v := range AllVersions() {
		got, err := ParseVersion(v.String())
		if err != nil || got != v {
			t.Errorf("ParseVersion(%q) = %v, %v", v.String(), got, err)
		}
	}
	if _, err := ParseVersion("GC_V4"); err == nil {
		t.Error("unknown version name accepted")
	}
}
