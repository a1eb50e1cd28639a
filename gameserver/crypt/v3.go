package crypt

// v3Words is the size of the V3 generator state and the number of keystream
// words produced per refill.
const v3Words = 521

// V3 is the PSO V3 cipher: GameCube Episode I&II (incl. Plus), Episode III
// and its trial edition, and Xbox. The keystream is a 521-word XOR generator
// (taps at 32 and 489 words apart).
type V3 struct {
	keystream
	state [v3Words]uint32
}

// NewV3 returns a V3 cipher seeded with a key from the server's init command.
func NewV3(seed uint32) *V3 {
	c := &V3{}
	c.seed(seed)
	// The generator is stirred 4 times before its first word; the last stir
	// happens in the first refill.
	for range 3 {
		c.stir()
	}
	c.refill = c.nextBlock
	return c
}

// seed fills the first 17 words with bits taken from a linear congruential
// generator (the top bit of each of 32 successive values makes one word),
// then extends them to the whole state with a shift-and-XOR recurrence.
func (c *V3) seed(seed uint32) {
	s := &c.state
	lcg := seed
	for i := range 17 {
		var w uint32
		for range 32 {
			lcg = lcg*0x5D588B65 + 1
			w = w>>1 | lcg&0x80000000
		}
		s[i] = w
	}
	s[16] = s[0]>>9 ^ s[16]<<23 ^ s[15]
	for i := 17; i < v3Words; i++ {
		s[i] = s[i-1] ^ s[i-17]<<23 ^ s[i-16]>>9
	}
}

// stir advances the generator by one block.
func (c *V3) stir() {
	s := &c.state
	for i := range 32 {
		s[i] ^= s[i+489]
	}
	for i := 32; i < v3Words; i++ {
		s[i] ^= s[i-32]
	}
}

func (c *V3) nextBlock() []uint32 {
	c.stir()
	return c.state[:]
}

// Encrypt XORs the keystream over b in place. Any length is accepted; see
// Cipher for how a length that is not a multiple of 4 uses the keystream.
func (c *V3) Encrypt(b []byte) { c.xor(b) }

// Decrypt is Encrypt: the cipher is an XOR stream.
func (c *V3) Decrypt(b []byte) { c.xor(b) }

// BlockSize is 4: the keystream is applied in 32-bit words.
func (c *V3) BlockSize() int { return 4 }
