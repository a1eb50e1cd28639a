package crypt

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseBBKeyRejects(t *testing.T) {
	good := make([]byte, BBKeyFileSize)
	badSubtype := bytes.Clone(good)
	binary.LittleEndian.PutUint64(badSubtype[BBKeyFileSize-8:], 4)
	hugeSubtype := bytes.Clone(good)
	binary.LittleEndian.PutUint64(hugeSubtype[BBKeyFileSize-8:], 1<<40)
	for name, tc := range map[string]struct {
		data []byte
		want string
	}{
		"empty":        {nil, "0 bytes, want 4176"},
		"short":        {good[:BBKeyFileSize-1], "4175 bytes"},
		"long":         {append(bytes.Clone(good), 0), "4177 bytes"},
		"subtype 4":    {badSubtype, "unknown subtype 4"},
		"subtype 2^40": {hugeSubtype, "unknown subtype 1099511627776"},
	} {
		_, err := ParseBBKey("k", tc.data)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), `"k"`) {
			t.Errorf("%s: error %v, want one naming the key and saying %q", name, err, tc.want)
		}
	}
	if _, err := ParseBBKey("k", good); err != nil {
		t.Errorf("all-zero STANDARD key: %v", err)
	}
}

func TestLoadBBKeysFixtures(t *testing.T) {
	keys := fixtureKeys(t)
	got := map[string]BBSubtype{}
	for _, k := range keys {
		got[k.Name] = k.Subtype
	}
	want := map[string]BBSubtype{
		"bfr1": BBMOCB1, "default": BBStandard, "default4": BBStandard, "jsd1": BBJSD1,
		"mocb1": BBMOCB1, "tethealla": BBMOCB1, "tfs1": BBTFS1,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("loaded keys (-want +got):\n%s", diff)
	}
}

