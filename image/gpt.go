package image

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"unicode/utf16"
)

const sectorSize = 512

// GPT partition type GUIDs gokrazy images use.
const (
	TypeEFISystem = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"
	TypeLinuxData = "0FC63DAF-8483-4772-8E79-3D69D8477DE4"
	TypeRootARM64 = "B921B045-1DF0-41C3-AF44-4C6F280D3FAE"
	TypeRootAMD64 = "4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709"
)

// Partition is one used GPT entry.
type Partition struct {
	Number   int    // 1-based
	Type     string // type GUID, upper case
	GUID     string // unique partition GUID, lower case (as in PARTUUID=)
	FirstLBA uint64
	LastLBA  uint64
	Name     string
}

// Offset is where the partition starts, in bytes from the image start.
func (p Partition) Offset() int64 { return int64(p.FirstLBA) * sectorSize }

// Size is the partition's length in bytes.
func (p Partition) Size() int64 { return int64(p.LastLBA-p.FirstLBA+1) * sectorSize }

// MBREntry is one of the four primary entries of the (hybrid) MBR, which
// the Raspberry Pi boot ROM reads instead of the GPT.
type MBREntry struct {
	Type     byte
	FirstLBA uint32
	Sectors  uint32
}

// gptHeader is the fixed part of the GPT header at LBA 1 (UEFI 2.x, 5.3.2).
type gptHeader struct {
	Signature      [8]byte
	Revision       uint32
	HeaderSize     uint32
	HeaderCRC      uint32
	_              uint32
	CurrentLBA     uint64
	BackupLBA      uint64
	FirstUsableLBA uint64
	LastUsableLBA  uint64
	DiskGUID       [16]byte
	EntriesLBA     uint64
	NumEntries     uint32
	EntrySize      uint32
	EntriesCRC     uint32
}

// gptEntry is one partition entry (UEFI 2.x, 5.3.3), without the name.
type gptEntry struct {
	Type       [16]byte
	GUID       [16]byte
	FirstLBA   uint64
	LastLBA    uint64
	Attributes uint64
}

// ReadPartitions parses the primary GPT of a disk image, verifying its
// checksums, and returns its used entries in table order.
func ReadPartitions(r io.ReaderAt) ([]Partition, error) {
	h, err := readGPTHeader(r)
	if err != nil {
		return nil, err
	}
	table := make([]byte, int(h.NumEntries)*int(h.EntrySize))
	if _, err := r.ReadAt(table, int64(h.EntriesLBA)*sectorSize); err != nil {
		return nil, fmt.Errorf("read GPT entries: %w", err)
	}
	if crc := crc32.ChecksumIEEE(table); crc != h.EntriesCRC {
		return nil, fmt.Errorf("GPT entries checksum %08x, header says %08x: corrupt partition table", crc, h.EntriesCRC)
	}
	var parts []Partition
	for i := range int(h.NumEntries) {
		raw := table[i*int(h.EntrySize) : (i+1)*int(h.EntrySize)]
		p, used := parseEntry(raw, i+1)
		if !used {
			continue
		}
		if p.LastLBA < p.FirstLBA || p.FirstLBA < h.FirstUsableLBA || p.LastLBA > h.LastUsableLBA {
			return nil, fmt.Errorf("GPT partition %d spans LBA %d..%d, outside the usable %d..%d", p.Number, p.FirstLBA, p.LastLBA, h.FirstUsableLBA, h.LastUsableLBA)
		}
		parts = append(parts, p)
	}
	return parts, nil
}

// readGPTHeader reads and verifies the header at LBA 1.
func readGPTHeader(r io.ReaderAt) (gptHeader, error) {
	var h gptHeader
	sector := make([]byte, sectorSize)
	if _, err := r.ReadAt(sector, sectorSize); err != nil {
		return h, fmt.Errorf("read GPT header: %w", err)
	}
	_ = binary.Read(bytes.NewReader(sector), binary.LittleEndian, &h) // the sector is larger than h
	if string(h.Signature[:]) != "EFI PART" {
		return h, errors.New("no GPT: LBA 1 does not start with \"EFI PART\"")
	}
	if h.HeaderSize < 92 || h.HeaderSize > sectorSize {
		return h, fmt.Errorf("GPT header size %d is not between 92 and %d", h.HeaderSize, sectorSize)
	}
	raw := append([]byte(nil), sector[:h.HeaderSize]...)
	binary.LittleEndian.PutUint32(raw[16:], 0) // the checksum covers itself as zero
	if crc := crc32.ChecksumIEEE(raw); crc != h.HeaderCRC {
		return h, fmt.Errorf("GPT header checksum %08x, header says %08x: corrupt partition table", crc, h.HeaderCRC)
	}
	if h.EntrySize < 128 || h.EntrySize > 4096 || h.NumEntries > 1024 {
		return h, fmt.Errorf("GPT header has implausible entries: %d of %d bytes", h.NumEntries, h.EntrySize)
	}
	return h, nil
}

func parseEntry(raw []byte, number int) (Partition, bool) {
	var e gptEntry
	_ = binary.Read(bytes.NewReader(raw), binary.LittleEndian, &e) // raw is >= 128 bytes
	if e.Type == [16]byte{} {
		return Partition{}, false
	}
	return Partition{
		Number:   number,
		Type:     strings.ToUpper(formatGUID(e.Type)),
		GUID:     formatGUID(e.GUID),
		FirstLBA: e.FirstLBA,
		LastLBA:  e.LastLBA,
		Name:     utf16Name(raw[56:128]),
	}, true
}

// formatGUID renders a GUID in its mixed-endian on-disk layout: the first
// three groups are little-endian, the last two are bytes in order.
func formatGUID(b [16]byte) string {
	return fmt.Sprintf("%08x-%04x-%04x-%x-%x",
		binary.LittleEndian.Uint32(b[0:4]), binary.LittleEndian.Uint16(b[4:6]),
		binary.LittleEndian.Uint16(b[6:8]), b[8:10], b[10:16])
}

func utf16Name(raw []byte) string {
	units := make([]uint16, 0, len(raw)/2)
	for i := 0; i+1 < len(raw); i += 2 {
		u := binary.LittleEndian.Uint16(raw[i:])
		if u == 0 {
			break
		}
		units = append(units, u)
	}
	return string(utf16.Decode(units))
}

// ReadMBR returns the four primary entries of the MBR at LBA 0.
func ReadMBR(r io.ReaderAt) ([4]MBREntry, error) {
	var out [4]MBREntry
	sector := make([]byte, sectorSize)
	if _, err := r.ReadAt(sector, 0); err != nil {
		return out, fmt.Errorf("read MBR: %w", err)
	}
	if sector[510] != 0x55 || sector[511] != 0xAA {
		return out, errors.New("no MBR boot signature 55 AA at LBA 0")
	}
	for i := range out {
		e := sector[446+16*i:]
		out[i] = MBREntry{
			Type:     e[4],
			FirstLBA: binary.LittleEndian.Uint32(e[8:12]),
			Sectors:  binary.LittleEndian.Uint32(e[12:16]),
		}
	}
	return out, nil
}
