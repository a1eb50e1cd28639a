package crypt

import (
	"encoding/binary"
	"fmt"
)

// BBSeedSize is the size of each seed in the server's BB init command (03).
const BBSeedSize = 48

// BB is the Blue Burst cipher. For the Feistel subtypes (STANDARD, MOCB1,
// TFS1) it is a 4-round Blowfish-style cipher on 8-byte blocks of two
// little-endian words whose tables come from the key file mixed with the
// seed; it keeps no state between blocks. JSD1 is instead a byte stream whose
// 256-byte table changes with every byte.
type BB struct {
	subtype BBSubtype
	p       [18]uint32
	s       [4][256]uint32
	jsd1    jsd1Stream
}

// seedMask is XORed over the seed by the BB client when it reads the 03
// command, before the seed reaches the cipher; the server must do the same.
var seedMask = [3]byte{0x19, 0x16, 0x18}

// NewBB returns a BB cipher for one direction of a connection: key is the
// table the client uses (see DetectBB) and seed one of the two 48-byte seeds
// of the 03 command (client seed for client-to-server; for the other
// direction see BBKey.ServerStreamSeed).
func NewBB(key *BBKey, seed []byte) (*BB, error) {
	if key == nil {
		return nil, fmt.Errorf("crypt: NewBB: nil key")
	}
	if len(seed) != BBSeedSize {
		return nil, fmt.Errorf("crypt: BB seed is %d bytes, want %d", len(seed), BBSeedSize)
	}
	var masked [BBSeedSize]byte
	for i, b := range seed {
		masked[i] = b ^ seedMask[i%3]
	}
	c := &BB{subtype: key.Subtype, p: key.p, s: key.s}
	if c.subtype == BBJSD1 {
		c.jsd1.init(&masked, byte(key.p[0]))
		return c, nil
	}
	c.prepareP()
	c.schedule(&masked)
	return c, nil
}

// prepareP applies the subtype's transformation of the raw P-array.
func (c *BB) prepareP() {
	for i, w := range c.p {
		switch c.subtype {
		case BBMOCB1:
			b0, b1, b2, b3 := byte(w), byte(w>>8), byte(w>>16), byte(w>>24)
			c.p[i] = uint32(b0^b3)<<24 | uint32(b1^b2)<<16 | uint32(b0)<<8 | uint32(b1)
		case BBTFS1:
			lo := w & 0xFFFF
			c.p[i] = (lo<<16 ^ w&0xFFFF0000) + lo
		}
	}
}

// schedule is the Blowfish key schedule with 16 rounds: the seed, read as
// big-endian words, is XORed into P; then a chain of encryptions starting
// from a zero block replaces P and then the S-boxes, two words at a time.
func (c *BB) schedule(seed *[BBSeedSize]byte) {
	for i := range c.p {
		c.p[i] ^= binary.BigEndian.Uint32(seed[(4*i)%BBSeedSize:])
	}
	var l, r uint32
	for i := 0; i < len(c.p); i += 2 {
		l, r = c.encipher16(l, r)
		c.p[i], c.p[i+1] = l, r
	}
	for box := range c.s {
		for i := 0; i < 256; i += 2 {
			l, r = c.encipher16(l, r)
			c.s[box][i], c.s[box][i+1] = l, r
		}
	}
}

// f is the Blowfish round function.
func (c *BB) f(x uint32) uint32 {
	sum := c.s[0][x>>24] + c.s[1][byte(x>>16)]
	return (sum ^ c.s[2][byte(x>>8)]) + c.s[3][byte(x)]
}

// encipher16 is the full 16-round form used only by the key schedule. Its
// output order (right half first) is the same as the 4-round block function.
func (c *BB) encipher16(l, r uint32) (uint32, uint32) {
	l ^= c.p[0]
	for i := 1; i < 17; i += 2 {
		r ^= c.f(l) ^ c.p[i]
		l ^= c.f(r) ^ c.p[i+1]
	}
	return r ^ c.p[17], l
}

// Encrypt encrypts b in place. Only whole 8-byte blocks are processed: a
// trailing partial block is left as it is (BB framing always pads to 8, so
// such a tail means the caller forgot to pad).
func (c *BB) Encrypt(b []byte) {
	b = b[:len(b)&^7]
	if c.subtype == BBJSD1 {
		c.jsd1.encrypt(b)
		return
	}
	for ; len(b) >= 8; b = b[8:] {
		l, r := binary.LittleEndian.Uint32(b), binary.LittleEndian.Uint32(b[4:])
		l ^= c.p[0]
		r ^= c.f(l) ^ c.p[1]
		l ^= c.f(r) ^ c.p[2]
		r ^= c.f(l) ^ c.p[3]
		l ^= c.f(r) ^ c.p[4]
		binary.LittleEndian.PutUint32(b, r^c.p[5])
		binary.LittleEndian.PutUint32(b[4:], l)
	}
}

// Decrypt decrypts b in place: the same rounds with P in reverse order. Like
// Encrypt, it leaves a trailing partial block untouched.
func (c *BB) Decrypt(b []byte) {
	b = b[:len(b)&^7]
	if c.subtype == BBJSD1 {
		c.jsd1.decrypt(b)
		return
	}
	for ; len(b) >= 8; b = b[8:] {
		l, r := binary.LittleEndian.Uint32(b), binary.LittleEndian.Uint32(b[4:])
		l ^= c.p[5]
		r ^= c.f(l) ^ c.p[4]
		l ^= c.f(r) ^ c.p[3]
		r ^= c.f(l) ^ c.p[2]
		l ^= c.f(r) ^ c.p[1]
		binary.LittleEndian.PutUint32(b, r^c.p[0])
		binary.LittleEndian.PutUint32(b[4:], l)
	}
}

// BlockSize is 8.
func (c *BB) BlockSize() int { return 8 }

// Subtype reports which variant of the cipher this is.
func (c *BB) Subtype() BBSubtype { return c.subtype }