// A broken file is reported by name and does not keep the good ones out.
func TestLoadBBKeysKeepsGoodFilesAndNamesBadOnes(t *testing.T) {
	dir := t.TempDir()
	good := make([]byte, BBKeyFileSize)
	badSubtype := bytes.Clone(good)
	badSubtype[BBKeyFileSize-8] = 9
	files := map[string][]byte{
		"a-good.nsk":      good,
		"b-short.nsk":     good[:100],
		"c-subtype.nsk":   badSubtype,
		"d-good.nsk":      good,
		"readme.txt":      []byte("not a key"),
		"e-good.nsk.orig": good[:5],
		"g-upper.NSK":     good,
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "f-dir.nsk"), 0o755); err != nil {
		t.Fatal(err)
	}
	keys, err := LoadBBKeys(dir)
	var names []string
	for _, k := range keys {
		names = append(names, k.Name)
	}
	if diff := cmp.Diff([]string{"a-good", "d-good", "g-upper"}, names); diff != "" {
		t.Errorf("loaded keys (-want +got):\n%s", diff)
	}
	if err == nil {
		t.Fatal("no error for the two bad files")
	}
	for _, want := range []string{"b-short.nsk", "100 bytes", "c-subtype.nsk", "unknown subtype 9"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestLoadBBKeysMissingDir(t *testing.T) {
	_, err := LoadBBKeys(filepath.Join(t.TempDir(), "absent"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("error %v, want one wrapping os.ErrNotExist", err)
	}
}

func TestNewBBRejects(t *testing.T) {
	k := syntheticKey(t, BBStandard, 1)
	for _, n := range []int{0, 47, 49, 96} {
		if _, err := NewBB(k, make([]byte, n)); err == nil {
			t.Errorf("seed of %d bytes accepted", n)
		}
	}
	if _, err := NewBB(nil, seedA()); err == nil {
		t.Error("nil key accepted")
	}
}

func TestBBRoundTripSyntheticKeys(t *testing.T) { testBBRoundTrip(t, syntheticKeys(t)) }

func TestBBRoundTripFixtureKeys(t *testing.T) { testBBRoundTrip(t, fixtureKeys(t)) }

func testBBRoundTrip(t *testing.T, keys []*BBKey) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, k := range keys {
		t.Run(k.Name, func(t *testing.T) {
			for range 20 {
				seed, plain := randomBytes(r, BBSeedSize), randomBytes(r, 8*r.IntN(400))
				split := 8 * r.IntN(len(plain)/8+1)
				data := bytes.Clone(plain)
				enc, _ := NewBB(k, seed)
				enc.Encrypt(data[:split])
				enc.Encrypt(data[split:])
				if len(plain) >= 16 && bytes.Equal(data, plain) {
					t.Fatal("encryption left the data unchanged")
				}
				dec, _ := NewBB(k, seed)
				dec.Decrypt(data[:split])
				dec.Decrypt(data[split:])
				if !bytes.Equal(data, plain) {
					t.Fatalf("round trip differs (len %d split %d)", len(plain), split)
				}
			}
		})
	}
}

// A trailing partial block is a framing bug upstream; it must neither panic
// nor disturb the whole blocks or the cipher's state.
func TestBBPartialBlockLeftUntouched(t *testing.T) {
	for _, k := range syntheticKeys(t) {
		a, _ := NewBB(k, seedA())
		b, _ := NewBB(k, seedA())
		odd := pattern(21)
		even := bytes.Clone(odd[:16])
		a.Encrypt(odd)
		b.Encrypt(even)
		if !bytes.Equal(odd[:16], even) || !bytes.Equal(odd[16:], pattern(21)[16:]) {
			t.Errorf("%s: partial block changed the result or was encrypted", k.Name)
		}
		next1, next2 := pattern(8), pattern(8)
		a.Encrypt(next1)
		b.Encrypt(next2)
		if !bytes.Equal(next1, next2) {
			t.Errorf("%s: partial block moved the cipher state", k.Name)
		}
		if a.BlockSize() != 8 || a.Subtype() != k.Subtype {
			t.Errorf("%s: BlockSize %d Subtype %v", k.Name, a.BlockSize(), a.Subtype())
		}
	}
}

// The Feistel subtypes are stateless per block; JSD1 is a stream whose
// output for a block depends on everything before it.
func TestBBStatefulnessBySubtype(t *testing.T) {
	for _, k := range syntheticKeys(t) {
		c, _ := NewBB(k, seedB())
		first, second := make([]byte, 8), make([]byte, 8)
		c.Encrypt(first)
		c.Encrypt(second)
		if stateless := bytes.Equal(first, second); stateless != (k.Subtype != BBJSD1) {
			t.Errorf("%s: equal blocks encrypt equally = %v", k.Name, stateless)
		}
	}
}

func TestBBSeedAndSubtypeMatter(t *testing.T) {
	k := syntheticKey(t, BBStandard, 1)
	ct := func(k *BBKey, seed []byte) []byte {
		c, err := NewBB(k, seed)
		if err != nil {
			t.Fatal(err)
		}
		b := pattern(64)
		c.Encrypt(b)
		return b
	}
	base := ct(k, seedA())
	if bytes.Equal(base, ct(k, seedB())) {
		t.Error("seed does not change the cipher")
	}
	for _, s := range []BBSubtype{BBMOCB1, BBJSD1, BBTFS1} {
		variant := *k
		variant.Subtype = s
		if bytes.Equal(base, ct(&variant, seedA())) {
			t.Errorf("subtype %v gives the same cipher as STANDARD", s)
		}
	}
}

func TestServerStreamSeed(t *testing.T) {
	server, client := seedA(), seedB()
	for _, k := range syntheticKeys(t) {
		got := k.ServerStreamSeed(server, client)
		want := server
		if k.Subtype == BBJSD1 {
			want = client
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: wrong seed for the server stream", k.Name)
		}
	}
}

func TestBBSubtypeString(t *testing.T) {
	got := []string{BBStandard.String(), BBMOCB1.String(), BBJSD1.String(), BBTFS1.String(), BBSubtype(7).String()}
	want := []string{"STANDARD", "MOCB1", "JSD1", "TFS1", "BBSubtype(7)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Error(diff)
	}
}
