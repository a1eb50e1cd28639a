package wire

import (
	"fmt"
	"io"
)

// Cipher encrypts or decrypts one direction of a connection in place. Lengths
// passed to it are multiples of BlockSize (4 for the PSO V2/V3 stream
// ciphers, 8 for Blue Burst). gameserver/crypt's ciphers satisfy it.
type Cipher interface {
	Encrypt([]byte)
	Decrypt([]byte)
	BlockSize() int
}

// Command is one received command. Payload aliases the Framer's buffer and
// is valid until the next ReadCommand.
type Command struct {
	Header  Header
	Payload []byte
}

// Framer reads and writes whole commands over a byte stream: headers in the
// version's format, padding, the per-direction ciphers and size limits. It
// owns its buffers and reuses them, so steady-state reads and writes do not
// allocate. A Framer is not safe for concurrent use; reading and writing
// from two goroutines is fine as long as each side has one user.
type Framer struct {
	r       io.Reader
	w       io.Writer
	version Version
	in, out Cipher
	rbuf    []byte // grows to the largest command read so far; idle connections stay small
	pending []byte // encoded, encrypted commands not yet written
	tap     Tap    // session capture (tap.go); nil when off
}

// NewFramer returns a Framer for version v with no ciphers: the server-init
// command goes out in plaintext, then SetCiphers switches encryption on.
func NewFramer(r io.Reader, w io.Writer, v Version) *Framer {
	return &Framer{r: r, w: w, version: v, pending: make([]byte, 0, 1024)}
}

// Version returns the version whose header format and padding are in use.
func (f *Framer) Version() Version { return f.version }

// SetVersion changes the version, e.g. once the first command on a shared
// port shows which client this is.
func (f *Framer) SetVersion(v Version) { f.version = v }

// SetCiphers installs the ciphers for received (in) and sent (out) data; nil
// means plaintext.
func (f *Framer) SetCiphers(in, out Cipher) { f.in, f.out = in, out }

// ReadCommand reads, decrypts and checks the next command. It returns io.EOF
// when the stream ends cleanly between commands and a *FrameError for sizes
// no client can send.
func (f *Framer) ReadCommand() (Command, error) {
	hl := f.version.HeaderFormat().Len()
	f.growRead(hl)
	if _, err := io.ReadFull(f.r, f.rbuf[:hl]); err != nil {
		return Command{}, err
	}
	if f.in != nil {
		f.in.Decrypt(f.rbuf[:hl])
	}
	h, _ := f.version.HeaderFormat().Decode(f.rbuf[:hl])
	size := int(h.Size)
	if size < hl {
		return Command{}, &FrameError{Header: h, Err: ErrTooSmall}
	}
	if size > MaxCommandSize {
		return Command{}, &FrameError{Header: h, Err: ErrTooLarge}
	}
	phys := size
	if f.in != nil && f.version == BBV4 {
		phys = roundUp(size, 8) // BB pads the wire to 8 without saying so in the size
	}
	f.growRead(phys + 8) // room for decryptBody's rounding
	if _, err := io.ReadFull(f.r, f.rbuf[hl:phys]); err != nil {
		return Command{}, unexpectedEOF(err)
	}
	if f.in != nil && phys > hl {
		f.decryptBody(hl, phys)
	}
	if f.tap != nil {
		f.tap.Received(f.version, f.rbuf[:size])
	}
	return Command{Header: h, Payload: f.rbuf[hl:size]}, nil
}

// growRead makes the read buffer at least n bytes, doubling so that a
// connection's buffer settles at the size of its largest command.
func (f *Framer) growRead(n int) {
	if n <= len(f.rbuf) {
		return
	}
	size := min(max(n, 2*len(f.rbuf), 256), MaxCommandSize+16)
	b := make([]byte, size)
	copy(b, f.rbuf)
	f.rbuf = b
}

