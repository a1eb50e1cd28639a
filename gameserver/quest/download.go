package quest

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/psobox/psobox/gameserver/crypt"
	"github.com/psobox/psobox/gameserver/prs"
)

// downloadHeaderSize is the clear header of a download-quest file: the
// decompressed size and the cipher seed, both little-endian u32.
const downloadHeaderSize = 8

// EncodeDownload turns a PRS-compressed quest file into the form download
// quests travel in (A6/A7) and are saved in: the clear header, then the PRS
// data encrypted with the PSO V2 cipher seeded with seed. Every version,
// GameCube included, uses V2 here.
func EncodeDownload(compressed []byte, decompressedSize int, seed uint32) []byte {
	out := make([]byte, downloadHeaderSize, downloadHeaderSize+len(compressed))
	binary.LittleEndian.PutUint32(out[0:], uint32(decompressedSize))
	binary.LittleEndian.PutUint32(out[4:], seed)
	out = append(out, compressed...)
	// The cipher works on 4-byte words; a short last word uses the low
	// bytes of one keystream word, exactly as if the data were zero-padded.
	crypt.NewV2(seed).Encrypt(out[downloadHeaderSize:])
	return out
}

// DecodeDownload reverses EncodeDownload: it returns the PRS data and checks
// that it expands to the size in the header (at most maxSize bytes).
func DecodeDownload(data []byte, maxSize int) ([]byte, error) {
	if len(data) < downloadHeaderSize {
		return nil, errors.New("download quest file is shorter than its 8-byte header")
	}
	want := int64(binary.LittleEndian.Uint32(data[0:]))
	seed := binary.LittleEndian.Uint32(data[4:])
	if want > int64(maxSize) {
		return nil, fmt.Errorf("download quest file claims %d decompressed bytes, more than %d", want, maxSize)
	}
	compressed := append([]byte(nil), data[downloadHeaderSize:]...)
	crypt.NewV2(seed).Decrypt(compressed)
	got, err := prs.DecompressedSize(compressed, maxSize)
	if err != nil {
		return nil, fmt.Errorf("download quest data: %w", err)
	}
	if int64(got) != want {
		return nil, fmt.Errorf("download quest data expands to %d bytes, header says %d", got, want)
	}
	return compressed, nil
}
