package crypt

import (
	"bytes"
	"encoding/binary"
	"slices"
	"testing"

	"github.com/psobox/psobox/gameserver/wire"
)

// FuzzDetectV2V3: any bytes, any key, never a panic; a success must really
// be a known header, and re-encrypting it with the detected family gives the
// input back.
func FuzzDetectV2V3(f *testing.F) {
	f.Add(uint32(0), []byte{0, 0, 0, 0})
	f.Add(uint32(0x12345678), []byte{0xDB, 0, 0xE0, 0})
	f.Add(uint32(1), []byte{1, 2, 3})
	for _, key := range []uint32{0, 0xCAFEF00D} {
		for _, h := range []uint32{v2FirstHeaders[0], v3FirstHeaders[0]} {
			var b [4]byte
			binary.LittleEndian.PutUint32(b[:], h)
			NewV2(key).Encrypt(b[:])
			f.Add(key, b[:])
		}
	}
	f.Fuzz(func(t *testing.T, key uint32, data []byte) {
		in := bytes.Clone(data)
		c, family, err := DetectV2V3(key, data)
		if err != nil {
			if c != nil || !bytes.Equal(in, data) {
				t.Fatal("failed detection returned a cipher or changed its input")
			}
			return
		}
		w := binary.LittleEndian.Uint32(data)
		list := v2FirstHeaders
		if family == wire.CipherV3 {
			list = v3FirstHeaders
		}
		if !slices.Contains(list, w) {
			t.Fatalf("accepted %08X, not a known header of family %d", w, family)
		}
		newStream(t, family, key).Encrypt(data)
		if !bytes.Equal(in, data) {
			t.Fatal("detected plaintext does not re-encrypt to the input")
		}
	})
}

// FuzzDetectBB runs on synthetic keys of every subtype, so it needs no
// fixtures; seeds of any length and first bytes of any length must never
// panic.
func FuzzDetectBB(f *testing.F) {
	keys := syntheticKeys(f)
	f.Add(seedA(), make([]byte, 8))
	f.Add(seedB()[:47], make([]byte, 8))
	f.Add(seedA(), []byte{1, 2, 3})
	for _, k := range keys {
		c, _ := NewBB(k, seedA())
		h := bbFirstHeaders[0]
		c.Encrypt(h[:])
		f.Add(seedA(), h[:])
	}
	f.Fuzz(func(t *testing.T, seed, first []byte) {
		in := bytes.Clone(first)
		c, k, err := DetectBB(keys, seed, first)
		if err != nil {
			if c != nil || k != nil || !bytes.Equal(in, first) {
				t.Fatal("failed detection returned a cipher or changed its input")
			}
			return
		}
		var h [8]byte
		copy(h[:], first)
		if !slices.Contains(bbFirstHeaders, h) {
			t.Fatalf("accepted % X, not a known BB header", first)
		}
		again, _ := NewBB(k, seed)
		again.Encrypt(first)
		if !bytes.Equal(in, first) {
			t.Fatal("detected plaintext does not re-encrypt to the input")
		}
	})
}

// FuzzRoundTrip: any cipher, seed, data and split point; decrypting with a
// fresh cipher fed the same pieces gives the plaintext back.
func FuzzRoundTrip(f *testing.F) {
	keys := syntheticKeys(f)
	f.Add(uint8(0), uint32(1), seedA(), []byte("hello, PSO"), uint16(3))
	f.Add(uint8(1), uint32(2), seedA(), pattern(600), uint16(0x26))
	f.Add(uint8(2), uint32(0), seedB(), pattern(64), uint16(16))
	f.Add(uint8(4), uint32(0), seedA(), pattern(37), uint16(9))
	f.Fuzz(func(t *testing.T, kind uint8, key uint32, bbSeed, data []byte, split uint16) {
		if len(bbSeed) != BBSeedSize {
			bbSeed = seedA()
		}
		mk := func() Cipher {
			if kind < 2 {
				return newStream(t, wire.CipherFamily(kind), key)
			}
			c, err := NewBB(keys[int(kind)%len(keys)], bbSeed)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		at := min(int(split), len(data))
		buf := bytes.Clone(data)
		enc, dec := mk(), mk()
		enc.Encrypt(buf[:at])
		enc.Encrypt(buf[at:])
		dec.Decrypt(buf[:at])
		dec.Decrypt(buf[at:])
		if !bytes.Equal(buf, data) {
			t.Fatalf("round trip differs (len %d split %d)", len(data), at)
		}
	})
}
