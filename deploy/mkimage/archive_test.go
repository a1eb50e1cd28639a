package main

import (
	"bytes"
	"debug/buildinfo"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/psobox/psobox/deploy/ociimage"
	"github.com/psobox/psobox/internal/testenv"
)

const (
	testVersion = "v0.0.0-test"
	testEpoch   = "1700000000"
)

// built is the image the tests share: cross-compiling six binaries is the
// slow part, so it happens once per test run.
var built struct {
	once         sync.Once
	dir, archive string
	stdout       string
	layout       *ociimage.Layout
	err          error
}

// testArchive cross-builds psobox and psobot as `make cross` does and
// runs mkimage on them, once; it returns the archive's path.
func testArchive(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "mkimage-test-")
		if built.err == nil {
			built.err = crossBuild(testenv.RepoRoot(t), built.dir)
		}
		if built.err == nil {
			built.archive = filepath.Join(built.dir, "psobox-oci.tar")
			built.stdout, built.err = mkimage(built.dir, built.archive)
		}
		if built.err == nil {
			built.layout, built.err = readArchiveFile(built.archive)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.archive
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// crossBuild builds what `make cross` builds (static, trimmed, stripped)
// into dir.
func crossBuild(root, dir string) error {
	for _, t := range targets() {
		for _, cmd := range []string{"psobox", "psobot"} {
			build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w",
				"-o", filepath.Join(dir, cmd+"-linux-"+t.suffix), "./cmd/"+cmd)
			build.Dir = root
			build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+t.platform.Architecture,
				"GOARM="+strings.TrimPrefix(t.platform.Variant, "v"))
			if out, err := build.CombinedOutput(); err != nil {
				return fmt.Errorf("go build %s for %s: %v\n%s", cmd, t.platform, err, out)
			}
		}
	}
	return nil
}

func mkimage(binDir, out string) (string, error) {
	var stdout bytes.Buffer
	getenv := func(k string) string { return map[string]string{"SOURCE_DATE_EPOCH": testEpoch}[k] }
	err := run([]string{"-bin", binDir, "-o", out, "-version", testVersion, "-revision", "abc1234"}, getenv, &stdout)
	return stdout.String(), err
}

// testLayout is the shared archive, read back.
func testLayout(t *testing.T) *ociimage.Layout {
	t.Helper()
	testArchive(t)
	return built.layout
}

func readLayout(t *testing.T, path string) *ociimage.Layout {
	t.Helper()
	l, err := readArchiveFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func readArchiveFile(path string) (*ociimage.Layout, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ociimage.ReadArchive(f)
}

// The archive's index lists exactly the three platforms, tagged with the
// version; mkimage says so too.
func TestArchiveHasThreePlatforms(t *testing.T) {
	l := testLayout(t)
	var got []string
	for _, d := range l.Index.Manifests {
		got = append(got, d.Platform.String())
	}
	if diff := cmp.Diff([]string{"linux/amd64", "linux/arm64", "linux/arm/v6"}, got); diff != "" {
		t.Errorf("index platforms (-want +got):\n%s", diff)
	}
	if want := "ghcr.io/psobox/psobox:" + testVersion; l.RefName != want {
		t.Errorf("ref name %q, want %q", l.RefName, want)
	}
	if !strings.HasPrefix(built.stdout, built.archive+": ghcr.io/psobox/psobox:"+testVersion+", 3 platforms\n") {
		t.Errorf("mkimage output:\n%s", built.stdout)
	}
}

// wantELF is what each platform's binaries must be.
var wantELF = map[string]struct {
	machine elf.Machine
	class   elf.Class
	goarm   string
}{
	"linux/amd64":  {elf.EM_X86_64, elf.ELFCLASS64, ""},
	"linux/arm64":  {elf.EM_AARCH64, elf.ELFCLASS64, ""},
	"linux/arm/v6": {elf.EM_ARM, elf.ELFCLASS32, "6"},
}

// Every binary is a static executable for its image's platform: the ELF
// machine, no program interpreter, and Go's own record of GOARCH, GOARM
// and CGO_ENABLED.
func TestBinariesMatchTheirPlatform(t *testing.T) {
	for _, img := range testLayout(t).Images {
		platform := img.Config.Platform.String()
		for _, path := range []string{psoboxPath, psobotPath} {
			e, ok := img.File(path[1:])
			if !ok {
				t.Errorf("%s: no %s", platform, path)
				continue
			}
			if err := checkBinary(e.Data, img.Config.Architecture, wantELF[platform].machine, wantELF[platform].class, wantELF[platform].goarm); err != nil {
				t.Errorf("%s %s: %v", platform, path, err)
			}
		}
	}
}

func checkBinary(data []byte, goarch string, machine elf.Machine, class elf.Class, goarm string) error {
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		return err
	}
	if f.Machine != machine || f.Class != class || f.Type != elf.ET_EXEC {
		return fmt.Errorf("ELF %v %v %v, want %v %v ET_EXEC", f.Machine, f.Class, f.Type, machine, class)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			return fmt.Errorf("has %v: not static", p.Type)
		}
	}
	info, err := buildinfo.Read(bytes.NewReader(data))
	if err != nil {
		return err
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if settings["GOARCH"] != goarch || settings["GOARM"] != goarm || settings["CGO_ENABLED"] != "0" {
		return fmt.Errorf("built with GOARCH=%s GOARM=%s CGO_ENABLED=%s, want %s %q 0",
			settings["GOARCH"], settings["GOARM"], settings["CGO_ENABLED"], goarch, goarm)
	}
	return nil
}

// The same binaries and SOURCE_DATE_EPOCH give the same archive, byte for
// byte, and every timestamp in it is the source date.
func TestArchiveIsReproducible(t *testing.T) {
	first, err := os.ReadFile(testArchive(t))
	if err != nil {
		t.Fatal(err)
	}
	again := filepath.Join(t.TempDir(), "again.tar")
	if _, err := mkimage(built.dir, again); err != nil {
		t.Fatal(err)
	}
	second, err := os.ReadFile(again)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Error("two builds from the same binaries differ")
	}
	img := readLayout(t, again).Images[0]
	e, _ := img.File("usr/bin/psobox")
	if want := time.Unix(1700000000, 0); !img.Config.Created.Equal(want) || !e.Header.ModTime.Equal(want) {
		t.Errorf("created %v, file time %v; want %v from SOURCE_DATE_EPOCH", img.Config.Created, e.Header.ModTime, want)
	}
}
