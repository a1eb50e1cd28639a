package quest

import (
	"encoding/binary"
	"testing"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// gcCommand builds one GC-layout command.
func gcCommand(cmd, flag byte, body []byte) []byte {
	out := []byte{cmd, flag, 0, 0}
	binary.LittleEndian.PutUint16(out[2:], uint16(4+len(body)))
	return append(out, body...)
}

func gcOpen(cmd byte, name string, size int) []byte {
	body := make([]byte, 0x38)
	copy(body[0x24:], name)
	binary.LittleEndian.PutUint32(body[0x34:], uint32(size))
	return gcCommand(cmd, 0, body)
}

func gcWrite(cmd, index byte, name string, data []byte, size int) []byte {
	body := make([]byte, writeBodySize)
	copy(body, name)
	copy(body[0x10:], data)
	binary.LittleEndian.PutUint32(body[0x10+ChunkSize:], uint32(size))
	return gcCommand(cmd, index, body)
}

func concat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestDecodeQSTUnindexedChunks(t *testing.T) {
	full := make([]byte, ChunkSize)
	full[0], full[ChunkSize-1] = 'A', 'Z'
	in := concat(gcOpen(0x44, "quest1.bin", ChunkSize+2),
		gcWrite(0x13, 0, "quest1.bin", full, ChunkSize),
		gcWrite(0x13, 0, "quest1.bin", []byte("ok"), 2))
	q, err := DecodeQST(in)
	if err != nil {
		t.Fatal(err)
	}
	got := q.Files[0].Data
	if len(got) != ChunkSize+2 || got[0] != 'A' || got[ChunkSize-1] != 'Z' || string(got[ChunkSize:]) != "ok" {
		t.Errorf("chunks with index 0 were not taken in order")
	}
}

func TestDecodeQSTErrors(t *testing.T) {
	chunk := make([]byte, ChunkSize)
	open := gcOpen(0x44, "quest1.bin", 3)
	tests := map[string][]byte{
		"empty":              nil,
		"not a qst":          []byte("hello, world"),
		"truncated":          open[:len(open)-1],
		"size beyond data":   concat(open, gcWrite(0x13, 0, "quest1.bin", []byte("abc"), 3))[:len(open)+100],
		"unknown command":    concat(open, gcCommand(0x60, 0, make([]byte, 8))),
		"unopened file":      concat(open, gcWrite(0x13, 0, "quest2.bin", []byte("abc"), 3)),
		"chunk over 0x400":   concat(open, gcWrite(0x13, 0, "quest1.bin", []byte("abc"), ChunkSize+1)),
		"missing bytes":      concat(open, gcWrite(0x13, 0, "quest1.bin", []byte("ab"), 2)),
		"extra bytes":        concat(open, gcWrite(0x13, 0, "quest1.bin", []byte("abcd"), 4)),
		"mixed kinds":        concat(open, gcWrite(0xA7, 0, "quest1.bin", []byte("abc"), 3)),
		"opened twice":       concat(open, open),
		"open after chunk":   concat(open, gcWrite(0x13, 0, "quest1.bin", []byte("abc"), 3), gcOpen(0x44, "quest1.dat", 1)),
		"short open body":    gcCommand(0x44, 0, make([]byte, 0x30)),
		"short chunk body":   concat(open, gcCommand(0x13, 0, make([]byte, 0x20))),
		"claims 1 GiB":       gcOpen(0x44, "quest1.bin", 1<<30),
		"empty file name":    gcOpen(0x44, "", 3),
		"chunk beyond end":   concat(gcOpen(0x44, "quest1.bin", ChunkSize+3), gcWrite(0x13, 2, "quest1.bin", []byte("abc"), 3)),
		"duplicate chunk":    concat(gcOpen(0x44, "quest1.bin", ChunkSize+3), gcWrite(0x13, 1, "quest1.bin", []byte("abc"), 3), gcWrite(0x13, 1, "quest1.bin", []byte("abc"), 3)),
		"short middle chunk": concat(gcOpen(0x44, "quest1.bin", ChunkSize+3), gcWrite(0x13, 0, "quest1.bin", chunk, 3), gcWrite(0x13, 1, "quest1.bin", chunk, ChunkSize)),
	}
	for name, in := range tests {
		if _, err := DecodeQST(in); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestEncodeQSTErrors(t *testing.T) {
	long := &QST{Files: []QSTFile{{Name: "a-name-longer-than-16.bin", Data: []byte{1}}}}
	if _, err := EncodeQST(wire.GCV3, long, 1, text.English); err == nil {
		t.Error("long file name accepted")
	}
	big := &QST{Files: []QSTFile{{Name: "quest1.bin", Data: make([]byte, 0x101*ChunkSize)}}}
	if _, err := EncodeQST(wire.GCV3, big, 1, text.English); err == nil {
		t.Error("257 chunks accepted with a one-byte index")
	}
	if _, err := EncodeQST(wire.BBV4, big, 1, text.English); err != nil {
		t.Errorf("BB's four-byte index refused 257 chunks: %v", err)
	}
	if _, err := EncodeQST(wire.PCPatch, big, 1, text.English); err == nil {
		t.Error("patch version accepted")
	}
}
