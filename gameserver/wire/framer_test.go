package wire

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// xorStream is a stateful test cipher: every byte is XORed with the next
// byte of a counter-based keystream, so a reader and a writer only agree if
// both consume exactly the same amount of keystream. It insists on whole
// blocks, as the real ciphers do.
type xorStream struct {
	pos   uint32
	block int
}

func (x *xorStream) Encrypt(b []byte) { x.apply(b) }
func (x *xorStream) Decrypt(b []byte) { x.apply(b) }
func (x *xorStream) BlockSize() int   { return x.block }

func (x *xorStream) apply(b []byte) {
	if len(b)%x.block != 0 {
		panic("xorStream: partial block")
	}
	for i := range b {
		b[i] ^= byte(x.pos*131 + 0x5A)
		x.pos++
	}
}

func blockFor(v Version) int {
	if v == BBV4 {
		return 8
	}
	return 4
}

// pipe returns a writer framer and a reader framer of version v sharing a
// buffer, both encrypted with matching test ciphers when encrypted is set.
func pipe(v Version, encrypted bool) (w, r *Framer, buf *bytes.Buffer) {
	buf = &bytes.Buffer{}
	w = NewFramer(nil, buf, v)
	r = NewFramer(buf, nil, v)
	if encrypted {
		w.SetCiphers(nil, &xorStream{block: blockFor(v)})
		r.SetCiphers(&xorStream{block: blockFor(v)}, nil)
	}
	return w, r, buf
}

func TestFramerRoundTrip(t *testing.T) {
	payloads := [][]byte{nil, {1}, {1, 2, 3}, {1, 2, 3, 4}, bytes.Repeat([]byte{7}, 0x401)}
	for _, v := range []Version{DCNTE, DCV1, DCV2, PCV2, GCV3, GCEp3, XBV3, BBV4} {
		for _, enc := range []bool{false, true} {
			w, r, _ := pipe(v, enc)
			for i, p := range payloads {
				if err := w.WriteCommand(0x60, uint32(i), p); err != nil {
					t.Fatalf("%s enc=%v write: %v", v, enc, err)
				}
			}
			for i, p := range payloads {
				cmd, err := r.ReadCommand()
				if err != nil {
					t.Fatalf("%s enc=%v read %d: %v", v, enc, i, err)
				}
				want := append([]byte{}, p...)
				if enc {
					want = padZero(want, len(want)+padFor(v, r.version.HeaderFormat().Len()+len(p)))
				}
				if cmd.Header.Command != 0x60 || cmd.Header.Flag != uint32(i) || !bytes.Equal(cmd.Payload, want) {
					t.Errorf("%s enc=%v cmd %d: got %+v % X, want % X", v, enc, i, cmd.Header, cmd.Payload, want)
				}
			}
			if _, err := r.ReadCommand(); err != io.EOF {
				t.Errorf("%s enc=%v: after last command err = %v, want io.EOF", v, enc, err)
			}
		}
	}
}

// padFor is how many zero bytes an encrypted command of n bytes gains in its
// size field.
func padFor(v Version, n int) int {
	if v.IsV1() {
		return 0
	}
	return roundUp(n, 4) - n
}

func TestFramerWireSizes(t *testing.T) {
	tests := []struct {
		v         Version
		enc       bool
		payload   int
		wantField uint16
		wantWire  int
	}{
		{GCV3, false, 1, 5, 5},
		{GCV3, true, 1, 8, 8},
		{DCV1, true, 1, 5, 5}, // v1 clients are sent unpadded commands
		{DCNTE, true, 3, 7, 7},
		{PCV2, true, 6, 12, 12},
		{BBV4, false, 1, 9, 9},
		{BBV4, true, 1, 12, 16}, // size field rounds to 4, the wire to 8
		{BBV4, true, 8, 16, 16},
	}
	for _, tt := range tests {
		w, _, buf := pipe(tt.v, tt.enc)
		w.out = nil // look at the plaintext: padding is decided by the cipher being set
		if tt.enc {
			w.out = nopCipher{blockFor(tt.v)}
		}
		if err := w.WriteCommand(0x06, 0, make([]byte, tt.payload)); err != nil {
			t.Fatal(err)
		}
		h, _ := tt.v.HeaderFormat().Decode(buf.Bytes())
		if h.Size != tt.wantField || buf.Len() != tt.wantWire {
			t.Errorf("%s enc=%v payload %d: size field %d wire %d, want %d/%d", tt.v, tt.enc, tt.payload, h.Size, buf.Len(), tt.wantField, tt.wantWire)
		}
	}
}

type nopCipher struct{ block int }

func (nopCipher) Encrypt([]byte)   {}
func (nopCipher) Decrypt([]byte)   {}
func (c nopCipher) BlockSize() int { return c.block }

