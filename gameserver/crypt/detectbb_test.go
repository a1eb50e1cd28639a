package crypt

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"
)

func TestDetectBBSyntheticKeys(t *testing.T) { testDetectBB(t, syntheticKeys(t)) }

func TestDetectBBFixtureKeys(t *testing.T) { testDetectBB(t, fixtureKeys(t)) }

// For each key and each known first header, a client encrypts a login with
// that key; detection must find the key (or an identical table listed
// earlier), decrypt the header in place, and continue the stream.
func testDetectBB(t *testing.T, keys []*BBKey) {
	r := rand.New(rand.NewPCG(21, 22))
	for _, k := range keys {
		for _, h := range bbFirstHeaders {
			seed := randomBytes(r, BBSeedSize)
			cmd := append(h[:], randomBytes(r, 8*r.IntN(30))...)
			next := pattern(0x28)
			wireCmd, wireNext := bytes.Clone(cmd), bytes.Clone(next)
			client, _ := NewBB(k, seed)
			client.Encrypt(wireCmd)
			client.Encrypt(wireNext)

			c, got, err := DetectBB(keys, seed, wireCmd[:8])
			if err != nil {
				t.Fatalf("%s, header % X: %v", k.Name, h, err)
			}
			if !sameTables(got, k) {
				t.Fatalf("%s, header % X: detected key %s", k.Name, h, got.Name)
			}
			c.Decrypt(wireCmd[8:])
			c.Decrypt(wireNext)
			if !bytes.Equal(wireCmd, cmd) || !bytes.Equal(wireNext, next) {
				t.Fatalf("%s, header % X: stream does not continue after detection", k.Name, h)
			}
		}
	}
}

func TestDetectBBRejectsNoise(t *testing.T) {
	keys := syntheticKeys(t)
	r := rand.New(rand.NewPCG(23, 24))
	for range 2000 {
		b := randomBytes(r, 8)
		orig := bytes.Clone(b)
		if _, _, err := DetectBB(keys, randomBytes(r, BBSeedSize), b); !errors.Is(err, ErrUnknownCipher) {
			t.Fatalf("noise % X: err %v", orig, err)
		}
		if !bytes.Equal(b, orig) {
			t.Fatal("a failed detection modified its input")
		}
	}
}

func TestDetectBBBadArguments(t *testing.T) {
	keys := syntheticKeys(t)
	for name, call := range map[string]func() error{
		"no keys":       func() error { _, _, err := DetectBB(nil, seedA(), make([]byte, 8)); return err },
		"short seed":    func() error { _, _, err := DetectBB(keys, seedA()[:47], make([]byte, 8)); return err },
		"7 bytes":       func() error { _, _, err := DetectBB(keys, seedA(), make([]byte, 7)); return err },
		"16 bytes":      func() error { _, _, err := DetectBB(keys, seedA(), make([]byte, 16)); return err },
		"nil key entry": func() error { _, _, err := DetectBB([]*BBKey{nil}, seedA(), make([]byte, 8)); return err },
	} {
		if err := call(); err == nil || errors.Is(err, ErrUnknownCipher) {
			t.Errorf("%s: error %v, want an argument error", name, err)
		}
	}
}
