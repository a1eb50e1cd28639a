package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/psobox/psobox/deploy/ociimage"
	"github.com/psobox/psobox/internal/testenv"
)

// crane is go-containerregistry's crane, pinned in tools/go.mod: the tool
// the release workflow pushes the archive with, and an implementation of
// the OCI formats that owes nothing to ociimage.
type crane struct {
	bin      string
	registry string // host:port of a registry on loopback
}

// startCrane builds crane and starts `crane registry serve` on a loopback
// port of its choosing; the registry keeps everything in memory.
func startCrane(t *testing.T) crane {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "crane")
	build := exec.Command("go", "build", "-modfile=tools/go.mod", "-o", bin, "github.com/google/go-containerregistry/cmd/crane")
	build.Dir = testenv.RepoRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build crane from tools/go.mod: %v\n%s", err, out)
	}
	ctx, cancel := context.WithCancel(context.Background())
	serve := exec.CommandContext(ctx, bin, "registry", "serve", "--address", "127.0.0.1:0")
	logs, err := serve.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = serve.Wait() })
	port := regexp.MustCompile(`serving on port (\d+)`)
	lines := bufio.NewScanner(logs)
	for lines.Scan() {
		if m := port.FindStringSubmatch(lines.Text()); m != nil {
			go func() { _, _ = io.Copy(io.Discard, logs) }()
			return crane{bin: bin, registry: "127.0.0.1:" + m[1]}
		}
	}
	t.Fatal("crane registry serve never said its port")
	return crane{}
}

func (c crane) run(t *testing.T, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, c.bin, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("crane %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.Bytes()
}

// untar unpacks the archive into a directory: crane pushes an OCI layout
// from a directory, as the release workflow does.
func untar(t *testing.T, archive string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("tar", "-xf", archive, "-C", dir).CombinedOutput(); err != nil {
		t.Fatalf("tar: %v: %s", err, out)
	}
	return dir
}

// The archive survives what the release does with it: crane pushes the
// layout to a registry (which checks every digest), and pulling back
// gives the index of three platforms, each config, and a filesystem whose
// psobox still has its capabilities.
func TestCranePushesTheArchive(t *testing.T) {
	archive := testArchive(t)
	c := startCrane(t)
	ref := c.registry + "/psobox:" + testVersion
	pushed := strings.TrimSpace(string(c.run(t, "push", untar(t, archive), ref)))
	var index ociimage.Index
	if err := json.Unmarshal(c.run(t, "manifest", ref), &index); err != nil {
		t.Fatal(err)
	}
	local := testLayout(t)
	if diff := cmp.Diff(local.Index, index); diff != "" {
		t.Errorf("the registry's index differs from the archive's (-archive +registry):\n%s", diff)
	}
	if want := c.registry + "/psobox@" + strings.TrimSpace(string(c.run(t, "digest", ref))); pushed != want {
		t.Errorf("crane push printed %q, want %q", pushed, want)
	}
	for _, img := range local.Images {
		platform := img.Config.Platform.String()
		var cfg ociimage.ImageConfig
		if err := json.Unmarshal(c.run(t, "config", "--platform", platform, ref), &cfg); err != nil {
			t.Fatal(err)
		}
		if cfg.Platform != img.Config.Platform || cfg.Config.User != "65532:65532" {
			t.Errorf("%s: registry config is for %s with user %q", platform, cfg.Platform, cfg.Config.User)
		}
		checkExport(t, platform, c.run(t, "export", "--platform", platform, ref, "-"))
	}
}

// checkExport looks at the flattened filesystem crane exports.
func checkExport(t *testing.T, platform string, fsTar []byte) {
	t.Helper()
	tr := tar.NewReader(bytes.NewReader(fsTar))
	for {
		hdr, err := tr.Next()
		if err != nil {
			t.Fatalf("%s: exported filesystem has no usr/bin/psobox (%v)", platform, err)
		}
		if hdr.Name != "usr/bin/psobox" {
			continue
		}
		caps, err := ociimage.DecodeFileCaps([]byte(hdr.PAXRecords["SCHILY.xattr."+ociimage.CapsXattr]))
		if err != nil || caps.Permitted == 0 {
			t.Errorf("%s: exported psobox has capabilities %+v, %v", platform, caps, err)
		}
		data, _ := io.ReadAll(tr)
		w := wantELF[platform]
		if err := checkBinary(data, strings.Split(platform, "/")[1], w.machine, w.class, w.goarm); err != nil {
			t.Errorf("%s: exported psobox: %v", platform, err)
		}
		return
	}
}