// A DC client may send a command whose size is not a multiple of 4 while its
// cipher consumes whole words; the reader must stay in step.
func TestFramerOddSizedEncryptedDCCommand(t *testing.T) {
	w, r, _ := pipe(DCV1, true) // the DCV1 writer sends unpadded, like such a client
	if err := w.Queue(0x90, 0, []byte("0123456789")); err != nil {
		t.Fatal(err)
	}
	if err := w.Queue(0x93, 1, []byte("abcd")); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []Command{
		{Header{Command: 0x90, Size: 14}, []byte("0123456789")},
		{Header{Command: 0x93, Flag: 1, Size: 8}, []byte("abcd")},
	} {
		got, err := r.ReadCommand()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	}
}

func TestFramerRejectsBadSizes(t *testing.T) {
	tests := []struct {
		name string
		v    Version
		wire []byte
		want error
	}{
		{"size below header", GCV3, []byte{0x60, 0, 3, 0}, ErrTooSmall},
		{"BB size below header", BBV4, []byte{7, 0, 0x60, 0, 0, 0, 0, 0}, ErrTooSmall},
		{"too large", GCV3, []byte{0x60, 0, 0x04, 0x7C}, ErrTooLarge},
		{"PC too large", PCV2, []byte{0xFF, 0xFF, 0x60, 0}, ErrTooLarge},
		{"truncated body", GCV3, []byte{0x60, 0, 8, 0, 1, 2}, io.ErrUnexpectedEOF},
		{"truncated header", GCV3, []byte{0x60, 0}, io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		r := NewFramer(bytes.NewReader(tt.wire), nil, tt.v)
		_, err := r.ReadCommand()
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestFramerRefusesOversizedWrite(t *testing.T) {
	w, _, buf := pipe(GCV3, true)
	if err := w.WriteCommand(0x60, 0, make([]byte, MaxCommandSize)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if err := w.WriteCommand(0x1D, 0, nil); err != nil || buf.Len() != 4 {
		t.Fatalf("after a refused write: err %v, %d bytes queued", err, buf.Len())
	}
}

type countingWriter struct {
	writes int
	bytes.Buffer
}

func (c *countingWriter) Write(b []byte) (int, error) {
	c.writes++
	return c.Buffer.Write(b)
}

func TestFramerBatchesQueuedCommands(t *testing.T) {
	cw := &countingWriter{}
	w := NewFramer(nil, cw, PCV2)
	w.SetCiphers(nil, &xorStream{block: 4})
	for i := 0; i < 3; i++ {
		if err := w.Queue(0x60, 0, []byte{1, 2, 3}); err != nil {
			t.Fatal(err)
		}
	}
	if cw.writes != 0 || w.Buffered() != 24 {
		t.Fatalf("before Flush: %d writes, %d buffered", cw.writes, w.Buffered())
	}
	if err := w.Flush(); err != nil || cw.writes != 1 || cw.Len() != 24 {
		t.Fatalf("Flush: err %v, %d writes, %d bytes", err, cw.writes, cw.Len())
	}
}

func TestFramerVersionSwitch(t *testing.T) {
	var buf bytes.Buffer
	buf.Write([]byte{0x88, 0, 4, 0})             // DC header while the port does not know the version
	buf.Write([]byte{8, 0, 0x1D, 0, 0, 0, 0, 0}) // then BB framing
	r := NewFramer(&buf, nil, GCV3)
	if c, err := r.ReadCommand(); err != nil || c.Header.Command != 0x88 {
		t.Fatalf("first: %+v %v", c, err)
	}
	r.SetVersion(BBV4)
	if c, err := r.ReadCommand(); err != nil || c.Header.Command != 0x1D || r.Version() != BBV4 {
		t.Fatalf("second: %+v %v", c, err)
	}
}

func TestFramerSteadyStateDoesNotAllocate(t *testing.T) {
	loop := &loopback{}
	f := NewFramer(loop, loop, GCV3)
	f.SetCiphers(&xorStream{block: 4}, &xorStream{block: 4})
	payload := make([]byte, 0x40)
	allocs := testing.AllocsPerRun(200, func() {
		if err := f.WriteCommand(0x60, 0, payload); err != nil {
			t.Fatal(err)
		}
		if _, err := f.ReadCommand(); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("%.1f allocations per write+read, want 0", allocs)
	}
}

// loopback is a reusable in-memory pipe that does not allocate once grown.
type loopback struct {
	buf []byte
	off int
}

func (l *loopback) Write(b []byte) (int, error) {
	if l.off == len(l.buf) {
		l.buf, l.off = l.buf[:0], 0
	}
	l.buf = append(l.buf, b...)
	return len(b), nil
}

func (l *loopback) Read(b []byte) (int, error) {
	if l.off == len(l.buf) {
		return 0, io.EOF
	}
	n := copy(b, l.buf[l.off:])
	l.off += n
	return n, nil
}
