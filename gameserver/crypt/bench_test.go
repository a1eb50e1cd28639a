package crypt

import (
	"encoding/binary"
	"fmt"
	"testing"
)

// benchSizes are a typical small command and the largest command a client
// accepts (0x7C00 bytes).
var benchSizes = []int{64, 0x7C00}

func benchEncrypt(b *testing.B, c Cipher) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			buf := pattern(n)
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				c.Encrypt(buf)
			}
		})
	}
}

func BenchmarkEncryptV2(b *testing.B) { benchEncrypt(b, NewV2(1)) }

func BenchmarkEncryptV3(b *testing.B) { benchEncrypt(b, NewV3(1)) }

func BenchmarkEncryptBB(b *testing.B) {
	for _, k := range syntheticKeys(b) {
		b.Run(k.Subtype.String(), func(b *testing.B) {
			c, _ := NewBB(k, seedA())
			benchEncrypt(b, c)
		})
	}
}

func BenchmarkDecryptBB(b *testing.B) {
	c, _ := NewBB(syntheticKey(b, BBStandard, 1), seedA())
	buf := pattern(0x7C00)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		c.Decrypt(buf)
	}
}

func BenchmarkNewV2(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		NewV2(1)
	}
}

func BenchmarkNewV3(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		NewV3(1)
	}
}

// BenchmarkNewBB is the per-connection key schedule (521 16-round block
// encryptions for the Feistel subtypes).
func BenchmarkNewBB(b *testing.B) {
	for _, k := range syntheticKeys(b) {
		b.Run(k.Subtype.String(), func(b *testing.B) {
			seed := seedA()
			b.ReportAllocs()
			for b.Loop() {
				NewBB(k, seed)
			}
		})
	}
}

// BenchmarkDetectV2V3 is the cost of a new GC-family connection's detection.
func BenchmarkDetectV2V3(b *testing.B) {
	var enc [4]byte
	binary.LittleEndian.PutUint32(enc[:], v3FirstHeaders[0])
	NewV3(7).Encrypt(enc[:])
	b.ReportAllocs()
	for b.Loop() {
		h := enc
		if _, _, err := DetectV2V3(7, h[:]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDetectBBWorstCase tries seven tables and matches on the last.
func BenchmarkDetectBBWorstCase(b *testing.B) {
	keys := append(syntheticKeys(b), syntheticKeys(b)[:2]...)
	keys = append(keys, syntheticKey(b, BBStandard, 99))
	last := keys[len(keys)-1]
	c, _ := NewBB(last, seedA())
	enc := bbFirstHeaders[0]
	c.Encrypt(enc[:])
	b.ReportAllocs()
	for b.Loop() {
		h := enc
		if _, k, err := DetectBB(keys, seedA(), h[:]); err != nil || k != last {
			b.Fatal(err)
		}
	}
}
