package image

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"os/exec"
)

// permPartition is gokrazy's writable partition: its number in the table.
const permPartition = 4

// FormatPerm makes an ext4 file system on the image's /perm partition.
// gokrazy mounts /perm only when it holds a file system, and upstream's
// formatter (gokrazy/mkfs) is not available here, so the image is built
// with one: psobox finds /perm/psobox writable on the first boot. mke2fs
// writes into the image file at the partition's offset, so no loop device
// or root is needed.
func FormatPerm(ctx context.Context, img string, log io.Writer) error {
	perm, err := partitionOf(img, permPartition)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "mkfs.ext4", "-q", "-F", "-L", "perm",
		"-E", fmt.Sprintf("offset=%d", perm.Offset()),
		img, fmt.Sprintf("%dk", perm.Size()/1024))
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("format /perm (partition %d) of %s: %w", permPartition, img, err)
	}
	return nil
}

func partitionOf(img string, number int) (Partition, error) {
	f, err := os.Open(img)
	if err != nil {
		return Partition{}, err
	}
	defer f.Close()
	parts, err := ReadPartitions(f)
	if err != nil {
		return Partition{}, fmt.Errorf("%s: %w", img, err)
	}
	for _, p := range parts {
		if p.Number == number {
			return p, nil
		}
	}
	return Partition{}, fmt.Errorf("%s has no partition %d", img, number)
}

// Ext4 is what the ext4 superblock says about a file system.
type Ext4 struct {
	Label string
	Bytes int64 // block count times block size
}

// ReadExt4 reads the superblock of the ext2/3/4 file system that starts at
// offset (1024 bytes in, magic 0xEF53 at byte 56 of it).
func ReadExt4(r io.ReaderAt, offset int64) (Ext4, error) {
	sb := make([]byte, 1024)
	if _, err := r.ReadAt(sb, offset+1024); err != nil {
		return Ext4{}, fmt.Errorf("read superblock: %w", err)
	}
	if magic := binary.LittleEndian.Uint16(sb[56:]); magic != 0xEF53 {
		return Ext4{}, fmt.Errorf("no ext4 file system (superblock magic %#04x, want 0xef53)", magic)
	}
	logBlock := binary.LittleEndian.Uint32(sb[24:])
	if logBlock > 6 { // 64 KiB blocks at most
		return Ext4{}, fmt.Errorf("implausible block size 2^(10+%d)", logBlock)
	}
	blocks := uint64(binary.LittleEndian.Uint32(sb[4:])) | uint64(binary.LittleEndian.Uint32(sb[0x150:]))<<32
	label := sb[120:136]
	for i, c := range label {
		if c == 0 {
			label = label[:i]
			break
		}
	}
	return Ext4{Label: string(label), Bytes: int64(blocks) << (10 + logBlock)}, nil
}
