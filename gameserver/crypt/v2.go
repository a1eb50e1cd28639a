package crypt

// v2Words is the size of the V2 generator state and the number of keystream
// words produced per refill.
const v2Words = 55

// V2 is the PSO V2 cipher: Dreamcast (all releases), PC, GameCube trial
// edition, and the PC/BB patch protocol. The keystream is a subtractive
// lagged-Fibonacci generator over 55 words (lags 24 and 31).
type V2 struct {
	keystream
	state [v2Words]uint32
}

// NewV2 returns a V2 cipher seeded with a key from the server's init command
// (server_key for the server-to-client stream, client_key for the other).
func NewV2(seed uint32) *V2 {
	c := &V2{}
	c.seed(seed)
	// The generator is stirred 5 times before its first word; the last stir
	// happens in the first refill.
	for range 4 {
		c.stir()
	}
	c.refill = c.nextBlock
	return c
}

// seed spreads a Fibonacci-like sequence (each term the difference of the two
// before it, starting from seed and 1) over the state with stride 21, which
// visits every slot because 21 and 55 are coprime. The last slot holds seed.
func (c *V2) seed(seed uint32) {
	c.state[v2Words-1] = seed
	older, newer := seed, uint32(1)
	for k := 1; k < v2Words; k++ {
		c.state[(21*k)%v2Words-1] = newer
		older, newer = newer, older-newer
	}
}

// stir advances the generator by one block.
func (c *V2) stir() {
	s := &c.state
	for i := range 24 {
		s[i] -= s[i+31]
	}
	for i := 24; i < v2Words; i++ {
		s[i] -= s[i-24]
	}
}

func (c *V2) nextBlock() []uint32 {
	c.stir()
	return c.state[:]
}

// Encrypt XORs the keystream over b in place. Any length is accepted; see
// Cipher for how a length that is not a multiple of 4 uses the keystream.
func (c *V2) Encrypt(b []byte) { c.xor(b) }

// Decrypt is Encrypt: the cipher is an XOR stream.
func (c *V2) Decrypt(b []byte) { c.xor(b) }

// BlockSize is 4: the keystream is applied in 32-bit words.
func (c *V2) BlockSize() int { return 4 }
