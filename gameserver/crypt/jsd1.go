package crypt

// jsd1Stream is the JSD1 variant of the BB cipher: each byte is XORed with a
// table entry that then absorbs the plaintext byte, the table position
// advancing (and wrapping) one entry per byte; after that the bits of each
// byte pair are interleaved. Its state changes with every byte, so a
// connection's two directions must never share one.
type jsd1Stream struct {
	table [256]byte
	pos   byte
}

// init derives the table from the masked seed; start is the first byte of
// the key file, the only part of the file JSD1 uses.
func (j *jsd1Stream) init(seed *[BBSeedSize]byte, start byte) {
	for i := range j.table {
		s := seed[i%BBSeedSize]
		j.table[i] = (byte(i) + s) ^ s>>1
	}
	j.pos = start
}

// encrypt handles an even number of bytes (the caller passes whole blocks).
func (j *jsd1Stream) encrypt(b []byte) {
	for i, v := range b {
		b[i] = v ^ j.table[j.pos]
		j.table[j.pos] -= v
		j.pos++
	}
	interleavePairs(b)
}

func (j *jsd1Stream) decrypt(b []byte) {
	interleavePairs(b)
	for i := range b {
		b[i] ^= j.table[j.pos]
		j.table[j.pos] -= b[i]
		j.pos++
	}
}

// interleavePairs swaps the odd bits of each pair of bytes, an operation that
// is its own inverse.
func interleavePairs(b []byte) {
	for i := 0; i+1 < len(b); i += 2 {
		x, y := b[i], b[i+1]
		b[i] = x&0x55 | y&0xAA
		b[i+1] = x&0xAA | y&0x55
	}
}
