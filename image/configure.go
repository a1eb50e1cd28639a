package image

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"

	"github.com/psobox/psobox/appliance/config"
)

// Changes are what Configure puts into a built image.
type Changes struct {
	// Config is a psobox config file to install as ConfigPath; "" keeps
	// the image's.
	Config string
	// Password replaces gokrazy's web interface password; "" keeps it.
	Password string
}

// Configure rewrites the active root file system of a built image with
// the given changes, so that a released image can be flashed with one's
// own settings without building it. The root is a read-only SquashFS, so
// it is unpacked, changed and packed again (unsquashfs and mksquashfs from
// squashfs-tools) and written over the old one in the same partition.
func Configure(ctx context.Context, img string, in *Instance, ch Changes) (*Report, error) {
	if ch.Config == "" && ch.Password == "" {
		return nil, errors.New("nothing to change: give a config file, a password or both")
	}
	if err := checkNewConfig(ch.Config); err != nil {
		return nil, err
	}
	root, err := activeRoot(ctx, img)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "psobox-image-configure-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	squash, err := repack(ctx, img, root, tmp, ch)
	if err != nil {
		return nil, err
	}
	if err := writeRoot(img, root, squash); err != nil {
		return nil, err
	}
	return Check(ctx, img, in)
}

// checkNewConfig refuses a config psobox would refuse, or one that cannot
// work on gokrazy, before anything is written.
func checkNewConfig(path string) error {
	if path == "" {
		return nil
	}
	cfg, err := config.Load(path)
	if err != nil {
		return err
	}
	if errs := ConfigProblems(cfg); len(errs) > 0 {
		return fmt.Errorf("%s: %w", path, errors.Join(errs...))
	}
	return nil
}

var partnroff = regexp.MustCompile(`root=PARTUUID=\S+/PARTNROFF=(\d)`)

// activeRoot is the root partition cmdline.txt boots: partition 2 on a
// fresh image, partition 3 after an odd number of gokrazy updates.
func activeRoot(ctx context.Context, img string) (Partition, error) {
	boot, err := partitionOf(img, 1)
	if err != nil {
		return Partition{}, err
	}
	cmdline, err := ReadBootFile(ctx, img, boot, "cmdline.txt")
	if err != nil {
		return Partition{}, err
	}
	m := partnroff.FindSubmatch(cmdline)
	if m == nil {
		return Partition{}, fmt.Errorf("cmdline.txt %q names no root partition", cmdline)
	}
	off, _ := strconv.Atoi(string(m[1]))
	return partitionOf(img, 1+off)
}

// repack unpacks the root file system into dir, applies the changes and
// packs it into dir/root.squashfs.
func repack(ctx context.Context, img string, root Partition, dir string, ch Changes) (string, error) {
	tree := filepath.Join(dir, "root")
	if _, err := run(ctx, "unsquashfs", "-q", "-n", "-o", fmt.Sprint(root.Offset()), "-d", tree, img); err != nil {
		return "", err
	}
	if ch.Config != "" {
		if err := copyFile(ch.Config, filepath.Join(tree, ConfigPath), 0o644); err != nil {
			return "", err
		}
	}
	if ch.Password != "" {
		if err := replaceFile(filepath.Join(tree, "etc", "gokr-pw.txt"), []byte(ch.Password), 0o400); err != nil {
			return "", err
		}
	}
	squash := filepath.Join(dir, "root.squashfs")
	// gzip is the compression gokrazy's kernels read; every file belongs
	// to root as in the image monogok wrote.
	_, err := run(ctx, "mksquashfs", tree, squash, "-noappend", "-quiet", "-no-progress",
		"-comp", "gzip", "-all-root", "-no-xattrs")
	return squash, err
}

func copyFile(src, dst string, mode os.FileMode) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return replaceFile(dst, data, mode)
}

// replaceFile writes a file that must already exist in the unpacked root.
func replaceFile(path string, data []byte, mode os.FileMode) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("the image has no %s to replace: %w", path, err)
	}
	if err := os.Remove(path); err != nil { // it may be read-only (0400)
		return err
	}
	return os.WriteFile(path, data, mode)
}

// writeRoot puts the new SquashFS at the start of the root partition and
// zeroes what is left of the old one, so that the image still compresses
// as well as before.
func writeRoot(img string, root Partition, squash string) error {
	data, err := os.ReadFile(squash)
	if err != nil {
		return err
	}
	if int64(len(data)) > root.Size() {
		return fmt.Errorf("new root file system is %d bytes; partition %d holds %d", len(data), root.Number, root.Size())
	}
	f, err := os.OpenFile(img, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	old, err := squashfsBytesUsed(f, root.Offset())
	if err != nil {
		return err
	}
	if _, err := f.WriteAt(data, root.Offset()); err != nil {
		return err
	}
	if tail := old - int64(len(data)); tail > 0 {
		if _, err := f.WriteAt(make([]byte, tail), root.Offset()+int64(len(data))); err != nil {
			return err
		}
	}
	return f.Close()
}

// squashfsBytesUsed reads the length of the SquashFS at offset from its
// superblock (magic "hsqs", bytes_used at byte 40).
func squashfsBytesUsed(r io.ReaderAt, offset int64) (int64, error) {
	sb := make([]byte, 96)
	if _, err := r.ReadAt(sb, offset); err != nil {
		return 0, err
	}
	if string(sb[:4]) != "hsqs" {
		return 0, fmt.Errorf("no SquashFS at byte %d", offset)
	}
	return int64(binary.LittleEndian.Uint64(sb[40:])), nil
}