// decryptBody decrypts rbuf[hl:phys]. A DC client may send a size that is
// not a multiple of 4 but its cipher still used whole words: decrypting a
// rounded-up length keeps the keystream in step and the extra bytes are
// dropped.
func (f *Framer) decryptBody(hl, phys int) {
	end := hl + roundUp(phys-hl, f.in.BlockSize())
	clear(f.rbuf[phys:end])
	f.in.Decrypt(f.rbuf[hl:end])
}

func unexpectedEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// WriteCommand queues one command and flushes everything queued in one Write.
func (f *Framer) WriteCommand(cmd uint16, flag uint32, payload []byte) error {
	if err := f.Queue(cmd, flag, payload); err != nil {
		return err
	}
	return f.Flush()
}

// Queue encodes and encrypts one command into the pending buffer; Flush
// sends all queued commands in a single Write (batching).
func (f *Framer) Queue(cmd uint16, flag uint32, payload []byte) error {
	start := len(f.pending)
	f.pending = append(f.pending, make([]byte, f.version.HeaderFormat().Len())...)
	f.pending = append(f.pending, payload...)
	return f.seal(start, cmd, flag)
}

// Flush writes the queued commands.
func (f *Framer) Flush() error {
	if len(f.pending) == 0 {
		return nil
	}
	_, err := f.w.Write(f.pending)
	f.pending = f.pending[:0]
	return err
}

// ReleaseWriteBuffer frees the output buffer if it grew beyond keep bytes
// and nothing is queued, so that an idle connection does not hold on to the
// memory of its largest batch. Writer side only.
func (f *Framer) ReleaseWriteBuffer(keep int) {
	if len(f.pending) == 0 && cap(f.pending) > keep {
		f.pending = nil
	}
}

// ReleaseReadBuffer frees the input buffer if it grew beyond keep bytes;
// the last command's payload must not be used afterwards. Reader side only.
func (f *Framer) ReleaseReadBuffer(keep int) {
	if len(f.rbuf) > keep {
		f.rbuf = nil
	}
}

// Buffered returns the number of queued bytes not yet flushed.
func (f *Framer) Buffered() int { return len(f.pending) }

// seal fills in the header of the command that starts at pending[start]
// (header space reserved, payload appended), pads and encrypts it.
func (f *Framer) seal(start int, cmd uint16, flag uint32) error {
	hf := f.version.HeaderFormat()
	logical, phys := f.sizes(len(f.pending) - start)
	if phys > MaxCommandSize {
		f.pending = f.pending[:start]
		return &FrameError{Header: Header{Command: cmd, Flag: flag, Size: uint16(min(logical, 0xFFFF))}, Err: ErrTooLarge}
	}
	if _, err := hf.Append(f.pending[start:start], Header{Command: cmd, Flag: flag, Size: uint16(logical)}); err != nil {
		f.pending = f.pending[:start]
		return fmt.Errorf("wire: %w", err)
	}
	if f.out != nil {
		f.pending = padZero(f.pending, start+phys)
	}
	if f.tap != nil {
		f.tap.Sent(f.version, f.pending[start:start+logical])
	}
	if f.out == nil {
		return nil
	}
	end := start + roundUp(phys, f.out.BlockSize())
	f.pending = padZero(f.pending, end)
	f.out.Encrypt(f.pending[start:end])
	f.pending = f.pending[:start+phys] // v1 clients get unpadded commands; the keystream moved on anyway
	return nil
}

// sizes returns the header size field and the number of bytes sent for an
// unpadded command of n bytes. Before encryption nothing is padded.
func (f *Framer) sizes(n int) (logical, phys int) {
	switch {
	case f.out == nil:
		return n, n
	case f.version == BBV4:
		return roundUp(n, 4), roundUp(n, 8)
	case f.version.IsV1():
		return n, n
	}
	return roundUp(n, 4), roundUp(n, 4)
}

func padZero(b []byte, n int) []byte {
	if n > len(b) {
		b = append(b, make([]byte, n-len(b))...)
	}
	return b
}

func roundUp(n, m int) int {
	if m <= 1 {
		return n
	}
	return (n + m - 1) / m * m
}
