package wire

import (
	"encoding/binary"
	"fmt"
	"sync"
)

// cursor walks a message's fields in wire order. Decoding, it reads them
// from a payload; encoding, it appends them. Each message type has one walk
// method used both ways, so whatever decodes re-encodes byte for byte.
type cursor struct {
	v    Version
	enc  bool
	buf  []byte // decoding: the payload; encoding: the output
	off  int    // decoding position
	flag uint32 // header flag: read when decoding, produced when encoding
	cmd  uint16 // command number (multi-command message types record it)
	err  error
}

// cursors recycles cursors: a cursor handed to a message's walk through the
// Msg interface escapes to the heap, and the hot paths should not allocate.
var cursors = sync.Pool{New: func() any { return new(cursor) }}

func getCursor(init cursor) *cursor {
	c := cursors.Get().(*cursor)
	*c = init
	return c
}

func putCursor(c *cursor) {
	*c = cursor{}
	cursors.Put(c)
}

func (c *cursor) decoding() bool { return !c.enc }

// remaining is the number of payload bytes not yet decoded (0 when encoding).
func (c *cursor) remaining() int {
	if c.enc {
		return 0
	}
	return len(c.buf) - c.off
}

// fail records the first error; decoding then stops consuming input.
func (c *cursor) fail(kind error, format string, args ...any) {
	if c.err == nil {
		c.err = fmt.Errorf("%w: "+format, append([]any{kind}, args...)...)
	}
	c.off = len(c.buf)
}

func (c *cursor) take(n int) []byte {
	if c.err != nil {
		return nil
	}
	if c.remaining() < n {
		c.fail(ErrBadSize, "payload ends at 0x%X, field needs 0x%X bytes at 0x%X", len(c.buf), n, c.off)
		return nil
	}
	b := c.buf[c.off : c.off+n]
	c.off += n
	return b
}

func (c *cursor) u8(p *uint8) {
	if c.enc {
		c.buf = append(c.buf, *p)
	} else if b := c.take(1); b != nil {
		*p = b[0]
	}
}

func (c *cursor) u16(p *uint16) {
	if c.enc {
		c.buf = binary.LittleEndian.AppendUint16(c.buf, *p)
	} else if b := c.take(2); b != nil {
		*p = binary.LittleEndian.Uint16(b)
	}
}

func (c *cursor) u16be(p *uint16) {
	if c.enc {
		c.buf = binary.BigEndian.AppendUint16(c.buf, *p)
	} else if b := c.take(2); b != nil {
		*p = binary.BigEndian.Uint16(b)
	}
}

func (c *cursor) u32(p *uint32) {
	if c.enc {
		c.buf = binary.LittleEndian.AppendUint32(c.buf, *p)
	} else if b := c.take(4); b != nil {
		*p = binary.LittleEndian.Uint32(b)
	}
}

func (c *cursor) u32be(p *uint32) {
	if c.enc {
		c.buf = binary.BigEndian.AppendUint32(c.buf, *p)
	} else if b := c.take(4); b != nil {
		*p = binary.BigEndian.Uint32(b)
	}
}

func (c *cursor) u64be(p *uint64) {
	if c.enc {
		c.buf = binary.BigEndian.AppendUint64(c.buf, *p)
	} else if b := c.take(8); b != nil {
		*p = binary.BigEndian.Uint64(b)
	}
}

// bytes is a fixed-width raw field.
func (c *cursor) bytes(p []byte) {
	if c.enc {
		c.buf = append(c.buf, p...)
	} else if b := c.take(len(p)); b != nil {
		copy(p, b)
	}
}

// field is the first n bytes of a buffer sized for the widest layout (text
// fields are twice as wide in UTF-16 versions); the rest is zeroed on decode.
func (c *cursor) field(p []byte, n int) {
	c.bytes(p[:n])
	if !c.enc {
		clear(p[n:])
	}
}

// rest is a variable-length tail: every byte left in the payload. Decoding
// copies (reusing p's capacity), so messages never alias a reused buffer.
func (c *cursor) rest(p *[]byte) {
	if c.enc {
		c.buf = append(c.buf, *p...)
		return
	}
	*p = append((*p)[:0], c.buf[c.off:]...)
	c.off = len(c.buf)
}

// restMax is rest with an upper bound on its length.
func (c *cursor) restMax(p *[]byte, max int) {
	if !c.enc && c.remaining() > max {
		c.fail(ErrBadSize, "0x%X trailing bytes, at most 0x%X allowed", c.remaining(), max)
		return
	}
	c.rest(p)
}

// flagRaw stores the header flag as is.
func (c *cursor) flagRaw(p *uint32) {
	if c.enc {
		c.flag = *p
	} else {
		*p = c.flag
	}
}

// flagIs is a header flag derived from the body (usually an entry count):
// produced when encoding, checked when decoding.
func (c *cursor) flagIs(want uint32) {
	if c.enc {
		c.flag = want
	} else if c.flag != want {
		c.fail(ErrBadField, "header flag is 0x%X, the body says 0x%X", c.flag, want)
	}
}

// command stores the command number for message types that serve several.
func (c *cursor) command(p *uint16) {
	if !c.enc {
		*p = c.cmd
	}
}

// count returns how many entries of entrySize bytes the list holds: when
// decoding, the remaining payload divided evenly (at most max); when
// encoding, n.
func (c *cursor) count(n, entrySize, max int) int {
	if c.enc {
		if n > max {
			c.fail(ErrBadField, "%d entries, at most %d allowed", n, max)
		}
		return n
	}
	r := c.remaining()
	if entrySize <= 0 {
		c.fail(ErrUnknownCommand, "no entry layout for this version")
		return 0
	}
	if r%entrySize != 0 || r/entrySize > max {
		c.fail(ErrBadSize, "0x%X bytes is not a list of at most %d entries of 0x%X bytes", r, max, entrySize)
		return 0
	}
	return r / entrySize
}

// resize returns s with length n, reusing its storage when it can.
func resize[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}

// u16e and u32e are integers in the client's byte order where a version
// sends some fields big-endian (GC's word select).
func (c *cursor) u16e(p *uint16, bigEndian bool) {
	if bigEndian {
		c.u16be(p)
	} else {
		c.u16(p)
	}
}

func (c *cursor) u32e(p *uint32, bigEndian bool) {
	if bigEndian {
		c.u32be(p)
	} else {
		c.u32(p)
	}
}
