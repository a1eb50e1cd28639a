package image

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// The file system tools come from Debian's squashfs-tools and mtools; they
// read a partition in place through an offset, so nothing needs root or a
// loop device.

// run runs a tool and returns its standard output; the error carries its
// standard error.
func run(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// mtools refuses FAT file systems whose geometry looks unusual to it.
	cmd.Env = append(os.Environ(), "MTOOLS_SKIP_CHECK=1")
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.Bytes(), nil
}

// fatImage is mtools' "image@@offset" way of naming a partition.
func fatImage(img string, p Partition) string { return fmt.Sprintf("%s@@%d", img, p.Offset()) }

// ListBoot lists the top-level names of the FAT boot partition.
func ListBoot(ctx context.Context, img string, p Partition) ([]string, error) {
	out, err := run(ctx, "mdir", "-b", "-i", fatImage(img, p), "::/")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if name, ok := strings.CutPrefix(strings.TrimSpace(line), "::/"); ok {
			names = append(names, name)
		}
	}
	return names, nil
}

// ReadBootFile returns one file of the FAT boot partition.
func ReadBootFile(ctx context.Context, img string, p Partition, name string) ([]byte, error) {
	return run(ctx, "mtype", "-i", fatImage(img, p), "::/"+name)
}

// ListRoot lists the files of a SquashFS root partition as absolute paths.
func ListRoot(ctx context.Context, img string, p Partition) ([]string, error) {
	out, err := run(ctx, "unsquashfs", "-o", fmt.Sprint(p.Offset()), "-d", "", "-lc", img)
	if err != nil {
		return nil, err
	}
	return strings.Fields(string(out)), nil
}

// ExtractRoot copies the named files (absolute paths inside the root file
// system) out of a SquashFS root partition into a new directory dest,
// keeping their paths below it.
func ExtractRoot(ctx context.Context, img string, p Partition, dest string, files ...string) error {
	args := []string{"-q", "-n", "-o", fmt.Sprint(p.Offset()), "-d", dest, img}
	for _, f := range files {
		args = append(args, strings.TrimPrefix(f, "/"))
	}
	if _, err := run(ctx, "unsquashfs", args...); err != nil {
		return err
	}
	for _, f := range files {
		if _, err := os.Lstat(filepath.Join(dest, f)); err != nil {
			return fmt.Errorf("%s is not in the root file system", f)
		}
	}
	return nil
}
