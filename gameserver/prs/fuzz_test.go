package prs

import (
	"bytes"
	"errors"
	"testing"
)

// fuzzLimit keeps every fuzz input's output small; the point is that the
// limit holds, whatever the input.
const fuzzLimit = 1 << 16

func FuzzDecompress(f *testing.F) {
	for _, in := range testInputs() {
		f.Add(Compress(in[:min(len(in), 2000)]))
	}
	f.Add([]byte{0b1010_0011, 'a', 'b', 0xFE, 0, 0})
	f.Add([]byte{0b1_0101, 'q', 0xF8, 0xFF, 99, 0, 0})
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := Decompress(in, fuzzLimit)
		size, sizeErr := DecompressedSize(in, fuzzLimit)
		if (err == nil) != (sizeErr == nil) {
			t.Fatalf("Decompress err %v but DecompressedSize err %v", err, sizeErr)
		}
		if err != nil {
			if !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrBadOffset) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if len(out) > fuzzLimit || size != len(out) {
			t.Fatalf("output %d bytes, DecompressedSize %d, limit %d", len(out), size, fuzzLimit)
		}
	})
}

func FuzzRoundTrip(f *testing.F) {
	for _, in := range testInputs() {
		f.Add(in[:min(len(in), 2000)])
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		c := Compress(in)
		out, err := Decompress(c, len(in))
		if err != nil {
			t.Fatalf("Decompress: %v", err)
		}
		if !bytes.Equal(out, in) {
			t.Fatalf("round trip differs")
		}
		if limit := len(in)*9/8 + 4; len(c) > limit {
			t.Fatalf("compressed %d bytes to %d, more than %d", len(in), len(c), limit)
		}
	})
}
