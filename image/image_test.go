package image

import (
	"bytes"
	"context"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/psobox/psobox/internal/testenv"
)

// testVersion is stamped into the psobox of test images.
const testVersion = "v0.0.0-imagetest"

// requireImageTools skips when the tools Build and Check run are missing
// (.ci/run installs them).
func requireImageTools(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a gokrazy image with monogok (seconds warm, a minute or two with an empty module cache); skipped with -short")
	}
	for _, tool := range []string{"go", "mdir", "mtype", "unsquashfs", "mksquashfs", "mkfs.ext4"} {
		testenv.RequireTool(t, tool)
	}
}

// buildImage builds the named shipped instance into a temporary directory.
// monogok's output goes to a log file that is shown when the build fails.
func buildImage(t *testing.T, name string) *Built {
	t.Helper()
	requireImageTools(t)
	dir := t.TempDir()
	logPath := filepath.Join(dir, "build.log")
	log, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	built, err := Build(t.Context(), BuildOptions{
		Instance: loadShipped(t, name),
		Output:   filepath.Join(dir, "psobox-"+name+".img"),
		Version:  testVersion,
		Commit:   "test",
		Log:      log,
	})
	if err != nil {
		out, _ := os.ReadFile(logPath)
		t.Fatalf("Build %s: %v\nbuild log:\n%s", name, err, out)
	}
	return built
}

// copyImage makes a sparse copy to modify.
func copyImage(t *testing.T, img string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(img))
	if out, err := exec.Command("cp", "--sparse=always", img, dst).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v: %s", err, out)
	}
	return dst
}

// rootFile extracts one file of the image's root A.
func rootFile(t *testing.T, img, path string) []byte {
	t.Helper()
	root, err := partitionOf(img, 2)
	if err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "root")
	if err := ExtractRoot(context.Background(), img, root, dest, path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dest, path))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestRPiImage(t *testing.T) {
	built := buildImage(t, "rpi")
	r := built.Report
	if r.Psobox.Machine != elf.EM_AARCH64 || !r.Psobox.Static {
		t.Errorf("/user/psobox is %s, want a static arm64 binary", r.Psobox)
	}
	if !bytes.Contains(rootFile(t, built.Image, "/user/psobox"), []byte(testVersion)) {
		t.Errorf("psobox in the image does not carry the version stamp %s", testVersion)
	}
	if got := strings.TrimSpace(string(rootFile(t, built.Image, "/etc/gokr-pw.txt"))); got != built.Password {
		t.Errorf("/etc/gokr-pw.txt = %q, want the build's password %q", got, built.Password)
	}
	if !strings.HasPrefix(r.Cmdline, "console=tty1 ") || strings.Count(r.Cmdline, "console=") != 1 {
		t.Errorf("cmdline %q: want the HDMI screen (tty1) as the only console", r.Cmdline)
	}
	// The checks must catch an image that is not what the instance says.
	withNTP := loadShipped(t, "rpi")
	setGokrazyPackages(RandomdPackage, NTPPackage)(withNTP)
	if _, err := Check(t.Context(), built.Image, withNTP); err == nil || !strings.Contains(err.Error(), "/gokrazy/ntp") {
		t.Errorf("Check against an instance that also installs ntp = %v, want the program list refused", err)
	}
	broken := copyImage(t, built.Image)
	zeroAt(t, broken, r.Partitions[3].Offset()+1024, 1024) // the /perm superblock
	if _, err := Check(t.Context(), broken, loadShipped(t, "rpi")); err == nil || !strings.Contains(err.Error(), "/perm: no ext4") {
		t.Errorf("Check of an image with an unformatted /perm = %v, want it refused", err)
	}
}

func zeroAt(t *testing.T, path string, offset, n int64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(make([]byte, n), offset); err != nil {
		t.Fatal(err)
	}
}

