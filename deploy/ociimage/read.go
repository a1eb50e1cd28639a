package ociimage

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Layout is an image archive read back, every digest, size and diff ID
// checked against its content.
type Layout struct {
	// RefName is the reference the one entry of index.json is tagged with.
	RefName string
	// Index is the image index that entry points at.
	Index  Index
	Images []ReadImage // in Index order
}

// ReadImage is one platform's image as found in an archive.
type ReadImage struct {
	Manifest Manifest
	Config   ImageConfig
	Layers   [][]Entry // bottom first
}

// Entry is one tar entry of a layer.
type Entry struct {
	Header tar.Header
	Data   []byte
}

// ReadArchive reads an archive written by WriteArchive (or any OCI layout
// tar whose index.json holds one image index) and checks it.
func ReadArchive(r io.Reader) (*Layout, error) {
	files, err := readTar(r)
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	if string(files["oci-layout"]) != `{"imageLayoutVersion":"1.0.0"}` {
		return nil, fmt.Errorf("archive: oci-layout is %q", files["oci-layout"])
	}
	var top Index
	if err := json.Unmarshal(files["index.json"], &top); err != nil {
		return nil, fmt.Errorf("archive: index.json: %w", err)
	}
	if len(top.Manifests) != 1 || top.Manifests[0].MediaType != MediaTypeIndex {
		return nil, fmt.Errorf("archive: index.json has %d entries; want one image index", len(top.Manifests))
	}
	l := &Layout{RefName: top.Manifests[0].Annotations[AnnotationRefName]}
	blobs := archiveBlobs(files)
	if err := blobs.readJSON(top.Manifests[0], &l.Index); err != nil {
		return nil, err
	}
	for _, desc := range l.Index.Manifests {
		img, err := blobs.readImage(desc)
		if err != nil {
			return nil, fmt.Errorf("archive: %s: %w", desc.Platform, err)
		}
		l.Images = append(l.Images, img)
	}
	return l, nil
}

func readTar(r io.Reader) (map[string][]byte, error) {
	entries, err := readEntries(tar.NewReader(r))
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, e := range entries {
		files[e.Header.Name] = e.Data
	}
	return files, nil
}

// archiveBlobs reads blobs by digest from the files of a layout.
type archiveBlobs map[string][]byte

// get returns the blob desc points at, checking its size and digest.
func (a archiveBlobs) get(desc Descriptor) ([]byte, error) {
	b, ok := a["blobs/sha256/"+strings.TrimPrefix(desc.Digest, "sha256:")]
	switch {
	case !ok || !strings.HasPrefix(desc.Digest, "sha256:"):
		return nil, fmt.Errorf("blob %s: missing", desc.Digest)
	case int64(len(b)) != desc.Size:
		return nil, fmt.Errorf("blob %s: %d bytes, descriptor says %d", desc.Digest, len(b), desc.Size)
	case digestOf(b) != desc.Digest:
		return nil, fmt.Errorf("blob %s: content has digest %s", desc.Digest, digestOf(b))
	}
	return b, nil
}

func (a archiveBlobs) readJSON(desc Descriptor, v any) error {
	b, err := a.get(desc)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("blob %s (%s): %w", desc.Digest, desc.MediaType, err)
	}
	return nil
}

func (a archiveBlobs) readImage(desc Descriptor) (ReadImage, error) {
	var img ReadImage
	if desc.MediaType != MediaTypeManifest || desc.Platform == nil {
		return img, fmt.Errorf("index entry %s: media type %q with platform %v; want a manifest with a platform", desc.Digest, desc.MediaType, desc.Platform)
	}
	if err := a.readJSON(desc, &img.Manifest); err != nil {
		return img, err
	}
	if err := a.readJSON(img.Manifest.Config, &img.Config); err != nil {
		return img, err
	}
	if img.Config.Platform != *desc.Platform {
		return img, fmt.Errorf("config is for %s, the index says %s", img.Config.Platform, desc.Platform)
	}
	if len(img.Config.RootFS.DiffIDs) != len(img.Manifest.Layers) {
		return img, fmt.Errorf("%d layers but %d diff IDs", len(img.Manifest.Layers), len(img.Config.RootFS.DiffIDs))
	}
	for i, ld := range img.Manifest.Layers {
		entries, err := a.readLayer(ld, img.Config.RootFS.DiffIDs[i])
		if err != nil {
			return img, err
		}
		img.Layers = append(img.Layers, entries)
	}
	return img, nil
}

func (a archiveBlobs) readLayer(desc Descriptor, diffID string) ([]Entry, error) {
	blob, err := a.get(desc)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(blob))
	if err != nil {
		return nil, fmt.Errorf("layer %s: %w", desc.Digest, err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("layer %s: %w", desc.Digest, err)
	}
	if digestOf(raw) != diffID {
		return nil, fmt.Errorf("layer %s: uncompressed digest %s, config says %s", desc.Digest, digestOf(raw), diffID)
	}
	entries, err := readEntries(tar.NewReader(bytes.NewReader(raw)))
	if err != nil {
		return nil, fmt.Errorf("layer %s: %w", desc.Digest, err)
	}
	return entries, nil
}

// readEntries reads a whole tar stream.
func readEntries(tr *tar.Reader) ([]Entry, error) {
	var entries []Entry
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return entries, nil
		}
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return nil, err
		}
		entries = append(entries, Entry{Header: *hdr, Data: data})
	}
}

// File returns the entry for path ("usr/bin/psobox"; a directory without
// its trailing slash) from the topmost layer that has it.
func (img ReadImage) File(path string) (Entry, bool) {
	for i := len(img.Layers) - 1; i >= 0; i-- {
		for _, e := range img.Layers[i] {
			if strings.TrimSuffix(e.Header.Name, "/") == path {
				return e, true
			}
		}
	}
	return Entry{}, false
}

// Caps decodes the entry's file capabilities; nil when it has none.
func (e Entry) Caps() (*FileCaps, error) {
	v, ok := e.Header.PAXRecords[capsPAXKey]
	if !ok {
		return nil, nil
	}
	c, err := DecodeFileCaps([]byte(v))
	return &c, err
}
