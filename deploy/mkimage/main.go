// Command mkimage builds psobox's container image: a multi-platform OCI
// archive (linux/amd64, linux/arm64, linux/arm/v6) holding only the static
// psobox and psobot binaries that `make cross` built, an unprivileged user,
// and file capabilities that let that user bind ports 53 and 67. It needs
// no Docker daemon, registry, base image or emulator.
//
// Usage (what `make container` runs):
//
//	mkimage [-bin dist] [-o dist/psobox-oci.tar] [-name ghcr.io/psobox/psobox] [-version v1.2.0] [-revision abc1234] [-source URL]
//
// Every timestamp in the image is $SOURCE_DATE_EPOCH (default 0), so the
// same binaries always give the same digests.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/psobox/psobox/deploy/ociimage"
)

func main() {
	if err := run(os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "mkimage: %v\n", err)
		os.Exit(1)
	}
}

// options are mkimage's command line.
type options struct {
	binDir, out                     string
	name, version, revision, source string
	created                         time.Time
}

func parseOptions(args []string, getenv func(string) string) (options, error) {
	var o options
	fs := flag.NewFlagSet("mkimage", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.binDir, "bin", "dist", "`directory` holding psobox-linux-{amd64,arm64,armv6} and psobot-linux-*")
	fs.StringVar(&o.out, "o", filepath.Join("dist", "psobox-oci.tar"), "archive `file` to write")
	fs.StringVar(&o.name, "name", "ghcr.io/psobox/psobox", "image `name`: loading the archive into podman or containerd names the image name:version")
	fs.StringVar(&o.version, "version", "dev", "image version: tag and label")
	fs.StringVar(&o.revision, "revision", "", "source revision label (git commit)")
	fs.StringVar(&o.source, "source", "https://github.com/psobox/psobox", "source repository `URL` label")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	var err error
	o.created, err = sourceDate(getenv("SOURCE_DATE_EPOCH"))
	return o, err
}

// sourceDate reads SOURCE_DATE_EPOCH (reproducible-builds.org): seconds
// since 1970; unset means 1970 itself.
func sourceDate(s string) (time.Time, error) {
	if s == "" {
		return time.Unix(0, 0).UTC(), nil
	}
	sec, err := strconv.ParseInt(s, 10, 64)
	if err != nil || sec < 0 {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q: want seconds since 1970", s)
	}
	return time.Unix(sec, 0).UTC(), nil
}

func run(args []string, getenv func(string) string, stdout io.Writer) error {
	o, err := parseOptions(args, getenv)
	if err != nil {
		return err
	}
	build, err := psoboxBuild(o)
	if err != nil {
		return err
	}
	if err := writeFileAtomically(o.out, func(w io.Writer) error { return ociimage.WriteArchive(w, build) }); err != nil {
		return err
	}
	return summarize(o.out, stdout)
}

// psoboxBuild reads every platform's binaries and describes the image.
func psoboxBuild(o options) (ociimage.Build, error) {
	labels := map[string]string{
		"org.opencontainers.image.title":       "psobox",
		"org.opencontainers.image.description": description,
		"org.opencontainers.image.source":      o.source,
		"org.opencontainers.image.version":     o.version,
		"org.opencontainers.image.created":     o.created.Format(time.RFC3339),
	}
	if o.revision != "" {
		labels["org.opencontainers.image.revision"] = o.revision
	}
	b := ociimage.Build{Created: o.created, RefName: o.name + ":" + o.version, Annotations: labels}
	for _, t := range targets() {
		bins, err := readBinaries(o.binDir, t.suffix)
		if err != nil {
			return b, err
		}
		b.Images = append(b.Images, ociimage.Image{
			Platform: t.platform,
			Layers:   []ociimage.Layer{baseLayer(), binLayer(bins)},
			Config:   runConfig(labels),
		})
	}
	return b, nil
}

func readBinaries(dir, suffix string) (binaries, error) {
	var b binaries
	var err error
	if b.psobox, err = os.ReadFile(filepath.Join(dir, "psobox-linux-"+suffix)); err != nil {
		return b, fmt.Errorf("%w (make cross builds it)", err)
	}
	if b.psobot, err = os.ReadFile(filepath.Join(dir, "psobot-linux-"+suffix)); err != nil {
		return b, fmt.Errorf("%w (make cross builds it)", err)
	}
	return b, nil
}

// writeFileAtomically leaves either the whole new file or the old one.
func writeFileAtomically(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // fails harmlessly after the rename
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return os.Rename(f.Name(), path)
}

// summarize reads the archive back (checking every digest) and prints what
// it holds.
func summarize(path string, stdout io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	l, err := ociimage.ReadArchive(f)
	if err != nil {
		return fmt.Errorf("reading back %s: %w", path, err)
	}
	fmt.Fprintf(stdout, "%s: %s, %d platforms\n", path, l.RefName, len(l.Images))
	for i, img := range l.Images {
		var size int64
		for _, layer := range img.Manifest.Layers {
			size += layer.Size
		}
		fmt.Fprintf(stdout, "  %-13s %s  %.1f MB compressed\n", img.Config.Platform, l.Index.Manifests[i].Digest, float64(size)/1e6)
	}
	return nil
}
