package ociimage

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Linux capability numbers (linux/capability.h) psobox's image uses.
const (
	CapNetBindService = 10
	CapNetAdmin       = 12
	CapNetRaw         = 13
)

// FileCaps are a file's capabilities as the kernel stores them in the
// security.capability extended attribute (struct vfs_cap_data, revision 2).
// Bit n of a set is capability n.
type FileCaps struct {
	Permitted   uint64
	Inheritable uint64
	// Effective makes the kernel raise the permitted set to effective at
	// exec, and refuse the exec when the bounding set lacks one of them.
	Effective bool
}

// CapsXattr is the extended attribute that holds FileCaps.
const CapsXattr = "security.capability"

const (
	vfsCapRevision2  = 0x02000000
	vfsCapRevMask    = 0xff000000
	vfsCapEffective  = 0x000001
	vfsCapV2DataSize = 20 // magic_etc, then permitted and inheritable for two 32-bit words
)

// Encode returns the attribute's bytes, little endian as on disk.
func (c FileCaps) Encode() []byte {
	magic := uint32(vfsCapRevision2)
	if c.Effective {
		magic |= vfsCapEffective
	}
	b := make([]byte, vfsCapV2DataSize)
	binary.LittleEndian.PutUint32(b[0:], magic)
	binary.LittleEndian.PutUint32(b[4:], uint32(c.Permitted))
	binary.LittleEndian.PutUint32(b[8:], uint32(c.Inheritable))
	binary.LittleEndian.PutUint32(b[12:], uint32(c.Permitted>>32))
	binary.LittleEndian.PutUint32(b[16:], uint32(c.Inheritable>>32))
	return b
}

// DecodeFileCaps parses a revision 2 security.capability attribute. Other
// revisions (1: 32 capabilities only; 3: tied to a user namespace's root)
// are refused: an image layer never needs them.
func DecodeFileCaps(b []byte) (FileCaps, error) {
	if len(b) < 4 {
		return FileCaps{}, errors.New("file capabilities: shorter than 4 bytes")
	}
	magic := binary.LittleEndian.Uint32(b)
	if rev := magic & vfsCapRevMask; rev != vfsCapRevision2 {
		return FileCaps{}, fmt.Errorf("file capabilities: revision %#x, want %#x", rev, vfsCapRevision2)
	}
	if len(b) != vfsCapV2DataSize {
		return FileCaps{}, fmt.Errorf("file capabilities: %d bytes, want %d", len(b), vfsCapV2DataSize)
	}
	if flags := magic &^ vfsCapRevMask; flags&^vfsCapEffective != 0 {
		return FileCaps{}, fmt.Errorf("file capabilities: unknown flags %#x", flags)
	}
	word := func(i int) uint64 { return uint64(binary.LittleEndian.Uint32(b[i:])) }
	return FileCaps{
		Permitted:   word(4) | word(12)<<32,
		Inheritable: word(8) | word(16)<<32,
		Effective:   magic&vfsCapEffective != 0,
	}, nil
}
