package pkgtest

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/internal/testenv"
)

// The git version the test packages are built as, and its Debian form.
const (
	gitVersion = "v0.0.0-test"
	debVersion = "0.0.0~test"
)

var debArchs = []string{"amd64", "arm64", "armhf"}

// built holds the packages `make deb` made, once for all tests.
var built struct {
	once sync.Once
	dir  string
	out  string
	err  bool
}

// debs runs `make deb` into a temporary directory (once) and returns the
// package path for each Debian architecture.
func debs(t *testing.T) map[string]string {
	t.Helper()
	makeTool := testenv.RequireTool(t, "make")
	built.once.Do(func() {
		dir, err := os.MkdirTemp("", "pkgtest-deb-")
		if err != nil {
			built.out, built.err = err.Error(), true
			return
		}
		built.dir = dir
		var code int
		built.out, code = testenv.Run(t, testenv.RepoRoot(t), makeTool, "--no-print-directory", "deb", "DIST="+dir, "VERSION="+gitVersion)
		built.err = code != 0
	})
	if built.err {
		t.Fatalf("make deb failed:\n%s", built.out)
	}
	paths := make(map[string]string)
	for _, arch := range debArchs {
		paths[arch] = filepath.Join(built.dir, "psobox_"+debVersion+"_"+arch+".deb")
		if _, err := os.Stat(paths[arch]); err != nil {
			t.Fatalf("make deb did not make %s: %v\n%s", paths[arch], err, built.out)
		}
	}
	return paths
}

// Version strings from git describe become Debian versions that sort as
// the releases do.
func TestDebianVersions(t *testing.T) {
	root := testenv.RepoRoot(t)
	mkdeb := filepath.Join(root, "systemd", "mkdeb")
	got := make(map[string]string)
	for _, v := range []string{"v1.2.3-rc1", "v1.2.3-rc1-4-gabc1234", "v1.2.3", "v1.2.3-dirty", "v1.2.3-4-gabc1234", "v1.2.3-4-gabc1234-dirty", "abc1234"} {
		out, code := testenv.Run(t, root, mkdeb, "--debian-version", v)
		if code != 0 {
			t.Fatalf("mkdeb --debian-version %s: %s", v, out)
		}
		got[v] = strings.TrimSpace(out)
	}
	want := map[string]string{
		"v1.2.3-rc1": "1.2.3~rc1", "v1.2.3-rc1-4-gabc1234": "1.2.3~rc1+git4.gabc1234", "v1.2.3": "1.2.3",
		"v1.2.3-dirty": "1.2.3+dirty", "v1.2.3-4-gabc1234": "1.2.3+git4.gabc1234",
		"v1.2.3-4-gabc1234-dirty": "1.2.3+git4.gabc1234.dirty", "abc1234": "0.0~git.abc1234",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Debian versions (-want +got):\n%s", diff)
	}
	if out, code := testenv.Run(t, root, mkdeb, "--debian-version", "v1.2 beta"); code == 0 {
		t.Errorf("a version with a space was accepted: %s", out)
	}
	dpkg := testenv.RequireTool(t, "dpkg")
	order := []string{"0.0~git.abc1234", "1.2.3~rc1", "1.2.3~rc1+git4.gabc1234", "1.2.3", "1.2.3+dirty", "1.2.3+git4.gabc1234"}
	for i := 1; i < len(order); i++ {
		if out, code := testenv.Run(t, root, dpkg, "--compare-versions", order[i-1], "lt", order[i]); code != 0 {
			t.Errorf("dpkg does not sort %s before %s %s", order[i-1], order[i], out)
		}
	}
}

func TestDebsPassLintian(t *testing.T) {
	lintian := testenv.RequireTool(t, "lintian")
	paths := debs(t)
	args := []string{"--fail-on", "error,warning", "--info", "--tag-display-limit", "0"}
	for _, arch := range debArchs {
		args = append(args, paths[arch])
	}
	out, code := testenv.Run(t, "", lintian, args...)
	t.Logf("lintian:\n%s", out)
	if code != 0 || strings.Contains(out, "\nE: ") || strings.Contains(out, "\nW: ") || strings.HasPrefix(out, "E: ") || strings.HasPrefix(out, "W: ") {
		t.Errorf("lintian: exit %d with errors or warnings", code)
	}
}

// Each package holds the right architecture's binaries (armhf: GOARM=6,
// for every 32-bit Pi), the units, the config as a conffile, the docs.
func TestDebContents(t *testing.T) {
	dpkgDeb := testenv.RequireTool(t, "dpkg-deb")
	paths := debs(t)
	goarch := map[string]string{"amd64": "GOARCH=amd64", "arm64": "GOARCH=arm64", "armhf": "GOARM=6"}
	for _, arch := range debArchs {
		t.Run(arch, func(t *testing.T) {
			if out, _ := testenv.Run(t, "", dpkgDeb, "--field", paths[arch], "Architecture", "Version"); out != "Architecture: "+arch+"\nVersion: "+debVersion+"\n" {
				t.Errorf("control fields:\n%s", out)
			}
			dir := t.TempDir()
			if out, code := testenv.Run(t, "", dpkgDeb, "-R", paths[arch], dir); code != 0 {
				t.Fatalf("dpkg-deb -R: %s", out)
			}
			checkTree(t, dir)
			if conffiles := readFile(t, filepath.Join(dir, "DEBIAN", "conffiles")); conffiles != "/etc/psobox/psobox.toml\n" {
				t.Errorf("conffiles = %q", conffiles)
			}
			if out, _ := testenv.Run(t, "", "go", "version", "-m", filepath.Join(dir, "usr", "bin", "psobox")); !strings.Contains(out, goarch[arch]) {
				t.Errorf("usr/bin/psobox is not built with %s:\n%s", goarch[arch], out)
			}
		})
	}
}

// checkTree wants every file the package must hold, with its mode.
func checkTree(t *testing.T, dir string) {
	t.Helper()
	for path, mode := range map[string]os.FileMode{
		"usr/bin/psobox": 0o755, "usr/bin/psobot": 0o755,
		"usr/lib/systemd/system/psobox.service": 0o644, "usr/lib/systemd/system/psobox-dns.socket": 0o644,
		"usr/lib/systemd/system/psobox-dhcp.socket": 0o644, "etc/psobox/psobox.toml": 0o644,
		"usr/share/doc/psobox/copyright": 0o644, "usr/share/doc/psobox/changelog.gz": 0o644,
		"usr/share/man/man1/psobox.1.gz": 0o644, "usr/share/lintian/overrides/psobox": 0o644,
		"DEBIAN/postinst": 0o755, "DEBIAN/prerm": 0o755, "DEBIAN/postrm": 0o755,
	} {
		info, err := os.Stat(filepath.Join(dir, path))
		if err != nil || info.Mode().Perm() != mode {
			t.Errorf("%s: %v, mode %v; want mode %v", path, err, info.Mode().Perm(), mode)
		}
	}
}
