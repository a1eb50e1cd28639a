package prs

import (
	"os"
	"testing"
)

// benchInput is the fixture quests' plain bytes when present (the realistic
// case), else the synthetic text input.
func benchInput(b *testing.B) []byte {
	var all []byte
	for _, path := range fixtureFiles(b) {
		raw, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		plain, err := Decompress(raw, fixtureLimit)
		if err != nil {
			b.Fatal(err)
		}
		all = append(all, plain...)
	}
	return all
}

func BenchmarkCompressQuests(b *testing.B) {
	in := benchInput(b)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		Compress(in)
	}
}

func BenchmarkDecompressQuests(b *testing.B) {
	in := benchInput(b)
	c := Compress(in)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := Decompress(c, len(in)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompressSynthetic(b *testing.B) {
	for _, name := range []string{"text", "noise", "zeros", "low-entropy"} {
		in := testInputs()[name]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				Compress(in)
			}
		})
	}
}
