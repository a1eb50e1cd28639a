package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// MaxCommandSize is the largest command any PSO client can receive: every
// known client has a 0x7C00-byte receive buffer.
const MaxCommandSize = 0x7C00

// HeaderFormat is one of the three command header layouts.
type HeaderFormat uint8

// The header layouts. Size always counts the header itself.
const (
	HeaderDC HeaderFormat = iota // DC, GC, Xbox: u8 command, u8 flag, le16 size
	HeaderPC                     // PC and patch: le16 size, u8 command, u8 flag
	HeaderBB                     // Blue Burst: le16 size, le16 command, le32 flag
)

// Header is a decoded command header.
type Header struct {
	Command uint16
	Flag    uint32
	Size    uint16 // whole command including the header, unpadded
}

// ErrShortHeader is returned when fewer bytes than a header are available.
var ErrShortHeader = errors.New("wire: short command header")

// Len is the header size in bytes.
func (f HeaderFormat) Len() int {
	if f == HeaderBB {
		return 8
	}
	return 4
}

// String names the format.
func (f HeaderFormat) String() string {
	switch f {
	case HeaderDC:
		return "DC"
	case HeaderPC:
		return "PC"
	case HeaderBB:
		return "BB"
	}
	return fmt.Sprintf("HeaderFormat(%d)", uint8(f))
}

// Decode reads a header from the start of b.
func (f HeaderFormat) Decode(b []byte) (Header, error) {
	if len(b) < f.Len() {
		return Header{}, ErrShortHeader
	}
	switch f {
	case HeaderDC:
		return Header{Command: uint16(b[0]), Flag: uint32(b[1]), Size: binary.LittleEndian.Uint16(b[2:])}, nil
	case HeaderPC:
		return Header{Size: binary.LittleEndian.Uint16(b), Command: uint16(b[2]), Flag: uint32(b[3])}, nil
	default:
		return Header{
			Size:    binary.LittleEndian.Uint16(b),
			Command: binary.LittleEndian.Uint16(b[2:]),
			Flag:    binary.LittleEndian.Uint32(b[4:]),
		}, nil
	}
}

// Append encodes h after dst. The one-byte command and flag fields of the DC
// and PC layouts cannot hold larger values; that is an error, not a truncation.
func (f HeaderFormat) Append(dst []byte, h Header) ([]byte, error) {
	if f != HeaderBB && (h.Command > 0xFF || h.Flag > 0xFF) {
		return dst, fmt.Errorf("wire: command %04X flag %X do not fit a %s header", h.Command, h.Flag, f)
	}
	switch f {
	case HeaderDC:
		dst = append(dst, byte(h.Command), byte(h.Flag))
		return binary.LittleEndian.AppendUint16(dst, h.Size), nil
	case HeaderPC:
		dst = binary.LittleEndian.AppendUint16(dst, h.Size)
		return append(dst, byte(h.Command), byte(h.Flag)), nil
	default:
		dst = binary.LittleEndian.AppendUint16(dst, h.Size)
		dst = binary.LittleEndian.AppendUint16(dst, h.Command)
		return binary.LittleEndian.AppendUint32(dst, h.Flag), nil
	}
}
