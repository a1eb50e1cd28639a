package image

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/internal/testenv"
)

// parseGUID is formatGUID's inverse, for building test tables.
func parseGUID(t testing.TB, s string) [16]byte {
	var b [16]byte
	h := strings.ReplaceAll(s, "-", "")
	raw := make([]byte, 16)
	for i := range raw {
		var v byte
		for _, c := range h[2*i : 2*i+2] {
			v = v<<4 | byte(strings.IndexRune("0123456789abcdef", c|0x20))
		}
		raw[i] = v
	}
	binary.LittleEndian.PutUint32(b[0:], binary.BigEndian.Uint32(raw[0:]))
	binary.LittleEndian.PutUint16(b[4:], binary.BigEndian.Uint16(raw[4:]))
	binary.LittleEndian.PutUint16(b[6:], binary.BigEndian.Uint16(raw[6:]))
	copy(b[8:], raw[8:])
	return b
}

// writeGPT lays out a primary GPT (protective MBR, header, numEntries
// entries; real tables have 128) for parts on a disk of the given sectors,
// with correct checksums.
func writeGPT(t testing.TB, sectors uint64, numEntries uint32, parts []Partition) []byte {
	img := make([]byte, 2*sectorSize+int(numEntries)*128)
	mbr := img[446:]
	mbr[4] = 0xEE
	binary.LittleEndian.PutUint32(mbr[8:], 1)
	binary.LittleEndian.PutUint32(mbr[12:], uint32(sectors-1))
	img[510], img[511] = 0x55, 0xAA
	entries := img[2*sectorSize:]
	for i, p := range parts {
		e := entries[128*i:]
		typ, guid := parseGUID(t, p.Type), parseGUID(t, p.GUID)
		copy(e[0:], typ[:])
		copy(e[16:], guid[:])
		binary.LittleEndian.PutUint64(e[32:], p.FirstLBA)
		binary.LittleEndian.PutUint64(e[40:], p.LastLBA)
		for j, u := range utf16.Encode([]rune(p.Name)) {
			binary.LittleEndian.PutUint16(e[56+2*j:], u)
		}
	}
	h := gptHeader{HeaderSize: 92, CurrentLBA: 1, BackupLBA: sectors - 1, FirstUsableLBA: 34,
		LastUsableLBA: sectors - 34, EntriesLBA: 2, NumEntries: numEntries, EntrySize: 128,
		EntriesCRC: crc32.ChecksumIEEE(entries)}
	copy(h.Signature[:], "EFI PART")
	h.Revision = 0x00010000
	var buf bytes.Buffer
	_ = binary.Write(&buf, binary.LittleEndian, h)
	hdr := buf.Bytes()
	binary.LittleEndian.PutUint32(hdr[16:], crc32.ChecksumIEEE(hdr[:92]))
	copy(img[sectorSize:], hdr)
	return img
}

func testParts() []Partition {
	return []Partition{
		{Number: 1, Type: TypeEFISystem, GUID: "60c24cc1-f3f9-427a-8199-bcfe1f100001", FirstLBA: 2048, LastLBA: 4095, Name: "boot"},
		{Number: 2, Type: TypeRootARM64, GUID: "60c24cc1-f3f9-427a-8199-bcfe1f100002", FirstLBA: 4096, LastLBA: 8191, Name: "root A"},
	}
}

func TestReadPartitions(t *testing.T) {
	img := writeGPT(t, 16384, 128, testParts())
	got, err := ReadPartitions(bytes.NewReader(img))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(testParts(), got); diff != "" {
		t.Errorf("partitions (-want +got):\n%s", diff)
	}
	mbr, err := ReadMBR(bytes.NewReader(img))
	if err != nil || mbr[0].Type != 0xEE || mbr[0].FirstLBA != 1 {
		t.Errorf("ReadMBR = %+v, %v; want the protective entry first", mbr, err)
	}
}

func TestReadPartitionsRefusesCorruptTables(t *testing.T) {
	tests := []struct {
		name    string
		corrupt func([]byte)
		want    string
	}{
		{"no signature", func(b []byte) { b[sectorSize] = 'X' }, "no GPT"},
		{"header checksum", func(b []byte) { b[sectorSize+24]++ }, "header checksum"},
		{"entries checksum", func(b []byte) { b[2*sectorSize+32]++ }, "entries checksum"},
		{"truncated", nil, "read GPT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := writeGPT(t, 16384, 128, testParts())
			if tt.corrupt != nil {
				tt.corrupt(img)
			} else {
				img = img[:sectorSize+100]
			}
			_, err := ReadPartitions(bytes.NewReader(img))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ReadPartitions = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// sfdisk (util-linux) reads the same table the same way: an independent
// check of the GUID byte order and the name decoding.
func TestReadPartitionsAgreesWithSfdisk(t *testing.T) {
	sfdisk := testenv.RequireTool(t, "sfdisk")
	path := filepath.Join(t.TempDir(), "disk.img")
	if err := os.WriteFile(path, make([]byte, 16384*sectorSize), 0o644); err != nil {
		t.Fatal(err)
	}
	script := "label: gpt\nstart=2048, size=2048, type=" + TypeEFISystem + ", uuid=60c24cc1-f3f9-427a-8199-bcfe1f100001, name=\"boot\"\n" +
		"start=4096, size=4096, type=" + TypeRootARM64 + ", uuid=60c24cc1-f3f9-427a-8199-bcfe1f100002, name=\"root A\"\n"
	cmd := exec.CommandContext(context.Background(), sfdisk, "--quiet", path)
	cmd.Stdin = strings.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sfdisk: %v: %s", err, out)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := ReadPartitions(f)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(testParts(), got); diff != "" {
		t.Errorf("partitions (-sfdisk +ReadPartitions):\n%s", diff)
	}
	var dump struct {
		Partitiontable struct {
			Partitions []struct{ Start, Size uint64 }
		}
	}
	out, err := exec.CommandContext(context.Background(), sfdisk, "--json", path).Output()
	if err != nil || json.Unmarshal(out, &dump) != nil || len(dump.Partitiontable.Partitions) != 2 {
		t.Fatalf("sfdisk --json: %v: %s", err, out)
	}
	for i, p := range dump.Partitiontable.Partitions {
		if p.Start != got[i].FirstLBA || int64(p.Size)*sectorSize != got[i].Size() {
			t.Errorf("partition %d: sfdisk says start %d size %d, ReadPartitions %d and %d bytes", i+1, p.Start, p.Size, got[i].FirstLBA, got[i].Size())
		}
	}
}

// The image parsers read files users hand the tool: no input may crash
// them, and what they accept must be consistent.
func FuzzReadImage(f *testing.F) {
	// Small tables keep the inputs short enough for the mutator.
	f.Add(writeGPT(f, 16384, 4, testParts()))
	f.Add(make([]byte, 3*sectorSize))
	f.Add([]byte("EFI PART"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bytes.NewReader(data)
		if parts, err := ReadPartitions(r); err == nil {
			for _, p := range parts {
				if p.Size() <= 0 || p.Number < 1 {
					t.Errorf("accepted partition %+v", p)
				}
			}
		}
		_, _ = ReadMBR(r)
		if fs, err := ReadExt4(r, 0); err == nil && fs.Bytes < 0 {
			t.Errorf("ext4 of %d bytes", fs.Bytes)
		}
	})
}
