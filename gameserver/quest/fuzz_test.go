package quest

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/gameserver/prs"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

func FuzzParseHeader(f *testing.F) {
	for _, v := range []wire.Version{wire.DCNTE, wire.DC112000, wire.DCV2, wire.PCV2, wire.GCV3, wire.BBV4} {
		f.Add(uint8(v), syntheticScript(f, v, []byte{0xF8, 0xBC, 1, 0, 0, 0}))
	}
	f.Fuzz(func(t *testing.T, v uint8, script []byte) {
		h, err := ParseHeader(wire.Version(v), script, text.English)
		if err != nil {
			return
		}
		if int64(h.CodeOffset) > int64(len(script)) || h.Episode < Episode1 || h.Episode > Episode4 {
			t.Fatalf("accepted header with code offset %d in %d bytes, episode %d", h.CodeOffset, len(script), h.Episode)
		}
	})
}

func FuzzDecodeQST(f *testing.F) {
	for _, v := range []wire.Version{wire.DCV2, wire.PCV2, wire.GCV3, wire.XBV3, wire.BBV4} {
		small := &QST{Title: "t", Files: []QSTFile{{Name: "q1.bin", Data: []byte("abc")}, {Name: "q1.dat", Data: make([]byte, 0x401)}}}
		enc, err := EncodeQST(v, small, 1, text.English)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(enc)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		q, err := DecodeQST(data)
		if err != nil {
			return
		}
		// What decodes must encode and decode again to the same files.
		enc, err := EncodeQST(wire.BBV4, q, 1, text.English)
		if err != nil {
			for _, file := range q.Files {
				if checkFileName(file.Name) != nil {
					return // DC's 17-byte name field holds names no chunk command can
				}
			}
			t.Fatalf("decoded bundle does not encode: %v", err)
		}
		back, err := DecodeQST(enc)
		if err != nil {
			t.Fatalf("re-encoded bundle does not decode: %v", err)
		}
		if diff := cmp.Diff(q.Files, back.Files); diff != "" || q.Download != back.Download {
			t.Fatalf("files changed (-first +second)\n%s", diff)
		}
	})
}

func FuzzParseMetadata(f *testing.F) {
	f.Add([]byte(`{"Joinable": true, /* c */ "LockStatusRegister": 0xF9, // c` + "\n" + `"Name": "x",}`))
	f.Add([]byte(`{"Episode": 2, "Category": "vr", "EnemyEXPOverrides": {"a": [1, 2,],},}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseMetadata(data)
		if err != nil {
			return
		}
		if m.LockStatusRegister < -1 || m.LockStatusRegister > 0xFF {
			t.Fatalf("register %d accepted", m.LockStatusRegister)
		}
	})
}

func FuzzDecodeDownload(f *testing.F) {
	plain := bytes.Repeat([]byte("download "), 40)
	f.Add(EncodeDownload(prs.Compress(plain), len(plain), 0xDEADBEEF))
	f.Add([]byte{1, 0, 0, 0, 2, 0, 0, 0, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := DecodeDownload(data, 1<<16)
		if err != nil {
			return
		}
		size, err := prs.DecompressedSize(c, 1<<16)
		if err != nil {
			t.Fatalf("accepted payload does not decompress: %v", err)
		}
		seed := uint32(data[4]) | uint32(data[5])<<8 | uint32(data[6])<<16 | uint32(data[7])<<24
		if !bytes.Equal(EncodeDownload(c, size, seed), data) {
			t.Fatal("re-encoding with the carried seed differs")
		}
	})
}

func FuzzParseFileName(f *testing.F) {
	for _, s := range []string{"q058-gc-e.bin", "q058-gc.dat", "q058.json", "Q1-BB-K.QST", "q-x-y.z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseFileName(s)
		if err != nil {
			return
		}
		if n.hasVersion && VersionToken(n.version) == "" {
			t.Fatalf("%q: version %v has no token", s, n.version)
		}
	})
}
