package ociimage

import (
	"archive/tar"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Image is one platform's image.
type Image struct {
	Platform Platform
	Layers   []Layer // bottom first
	Config   RunConfig
}

// Build is a multi-platform image.
type Build struct {
	// Created is the time in every config and on every file: take it from
	// the source (the commit time, SOURCE_DATE_EPOCH) to build reproducibly.
	Created time.Time
	// RefName tags the image index in index.json. A full reference, such
	// as "ghcr.io/psobox/psobox:v1.2.0", is what loading the archive into
	// podman or containerd names the image.
	RefName string
	// Annotations go on the image index; registries such as GHCR show
	// org.opencontainers.image.description and .source from there.
	Annotations map[string]string
	Images      []Image
}

// refName is the grammar the layout spec gives for ref.name.
var refName = regexp.MustCompile(`^[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*(?:/[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*)*$`)

// WriteArchive writes b as an OCI image layout packed in a tar stream.
func WriteArchive(w io.Writer, b Build) error {
	if err := b.check(); err != nil {
		return err
	}
	blobs := blobStore{}
	var platforms []Descriptor
	for _, img := range b.Images {
		desc, err := img.store(blobs, b.Created)
		if err != nil {
			return fmt.Errorf("image %s: %w", img.Platform, err)
		}
		platforms = append(platforms, desc)
	}
	index, err := blobs.addJSON(MediaTypeIndex, Index{
		SchemaVersion: 2, MediaType: MediaTypeIndex, Manifests: platforms, Annotations: b.Annotations,
	})
	if err != nil {
		return err
	}
	index.Annotations = map[string]string{AnnotationRefName: b.RefName, AnnotationImageName: b.RefName}
	return writeLayout(w, Index{SchemaVersion: 2, MediaType: MediaTypeIndex, Manifests: []Descriptor{index}}, blobs, b.Created)
}

func (b Build) check() error {
	if !refName.MatchString(b.RefName) {
		return fmt.Errorf("ref name %q: want letters and digits joined by - . _ : @ +", b.RefName)
	}
	if len(b.Images) == 0 {
		return errors.New("no images to write")
	}
	seen := map[Platform]bool{}
	for _, img := range b.Images {
		if img.Platform.OS == "" || img.Platform.Architecture == "" {
			return fmt.Errorf("image platform %q: want an os and an architecture", img.Platform)
		}
		if seen[img.Platform] {
			return fmt.Errorf("platform %s: listed twice", img.Platform)
		}
		seen[img.Platform] = true
	}
	return nil
}

// store adds the image's layers, config and manifest to blobs and returns
// the manifest's descriptor for the index.
func (img Image) store(blobs blobStore, created time.Time) (Descriptor, error) {
	cfg := ImageConfig{Created: &created, Platform: img.Platform, Config: img.Config, RootFS: RootFS{Type: "layers", DiffIDs: []string{}}}
	var layers []Descriptor
	for _, l := range img.Layers {
		built, err := buildLayer(l, created)
		if err != nil {
			return Descriptor{}, err
		}
		layers = append(layers, blobs.add(MediaTypeLayer, built.blob))
		cfg.RootFS.DiffIDs = append(cfg.RootFS.DiffIDs, built.diffID)
		cfg.History = append(cfg.History, History{Created: &created, CreatedBy: l.CreatedBy})
	}
	config, err := blobs.addJSON(MediaTypeConfig, cfg)
	if err != nil {
		return Descriptor{}, err
	}
	manifest, err := blobs.addJSON(MediaTypeManifest, Manifest{
		SchemaVersion: 2, MediaType: MediaTypeManifest, Config: config, Layers: layers,
	})
	manifest.Platform = &img.Platform
	return manifest, err
}

// blobStore holds blobs by digest; identical blobs (a layer shared by every
// platform) are stored once.
type blobStore map[string][]byte

func (s blobStore) add(mediaType string, b []byte) Descriptor {
	d := digestOf(b)
	s[d] = b
	return Descriptor{MediaType: mediaType, Digest: d, Size: int64(len(b))}
}

func (s blobStore) addJSON(mediaType string, v any) (Descriptor, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return Descriptor{}, fmt.Errorf("encode %s: %w", mediaType, err)
	}
	return s.add(mediaType, b), nil
}

// layoutEntry is a file of the layout; a name ending in / is a directory.
type layoutEntry struct {
	name string
	data []byte
}

// writeLayout writes oci-layout, index.json and the blobs in digest order.
func writeLayout(w io.Writer, top Index, blobs blobStore, mtime time.Time) error {
	indexJSON, err := json.Marshal(top)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(w)
	files := []layoutEntry{
		{"oci-layout", []byte(`{"imageLayoutVersion":"1.0.0"}`)},
		{"index.json", indexJSON},
		{"blobs/", nil},
		{"blobs/sha256/", nil},
	}
	for _, d := range slices.Sorted(maps.Keys(blobs)) {
		files = append(files, layoutEntry{"blobs/sha256/" + strings.TrimPrefix(d, "sha256:"), blobs[d]})
	}
	for _, f := range files {
		if err := writeLayoutEntry(tw, f.name, f.data, mtime); err != nil {
			return fmt.Errorf("write %s: %w", f.name, err)
		}
	}
	return tw.Close()
}

func writeLayoutEntry(tw *tar.Writer, name string, data []byte, mtime time.Time) error {
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: 0o644, Size: int64(len(data)), ModTime: mtime.Truncate(time.Second)}
	if strings.HasSuffix(name, "/") {
		hdr.Typeflag, hdr.Mode = tar.TypeDir, 0o755
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err := tw.Write(data)
	return err
}
