package ociimage

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"
)

// File is one entry of a layer: a regular file, or a directory when Dir is
// set.
type File struct {
	// Path is slash-separated and relative to the image root, such as
	// "usr/bin/psobox".
	Path string
	Dir  bool
	// Mode holds the permission bits; anything else is refused.
	Mode     fs.FileMode
	UID, GID int
	Data     []byte
	// Caps, when set, become the file's security.capability attribute.
	Caps *FileCaps
}

// Layer is one filesystem layer: its files in order, every directory
// before what it holds.
type Layer struct {
	Files []File
	// CreatedBy says what the layer is, in the image's history.
	CreatedBy string
}

// builtLayer is a layer as stored: a gzip-compressed tar, and the digest of
// the uncompressed tar that the image config lists.
type builtLayer struct {
	blob   []byte
	diffID string
}

// capsPAXKey is how tar carries an extended attribute (the SCHILY.xattr
// convention that Docker, containerd and containers/storage read).
const capsPAXKey = "SCHILY.xattr." + CapsXattr

func buildLayer(l Layer, mtime time.Time) (builtLayer, error) {
	if err := checkFiles(l.Files); err != nil {
		return builtLayer{}, err
	}
	var raw bytes.Buffer
	tw := tar.NewWriter(&raw)
	for _, f := range l.Files {
		if err := writeEntry(tw, f, mtime); err != nil {
			return builtLayer{}, fmt.Errorf("layer %q: %s: %w", l.CreatedBy, f.Path, err)
		}
	}
	if err := tw.Close(); err != nil {
		return builtLayer{}, err
	}
	var blob bytes.Buffer
	zw := gzip.NewWriter(&blob) // the zero header: no name, no time, so the bytes are reproducible
	if _, err := zw.Write(raw.Bytes()); err != nil {
		return builtLayer{}, err
	}
	if err := zw.Close(); err != nil {
		return builtLayer{}, err
	}
	return builtLayer{blob: blob.Bytes(), diffID: digestOf(raw.Bytes())}, nil
}

func writeEntry(tw *tar.Writer, f File, mtime time.Time) error {
	hdr := &tar.Header{
		Typeflag: tar.TypeReg,
		Name:     f.Path,
		Mode:     int64(f.Mode.Perm()),
		Uid:      f.UID,
		Gid:      f.GID,
		Size:     int64(len(f.Data)),
		ModTime:  mtime.Truncate(time.Second),
	}
	if f.Dir {
		hdr.Typeflag, hdr.Name, hdr.Size = tar.TypeDir, f.Path+"/", 0
	}
	if f.Caps != nil {
		hdr.PAXRecords = map[string]string{capsPAXKey: string(f.Caps.Encode())}
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err := tw.Write(f.Data)
	return err
}

// checkFiles refuses paths an extractor could misread, duplicates, files
// whose directory comes later (or never), and modes other than permissions.
func checkFiles(files []File) error {
	dirs := map[string]bool{".": true}
	seen := map[string]bool{}
	for _, f := range files {
		p := f.Path
		switch {
		case p == "" || p != path.Clean(p) || path.IsAbs(p) || p == ".." || strings.HasPrefix(p, "../"):
			return fmt.Errorf("path %q: want a clean relative path inside the image", p)
		case seen[p]:
			return fmt.Errorf("path %q: listed twice", p)
		case !dirs[path.Dir(p)]:
			return fmt.Errorf("path %q: its directory %q is not listed before it", p, path.Dir(p))
		case f.Mode&^fs.ModePerm != 0:
			return fmt.Errorf("path %q: mode %v: only permission bits are allowed", p, f.Mode)
		case f.Dir && (f.Data != nil || f.Caps != nil):
			return fmt.Errorf("path %q: a directory has no data or capabilities", p)
		}
		seen[p] = true
		dirs[p] = f.Dir
	}
	return nil
}

func digestOf(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}
