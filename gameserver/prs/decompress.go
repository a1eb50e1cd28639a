package prs

import (
	"errors"
	"fmt"
)

// Errors returned by Decompress and DecompressedSize. They are wrapped with
// the input offset where the problem was found.
var (
	ErrTruncated = errors.New("prs: input ends inside a command")
	ErrBadOffset = errors.New("prs: copy starts before the beginning of the output")
	ErrTooLarge  = errors.New("prs: output exceeds the size limit")
)

const (
	maxShortDistance = 0x100  // short copies reach 1..256 bytes back
	maxLongDistance  = 0x1FFF // long copies: 13-bit distance, 0 means stop
	maxCopyLength    = 0x100  // extended copies: one length byte plus one
	minLongLength    = 3      // long copies with the length in the 3-bit field
	maxLongLength    = 9
	maxShortLength   = 5
	minShortLength   = 2
)

// op is one decoded command: a literal (length 0), a copy, or the end.
type op struct {
	literal  byte
	length   int // 0 for a literal
	distance int
	end      bool
}

// reader pulls control bits and data bytes from one PRS stream.
type reader struct {
	src   []byte
	pos   int
	ctrl  byte
	nbits uint8 // unread bits left in ctrl
}

func (r *reader) byte() (byte, error) {
	if r.pos >= len(r.src) {
		return 0, fmt.Errorf("%w (offset %d)", ErrTruncated, r.pos)
	}
	b := r.src[r.pos]
	r.pos++
	return b, nil
}

func (r *reader) bit() (uint8, error) {
	if r.nbits == 0 {
		b, err := r.byte()
		if err != nil {
			return 0, err
		}
		r.ctrl, r.nbits = b, 8
	}
	v := r.ctrl & 1
	r.ctrl >>= 1
	r.nbits--
	return v, nil
}

// next decodes one command. The stream ends at a stop command or, as the
// original decoder allows, when the input runs out between two commands.
func (r *reader) next() (op, error) {
	if r.pos >= len(r.src) {
		return op{end: true}, nil
	}
	b, err := r.bit()
	if err != nil {
		return op{}, err
	}
	if b == 1 {
		lit, err := r.byte()
		return op{literal: lit}, err
	}
	if b, err = r.bit(); err != nil {
		return op{}, err
	}
	if b == 1 {
		return r.longCopy()
	}
	return r.shortCopy()
}

func (r *reader) shortCopy() (op, error) {
	hi, err := r.bit()
	if err != nil {
		return op{}, err
	}
	lo, err := r.bit()
	if err != nil {
		return op{}, err
	}
	d, err := r.byte()
	if err != nil {
		return op{}, err
	}
	return op{length: int(hi<<1|lo) + minShortLength, distance: maxShortDistance - int(d)}, nil
}

func (r *reader) longCopy() (op, error) {
	lo, err := r.byte()
	if err != nil {
		return op{}, err
	}
	hi, err := r.byte()
	if err != nil {
		return op{}, err
	}
	word := int(lo) | int(hi)<<8
	field := word >> 3
	if field == 0 {
		return op{end: true}, nil
	}
	o := op{length: word&7 + 2, distance: maxLongDistance + 1 - field}
	if word&7 == 0 {
		n, err := r.byte()
		if err != nil {
			return op{}, err
		}
		o.length = int(n) + 1
	}
	return o, nil
}

// Decompress expands src. It fails rather than produce more than maxSize
// bytes, so a hostile stream cannot make it allocate without bound. Bytes
// after a stop command are ignored (servers append one to work around a
// client bug).
func Decompress(src []byte, maxSize int) ([]byte, error) {
	out := make([]byte, 0, min(maxSize, 4*len(src)+16))
	r := reader{src: src}
	for {
		o, err := r.next()
		if err != nil {
			return nil, err
		}
		if o.end {
			return out, nil
		}
		if out, err = apply(out, o, maxSize, r.pos); err != nil {
			return nil, err
		}
	}
}

// apply appends the output of one command to out.
func apply(out []byte, o op, maxSize, pos int) ([]byte, error) {
	n := max(o.length, 1)
	if len(out)+n > maxSize {
		return nil, fmt.Errorf("%w (%d bytes, input offset %d)", ErrTooLarge, maxSize, pos)
	}
	if o.length == 0 {
		return append(out, o.literal), nil
	}
	start := len(out) - o.distance
	if start < 0 {
		return nil, fmt.Errorf("%w (distance %d at output size %d, input offset %d)", ErrBadOffset, o.distance, len(out), pos)
	}
	if o.distance >= o.length {
		return append(out, out[start:start+o.length]...), nil
	}
	for i := range o.length {
		out = append(out, out[start+i])
	}
	return out, nil
}

// DecompressedSize returns the size Decompress would produce, without
// producing it. It checks the stream the same way, limits included.
func DecompressedSize(src []byte, maxSize int) (int, error) {
	r := reader{src: src}
	size := 0
	for {
		o, err := r.next()
		if err != nil {
			return 0, err
		}
		if o.end {
			return size, nil
		}
		if o.length > 0 && o.distance > size {
			return 0, fmt.Errorf("%w (distance %d at output size %d, input offset %d)", ErrBadOffset, o.distance, size, r.pos)
		}
		size += max(o.length, 1)
		if size > maxSize {
			return 0, fmt.Errorf("%w (%d bytes, input offset %d)", ErrTooLarge, maxSize, r.pos)
		}
	}
}