// TestVMImage builds the VM image, checks it, reconfigures a copy the way a
// user would before flashing, and boots that copy (boot_test.go).
func TestVMImage(t *testing.T) {
	built := buildImage(t, "vm")
	if _, err := Check(t.Context(), built.Image, loadShipped(t, "rpi")); err == nil || !strings.Contains(err.Error(), "lacks bootcode.bin") {
		t.Errorf("Check of the VM image against the rpi instance = %v, want the missing Pi firmware found", err)
	}
	t.Run("configure root B", func(t *testing.T) { testConfigureRootB(t, copyImage(t, built.Image)) })
	configured := copyImage(t, built.Image)
	if !t.Run("configure", func(t *testing.T) { testConfigure(t, configured) }) {
		t.Fatal("configuring the image failed; not booting it")
	}
	t.Run("boot", func(t *testing.T) {
		testBoot(t, configured, bootExpect{Domain: testDomain, Password: testPassword})
	})
}

const (
	testDomain   = "lanparty"
	testPassword = "configured4test"
)

// testConfigure changes the DHCP domain and the web interface password of
// img, as `psobox-image configure` does, and checks both landed.
func testConfigure(t *testing.T, img string) {
	in := loadShipped(t, "vm")
	shipped, err := os.ReadFile(in.ConfigSource())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "good.toml")
	bad := filepath.Join(dir, "bad.toml")
	writeFile(t, good, string(shipped)+"\n[dhcp]\ndomain = \""+testDomain+"\"\n")
	writeFile(t, bad, string(shipped)+"\n[dhcp]\ndomain = \"not a name\"\n")

	if _, err := Configure(t.Context(), img, in, Changes{Config: bad}); err == nil || !strings.Contains(err.Error(), "dhcp.domain") {
		t.Errorf("Configure with an invalid config = %v, want it refused", err)
	}
	r, err := Configure(t.Context(), img, in, Changes{Config: good, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	if r.Config.DHCP.Domain != testDomain {
		t.Errorf("configured image has dhcp.domain %q, want %q", r.Config.DHCP.Domain, testDomain)
	}
	if got := strings.TrimSpace(string(rootFile(t, img, "/etc/gokr-pw.txt"))); got != testPassword {
		t.Errorf("configured image's password = %q, want %q", got, testPassword)
	}
}

// testConfigureRootB makes img look like a card that was updated once (root
// B active, as gokrazy's switch leaves it) and configures it: the change
// must go to root B, which Check then reads, and root A stay as it was.
func testConfigureRootB(t *testing.T, img string) {
	ctx := t.Context()
	parts, err := func() ([]Partition, error) {
		f, err := os.Open(img)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return ReadPartitions(f)
	}()
	if err != nil {
		t.Fatal(err)
	}
	boot, rootA, rootB := parts[0], parts[1], parts[2]
	if out, err := exec.Command("dd", "if="+img, "of="+img, "bs=1M", "conv=notrunc", "status=none",
		fmt.Sprintf("skip=%d", rootA.Offset()>>20), fmt.Sprintf("seek=%d", rootB.Offset()>>20),
		fmt.Sprintf("count=%d", rootA.Size()>>20)).CombinedOutput(); err != nil {
		t.Fatalf("dd: %v: %s", err, out)
	}
	cmdline, err := ReadBootFile(ctx, img, boot, "cmdline.txt")
	if err != nil {
		t.Fatal(err)
	}
	switched := filepath.Join(t.TempDir(), "cmdline.txt")
	writeFile(t, switched, strings.Replace(string(cmdline), "/PARTNROFF=1", "/PARTNROFF=2", 1))
	if _, err := run(ctx, "mcopy", "-o", "-i", fatImage(img, boot), switched, "::/cmdline.txt"); err != nil {
		t.Fatal(err)
	}
	in := loadShipped(t, "vm")
	good := filepath.Join(t.TempDir(), "b.toml")
	writeFile(t, good, islandTOML+"[dhcp]\ndomain = \"rootb\"\n")
	r, err := Configure(ctx, img, in, Changes{Config: good})
	if err != nil {
		t.Fatal(err)
	}
	if r.Root != 3 || r.Config.DHCP.Domain != "rootb" {
		t.Errorf("configured root B: Check read partition %d with dhcp.domain %q, want 3 and \"rootb\"", r.Root, r.Config.DHCP.Domain)
	}
	shipped, _ := os.ReadFile(in.ConfigSource())
	if got := rootFile(t, img, ConfigPath); !bytes.Equal(got, shipped) {
		t.Errorf("root A's config changed too:\n%s", got)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
