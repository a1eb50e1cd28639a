package ociimage

import (
	"archive/tar"
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var created = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

func dir(p string) File { return File{Path: p, Dir: true, Mode: 0o755} }

// testBuild is two platforms sharing a base layer, each with its own binary.
func testBuild() Build {
	base := Layer{CreatedBy: "base", Files: []File{dir("etc"), {Path: "etc/passwd", Mode: 0o644, Data: []byte("root:x:0:0::/:/x\n")}}}
	bin := func(arch string) Layer {
		return Layer{CreatedBy: "bin " + arch, Files: []File{dir("usr"), dir("usr/bin"),
			{Path: "usr/bin/app", Mode: 0o755, UID: 0, GID: 0, Data: []byte("binary for " + arch), Caps: &FileCaps{Permitted: netCaps}},
			{Path: "usr/bin/tool", Mode: 0o755, Data: []byte("tool " + arch)}}}
	}
	cfg := RunConfig{User: "65532:65532", Entrypoint: []string{"/usr/bin/app"}, Env: []string{"A=b"}}
	return Build{
		Created: created, RefName: "example.com/app:v1.2.3-4-gabcdef0-dirty",
		Annotations: map[string]string{"org.opencontainers.image.source": "https://example.com/app"},
		Images: []Image{
			{Platform: Platform{OS: "linux", Architecture: "amd64"}, Layers: []Layer{base, bin("amd64")}, Config: cfg},
			{Platform: Platform{OS: "linux", Architecture: "arm", Variant: "v6"}, Layers: []Layer{base, bin("arm")}, Config: cfg},
		},
	}
}

func write(t *testing.T, b Build) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteArchive(&buf, b); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestArchiveReadsBack(t *testing.T) {
	archive := write(t, testBuild())
	l, err := ReadArchive(bytes.NewReader(archive))
	if err != nil {
		t.Fatal(err)
	}
	files, err := readTar(bytes.NewReader(archive))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(files["index.json"], []byte(`"io.containerd.image.name":"example.com/app:v1.2.3-4-gabcdef0-dirty"`)) {
		t.Errorf("index.json does not name the image for containerd: %s", files["index.json"])
	}
	if l.RefName != "example.com/app:v1.2.3-4-gabcdef0-dirty" || l.Index.MediaType != MediaTypeIndex || l.Index.Annotations["org.opencontainers.image.source"] == "" {
		t.Errorf("layout %q, index %+v", l.RefName, l.Index)
	}
	var platforms []string
	for _, img := range l.Images {
		platforms = append(platforms, img.Config.Platform.String())
		if diff := cmp.Diff(testBuild().Images[0].Config, img.Config.Config); diff != "" {
			t.Errorf("%s run config (-want +got):\n%s", img.Config.Platform, diff)
		}
		if !img.Config.Created.Equal(created) || len(img.Config.History) != 2 || img.Config.History[1].CreatedBy == "" {
			t.Errorf("%s: created %v, history %+v", img.Config.Platform, img.Config.Created, img.Config.History)
		}
		checkApp(t, img)
	}
	if diff := cmp.Diff([]string{"linux/amd64", "linux/arm/v6"}, platforms); diff != "" {
		t.Errorf("platforms (-want +got):\n%s", diff)
	}
	if l.Images[0].Manifest.Layers[0].Digest != l.Images[1].Manifest.Layers[0].Digest || l.Images[0].Manifest.Layers[1].Digest == l.Images[1].Manifest.Layers[1].Digest {
		t.Errorf("the base layer must be one blob shared by both platforms, the binary layers must differ: %+v %+v",
			l.Images[0].Manifest.Layers, l.Images[1].Manifest.Layers)
	}
}

func checkApp(t *testing.T, img ReadImage) {
	t.Helper()
	app, ok := img.File("usr/bin/app")
	if !ok || string(app.Data) != "binary for "+img.Config.Architecture {
		t.Fatalf("%s: usr/bin/app = %q, %v", img.Config.Platform, app.Data, ok)
	}
	h := app.Header
	if h.Typeflag != tar.TypeReg || h.Mode != 0o755 || h.Uid != 0 || !h.ModTime.Equal(created) {
		t.Errorf("usr/bin/app header: %+v", h)
	}
	caps, err := app.Caps()
	if err != nil || caps == nil || *caps != (FileCaps{Permitted: netCaps}) {
		t.Errorf("usr/bin/app caps = %v, %v", caps, err)
	}
	tool, _ := img.File("usr/bin/tool")
	if caps, err := tool.Caps(); caps != nil || err != nil {
		t.Errorf("usr/bin/tool has caps %v, %v; want none", caps, err)
	}
	if d, ok := img.File("usr/bin"); !ok || d.Header.Typeflag != tar.TypeDir || d.Header.Name != "usr/bin/" {
		t.Errorf("usr/bin: %+v, %v", d.Header, ok)
	}
}

// The same inputs give the same bytes, so a rebuild has the same digests.
func TestArchiveIsReproducible(t *testing.T) {
	if !bytes.Equal(write(t, testBuild()), write(t, testBuild())) {
		t.Error("two archives of the same build differ")
	}
	later := testBuild()
	later.Created = created.Add(time.Second)
	if bytes.Equal(write(t, testBuild()), write(t, later)) {
		t.Error("the creation time does not reach the archive")
	}
}

func TestBuildRefusesBadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Build)
		want string
	}{
		{"ref name", func(b *Build) { b.RefName = "v1 beta" }, `ref name "v1 beta"`},
		{"empty ref name", func(b *Build) { b.RefName = "" }, `ref name ""`},
		{"no images", func(b *Build) { b.Images = nil }, "no images"},
		{"same platform twice", func(b *Build) { b.Images[1].Platform = b.Images[0].Platform }, "linux/amd64: listed twice"},
		{"no arch", func(b *Build) { b.Images[0].Platform.Architecture = "" }, "want an os and an architecture"},
		{"absolute path", func(b *Build) { b.Images[0].Layers[1].Files[0].Path = "/usr" }, `"/usr": want a clean relative path`},
		{"dot dot", func(b *Build) { b.Images[0].Layers[1].Files[0].Path = "../usr" }, `"../usr": want a clean relative path`},
		{"unclean", func(b *Build) { b.Images[0].Layers[1].Files[0].Path = "usr/" }, `"usr/": want a clean relative path`},
		{"missing parent", func(b *Build) { b.Images[0].Layers[1].Files = b.Images[0].Layers[1].Files[1:] }, `directory "usr" is not listed before it`},
		{"file as parent", func(b *Build) { b.Images[0].Layers[1].Files[1].Dir = false }, `directory "usr/bin" is not listed before it`},
		{"twice", func(b *Build) { b.Images[0].Layers[1].Files[1].Path = "usr" }, `"usr": listed twice`},
		{"setuid", func(b *Build) { b.Images[0].Layers[1].Files[2].Mode |= 0o4000 }, "only permission bits"},
		{"caps on a dir", func(b *Build) { b.Images[0].Layers[1].Files[0].Caps = &FileCaps{} }, "a directory has no data or capabilities"},
	} {
		b := testBuild()
		tc.edit(&b)
		err := WriteArchive(&bytes.Buffer{}, b)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one saying %q", tc.name, err, tc.want)
		}
	}
}

// ReadArchive is the check the tests lean on: it must notice damage.
func TestReadArchiveNoticesDamage(t *testing.T) {
	good := write(t, testBuild())
	for _, tc := range []struct {
		name string
		edit func([]byte) []byte
		want string
	}{
		{"not a tar", func([]byte) []byte { return []byte("hello") }, "archive:"},
		{"flipped blob byte", flipInBlob, "content has digest"},
		{"altered oci-layout", func(b []byte) []byte {
			return bytes.Replace(b, []byte("imageLayoutVersion"), []byte("imageLayoutVersioN"), 1)
		}, "oci-layout is"},
	} {
		_, err := ReadArchive(bytes.NewReader(tc.edit(bytes.Clone(good))))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one saying %q", tc.name, err, tc.want)
		}
	}
}

// flipInBlob changes one byte inside the last blob (a tar member's data
// starts 512 bytes after its header; the archive ends with two zero blocks).
func flipInBlob(b []byte) []byte {
	i := bytes.LastIndex(b, []byte("blobs/sha256/")) + 512 + 10
	b[i] ^= 0xff
	return b
}
