package prs

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"
)

// testInputs are shapes a compressor gets wrong in different ways: empty,
// one byte, runs (overlapping copies), text with near and far repeats,
// incompressible noise, and long inputs that exceed the copy window.
func testInputs() map[string][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	noise := make([]byte, 5000)
	for i := range noise {
		noise[i] = byte(rng.Uint32())
	}
	words := []string{"Lost ", "HEAT ", "SWORD ", "Ragol ", "forest ", "\x00\x00\x00\x00", "cave "}
	var text []byte
	for len(text) < 40000 {
		text = append(text, words[rng.IntN(len(words))]...)
	}
	lowEntropy := make([]byte, 30000)
	for i := range lowEntropy {
		lowEntropy[i] = byte(rng.IntN(3))
	}
	return map[string][]byte{
		"empty":       {},
		"one":         {0x42},
		"two":         {1, 1},
		"zeros":       make([]byte, 70000),
		"abab":        bytes.Repeat([]byte("ab"), 3000),
		"text":        text,
		"noise":       noise,
		"low-entropy": lowEntropy,
		"far-repeat":  append(append(append([]byte{}, noise[:3000]...), noise[:4000]...), noise...),
	}
}

func TestRoundTrip(t *testing.T) {
	for name, in := range testInputs() {
		t.Run(name, func(t *testing.T) {
			c := Compress(in)
			out, err := Decompress(c, len(in))
			if err != nil {
				t.Fatalf("Decompress: %v", err)
			}
			if !bytes.Equal(out, in) {
				t.Fatalf("round trip differs: got %d bytes, want %d", len(out), len(in))
			}
			size, err := DecompressedSize(c, len(in))
			if err != nil || size != len(in) {
				t.Fatalf("DecompressedSize = %d, %v; want %d", size, err, len(in))
			}
			t.Logf("%d -> %d bytes", len(in), len(c))
		})
	}
}

// TestCompressesWell guards against a compressor that degrades to literals:
// those inputs have an obvious, much smaller encoding.
func TestCompressesWell(t *testing.T) {
	in := testInputs()
	for name, maxRatio := range map[string]float64{"zeros": 0.02, "abab": 0.03, "text": 0.35, "far-repeat": 0.8} {
		got := float64(len(Compress(in[name]))) / float64(len(in[name]))
		if got > maxRatio {
			t.Errorf("%s: ratio %.3f, want <= %.3f", name, got, maxRatio)
		}
	}
	if n, limit := len(Compress(in["noise"])), len(in["noise"])*9/8+8; n > limit {
		t.Errorf("noise grew to %d bytes, want <= %d", n, limit)
	}
}

// Hand-built streams pin the bit layout of each command.
func TestDecompressCommands(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want []byte
	}{
		// ctrl bits (low first) 1,1 | 0,0,0,1 | 0,1: 'a', 'b', short copy of
		// 2+1 bytes from 2 back, stop.
		{"short copy", []byte{0b1010_0011, 'a', 'b', 0xFE, 0, 0}, []byte("ababa")},
		// ctrl 1 | 0,1 | 0,1: 'z', long copy (distance field 0x1FFF = 1 back,
		// length field 7 = 9 bytes), stop.
		{"long copy", []byte{0b1_0101, 'z', 0xFF, 0xFF, 0, 0}, bytes.Repeat([]byte("z"), 10)},
		// long copy with length 0 field: a third byte holds length-1.
		{"extended copy", []byte{0b1_0101, 'q', 0xF8, 0xFF, 99, 0, 0}, bytes.Repeat([]byte("q"), 101)},
		{"no stop", []byte{0b11, 'h', 'i'}, []byte("hi")},
		{"bytes after stop", []byte{0b0000_0101, 'x', 0, 0, 0x55}, []byte("x")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Decompress(tc.in, 1000)
			if err != nil {
				t.Fatalf("Decompress: %v", err)
			}
			if !bytes.Equal(got, tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDecompressErrors(t *testing.T) {
	good := Compress(bytes.Repeat([]byte("psobox "), 100))
	tests := []struct {
		name    string
		in      []byte
		maxSize int
		want    error
	}{
		{"copy before start", []byte{0b0000_0000, 0xFF}, 100, ErrBadOffset},
		{"long copy before start", []byte{0b0000_0010, 0xFA, 0xFF}, 100, ErrBadOffset},
		{"literal cut", []byte{0b1}, 100, ErrTruncated},
		{"long copy cut", []byte{0b101, 'a', 0xFF}, 100, ErrTruncated},
		{"extended length cut", []byte{0b101, 'a', 0xF8, 0xFF}, 100, ErrTruncated},
		{"truncated stream", good[:len(good)/2+1], 700, nil},
		{"over limit", good, 699, ErrTooLarge},
		{"literal over limit", []byte{0b11, 'a', 'b'}, 1, ErrTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decompress(tc.in, tc.maxSize)
			_, sizeErr := DecompressedSize(tc.in, tc.maxSize)
			if tc.want == nil {
				// A cut at an arbitrary byte must fail somehow or yield a
				// shorter output; it must never yield the full input.
				out, err := Decompress(tc.in, tc.maxSize)
				if err == nil && len(out) >= 700 {
					t.Fatalf("truncated stream decoded to the full %d bytes", len(out))
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Errorf("Decompress error = %v, want %v", err, tc.want)
			}
			if !errors.Is(sizeErr, tc.want) {
				t.Errorf("DecompressedSize error = %v, want %v", sizeErr, tc.want)
			}
		})
	}
}
