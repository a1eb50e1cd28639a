package crypt

import (
	"encoding/binary"
	"fmt"

	"github.com/psobox/psobox/gameserver/wire"
)

// Cipher is the interface the wire.Framer takes: it encrypts or decrypts a
// buffer in place, continuing its keystream or block state from the previous
// call. Each direction of a connection needs its own Cipher.
//
// len(b) should be a multiple of BlockSize. What happens otherwise is part of
// each implementation's contract (never a panic): the V2 and V3 stream
// ciphers handle any length, consuming a whole keystream word for a trailing
// 1-3 bytes; BB leaves a trailing partial block untouched.
type Cipher = wire.Cipher

var (
	_ Cipher = (*V2)(nil)
	_ Cipher = (*V3)(nil)
	_ Cipher = (*BB)(nil)
)

// keystream XORs generated 32-bit words over little-endian data. V2 and V3
// differ only in how they produce the next block of words (refill).
type keystream struct {
	unread []uint32        // words of the current block not used yet
	refill func() []uint32 // advances the generator and returns the next block
}

// xor applies the keystream to b. A length that is not a multiple of 4
// consumes one more whole word, of which only the low len(b)%4 bytes are used:
// Dreamcast clients send commands of such sizes and both ends then skip the
// rest of that word, so the next call starts on a fresh word.
func (k *keystream) xor(b []byte) {
	for len(b) >= 4 {
		if len(k.unread) == 0 {
			k.unread = k.refill()
		}
		n := min(len(b)/4, len(k.unread))
		xorWords(b[:4*n], k.unread[:n])
		k.unread = k.unread[n:]
		b = b[4*n:]
	}
	if len(b) > 0 {
		w := k.next()
		for i := range b {
			b[i] ^= byte(w >> (8 * i))
		}
	}
}

// next returns one keystream word.
func (k *keystream) next() uint32 {
	if len(k.unread) == 0 {
		k.unread = k.refill()
	}
	w := k.unread[0]
	k.unread = k.unread[1:]
	return w
}

// xorWords XORs ws over b, one little-endian word per element; len(b) must be
// 4*len(ws).
func xorWords(b []byte, ws []uint32) {
	for i, w := range ws {
		p := b[4*i : 4*i+4]
		binary.LittleEndian.PutUint32(p, binary.LittleEndian.Uint32(p)^w)
	}
}

// NewStream returns the V2 or V3 cipher for family, for ports where the
// family is known from the port (PC: V2, Xbox: V3) and for the server's
// outbound stream once DetectV2V3 has settled the family. BB has no u32 seed
// and is refused.
func NewStream(family wire.CipherFamily, seed uint32) (Cipher, error) {
	switch family {
	case wire.CipherV2:
		return NewV2(seed), nil
	case wire.CipherV3:
		return NewV3(seed), nil
	}
	return nil, fmt.Errorf("crypt: cipher family %d has no 32-bit seed", family)
}
