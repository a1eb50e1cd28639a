package crypt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/psobox/psobox/gameserver/wire"
)

// ErrUnknownCipher is wrapped by the detection errors when no candidate
// cipher (or key table) turns the client's first bytes into a known header.
var ErrUnknownCipher = errors.New("crypt: client's first header matches no known cipher")

// dcHeader is a DC/GC/Xbox header (command, flag, little-endian size) as the
// little-endian word the stream ciphers operate on.
func dcHeader(cmd, flag byte, size uint16) uint32 {
	return uint32(size)<<16 | uint32(flag)<<8 | uint32(cmd)
}

// v2FirstHeaders are the headers a V2 (Dreamcast or GameCube trial edition)
// client can open a game-server connection with. The first connection starts
// with a licence check; the connections after the port-map redirect start
// with a login, flag 01 meaning the client has UDP turned off, and a larger
// "extended" size when the client appends its Meet User data. PC clients are
// absent on purpose: they are split off to their own port, where the cipher
// is known without detection.
var v2FirstHeaders = []uint32{
	dcHeader(0x88, 0, 0x26),  // DC trial edition: licence check (serial + access key)
	dcHeader(0x8B, 0, 0xB0),  // DC trial edition: login
	dcHeader(0x8B, 1, 0xB0),  //   ... with UDP off
	dcHeader(0x8B, 0, 0x114), //   ... extended
	dcHeader(0x8B, 1, 0x114), //   ... extended, UDP off
	dcHeader(0x90, 0, 0x26),  // DC 11/2000 prototype and Japanese DC v1: licence check
	dcHeader(0x90, 0, 0x28),  // DC v1: licence check
	dcHeader(0x93, 0, 0xB0),  // DC v1: login
	dcHeader(0x93, 1, 0xB0),  //   ... with UDP off
	dcHeader(0x93, 0, 0x114), //   ... extended
	dcHeader(0x93, 1, 0x114), //   ... extended, UDP off
	dcHeader(0x9A, 0, 0xE0),  // DC v2 and GC trial edition: licence check
	dcHeader(0x9D, 0, 0xCC),  // DC v2 and GC trial edition: login
	dcHeader(0x9D, 1, 0xCC),  //   ... with UDP off
	dcHeader(0x9D, 0, 0x130), //   ... extended
	dcHeader(0x9D, 1, 0x130), //   ... extended, UDP off
}

// v3FirstHeaders are the same for V3 clients arriving on GameCube ports.
// Xbox clients have their own port with a fixed V3 cipher and are not listed.
var v3FirstHeaders = []uint32{
	dcHeader(0xDB, 0, 0xE0),  // GC (Ep1&2, Ep3): licence check
	dcHeader(0x9E, 0, 0xEC),  // GC: login
	dcHeader(0x9E, 1, 0xEC),  //   ... with UDP off
	dcHeader(0x9E, 0, 0x150), //   ... extended
	dcHeader(0x9E, 1, 0x150), //   ... extended, UDP off
}

// DetectV2V3 finds out whether a client on a GameCube-family port speaks V2
// (a Dreamcast or the GC trial edition) or V3 (GameCube): it decrypts the
// client's first 4 bytes (firstHeader) with a fresh cipher of each kind
// seeded with clientKey and keeps the one that yields a known first header.
// On success firstHeader is decrypted in place and the returned cipher has
// consumed exactly those 4 bytes, so it decrypts the rest of the stream; the
// server-to-client cipher is the same family seeded with the server key.
// firstHeader must be exactly 4 bytes.
func DetectV2V3(clientKey uint32, firstHeader []byte) (Cipher, wire.CipherFamily, error) {
	if len(firstHeader) != 4 {
		return nil, 0, fmt.Errorf("crypt: cipher detection needs the first 4 bytes, got %d", len(firstHeader))
	}
	raw := binary.LittleEndian.Uint32(firstHeader)
	v2, v3 := NewV2(clientKey), NewV3(clientKey)
	w2, w3 := raw^v2.next(), raw^v3.next()
	is2, is3 := slices.Contains(v2FirstHeaders, w2), slices.Contains(v3FirstHeaders, w3)
	switch {
	case is2 && is3:
		return nil, 0, fmt.Errorf("crypt: first header is ambiguous (V2 %08X, V3 %08X)", w2, w3)
	case is2:
		binary.LittleEndian.PutUint32(firstHeader, w2)
		return v2, wire.CipherV2, nil
	case is3:
		binary.LittleEndian.PutUint32(firstHeader, w3)
		return v3, wire.CipherV3, nil
	}
	return nil, 0, fmt.Errorf("%w (received %08X, as V2 %08X, as V3 %08X)", ErrUnknownCipher, raw, w2, w3)
}

// bbFirstHeaders are the plaintext first 8 bytes (size, command, flag) a BB
// client can open a connection with.
var bbFirstHeaders = [][8]byte{
	{0xB4, 0x00, 0x93, 0x00, 0, 0, 0, 0}, // login 93 carrying hardware info (newer clients)
	{0xAC, 0x00, 0x93, 0x00, 0, 0, 0, 0}, // login 93 without it (older clients)
	{0xDC, 0x00, 0xDB, 0x00, 0, 0, 0, 0}, // licence check DB, a login path servers rarely use
}

// DetectBB finds the key table a BB client uses: it decrypts the client's
// first 8 bytes with each key in turn (in the order given), seeded with the
// 48-byte client seed of the 03 command, and takes the first key that yields
// a known first header. On success first8 is decrypted in place and the
// returned cipher has consumed exactly those 8 bytes.
func DetectBB(keys []*BBKey, clientSeed []byte, first8 []byte) (*BB, *BBKey, error) {
	if len(first8) != 8 {
		return nil, nil, fmt.Errorf("crypt: BB key detection needs the first 8 bytes, got %d", len(first8))
	}
	if len(keys) == 0 {
		return nil, nil, errors.New("crypt: no BB key tables loaded")
	}
	for _, k := range keys {
		c, err := NewBB(k, clientSeed)
		if err != nil {
			return nil, nil, err
		}
		var plain [8]byte
		copy(plain[:], first8)
		c.Decrypt(plain[:])
		if slices.Contains(bbFirstHeaders, plain) {
			copy(first8, plain[:])
			return c, k, nil
		}
	}
	return nil, nil, fmt.Errorf("%w (tried %d BB key tables)", ErrUnknownCipher, len(keys))
}
