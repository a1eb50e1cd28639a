package quest

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/psobox/psobox/gameserver/crypt"
	"github.com/psobox/psobox/gameserver/prs"
)

// TestDownloadFormFixture encodes the fixture download quest and checks the
// result the way a client reads it: clear header, then V2-encrypted PRS data
// that expands to the size in the header.
func TestDownloadFormFixture(t *testing.T) {
	for _, file := range []string{"download/q050-dc-e.bin", "download/q050-dc.dat"} {
		compressed := fixture(t, file)
		plain := decompress(t, compressed)
		const seed = 0xC0FFEE11
		enc := EncodeDownload(compressed, len(plain), seed)
		if got := binary.LittleEndian.Uint32(enc[0:]); int(got) != len(plain) {
			t.Errorf("%s: header size %d, want %d", file, got, len(plain))
		}
		if got := binary.LittleEndian.Uint32(enc[4:]); got != seed {
			t.Errorf("%s: header seed %08X", file, got)
		}
		body := append([]byte(nil), enc[8:]...)
		if bytes.Equal(body[:64], compressed[:64]) {
			t.Fatalf("%s: payload is not encrypted", file)
		}
		crypt.NewV2(seed).Decrypt(body)
		if !bytes.Equal(body, compressed) {
			t.Fatalf("%s: decrypting with the carried seed does not give the PRS data", file)
		}
		back, err := DecodeDownload(enc, maxFileSize)
		if err != nil || !bytes.Equal(back, compressed) {
			t.Fatalf("%s: DecodeDownload: %v", file, err)
		}
	}
}

// TestDownloadOddLengths covers payloads that end inside a cipher word.
func TestDownloadOddLengths(t *testing.T) {
	for n := 0; n < 12; n++ {
		plain := bytes.Repeat([]byte{byte(n)}, n*5)
		c := prs.Compress(plain)
		back, err := DecodeDownload(EncodeDownload(c, len(plain), uint32(n)*0x1001), 1<<16)
		if err != nil || !bytes.Equal(back, c) {
			t.Fatalf("length %d: %v", len(c), err)
		}
	}
}

func TestDecodeDownloadErrors(t *testing.T) {
	plain := []byte("a download quest payload, a download quest payload")
	c := prs.Compress(plain)
	good := EncodeDownload(c, len(plain), 99)
	if _, err := DecodeDownload(good, 1<<16); err != nil {
		t.Fatalf("good payload: %v", err)
	}
	wrongSize := EncodeDownload(c, len(plain)+1, 99)
	huge := EncodeDownload(c, 1<<30, 99)
	wrongSeed := append([]byte(nil), good...)
	wrongSeed[4] ^= 1
	for name, in := range map[string][]byte{
		"short": good[:7], "wrong size": wrongSize, "size over limit": huge, "wrong seed": wrongSeed,
	} {
		if _, err := DecodeDownload(in, 1<<16); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
