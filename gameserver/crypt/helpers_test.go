package crypt

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"github.com/psobox/psobox/internal/testenv"
)

// pattern is the plaintext of the golden files: n bytes that are neither
// constant nor periodic within a keystream block.
func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*131+17) ^ byte(i>>8)
	}
	return b
}

// randomBytes returns n bytes from a deterministic generator, so a failing
// case can be reproduced.
func randomBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// syntheticKey builds a key table of the given subtype from random words.
// It is not a real client's table; it lets tests and fuzz targets run
// without the fixture keys, which users supply and the repo must not ship.
func syntheticKey(t testing.TB, subtype BBSubtype, seed uint64) *BBKey {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, uint64(subtype)))
	data := randomBytes(r, BBKeyFileSize)
	binary.LittleEndian.PutUint64(data[BBKeyFileSize-8:], uint64(subtype))
	k, err := ParseBBKey("synthetic-"+subtype.String(), data)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func syntheticKeys(t testing.TB) []*BBKey {
	var keys []*BBKey
	for s := BBStandard; s <= BBTFS1; s++ {
		keys = append(keys, syntheticKey(t, s, 1))
	}
	return keys
}

// fixtureKeys loads the BB key tables of the shared fixtures (skipping the
// test when they are absent).
func fixtureKeys(t testing.TB) []*BBKey {
	t.Helper()
	keys, err := LoadBBKeys(testenv.FixturesDir(t, "bb-keys"))
	if err != nil {
		t.Fatalf("LoadBBKeys: %v", err)
	}
	return keys
}

// seedA and seedB are the two BB seeds of the golden files.
func seedA() []byte {
	s := make([]byte, BBSeedSize)
	for i := range s {
		s[i] = byte(i*7 + 3)
	}
	return s
}

func seedB() []byte {
	s := make([]byte, BBSeedSize)
	for i := range s {
		s[i] = 0xA5
	}
	return s
}

// sameTables reports whether two keys give identical ciphers, so detection
// may legitimately return either (default.nsk and default4.nsk are equal).
func sameTables(a, b *BBKey) bool {
	return a.Subtype == b.Subtype && a.p == b.p && a.s == b.s
}
