package image

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/psobox/psobox/appliance/config"
)

// Report is what Check found in an image.
type Report struct {
	Partitions []Partition
	Cmdline    string
	Root       int // the root partition cmdline.txt boots: 2 (A) or 3 (B, after an update)
	BootFiles  int
	RootFiles  []string
	Psobox     ELFInfo
	Config     *config.Config
	Perm       Ext4
}

const mib = 1 << 20

// bootNeeds are files the FAT boot partition must hold for each kind of
// machine: the kernel, its command line, and for the Pi the firmware of
// every supported model (bootcode.bin: Pi 3; start4.elf: Pi 4; the Pi 5
// boots from its EEPROM) and the device trees of the supported boards.
func bootNeeds(raspberryPi bool) []string {
	need := []string{"vmlinuz", "cmdline.txt"}
	if !raspberryPi {
		return need
	}
	return append(need, "config.txt", "bootcode.bin", "start.elf", "fixup.dat", "start4.elf", "fixup4.dat",
		"pieeprom.upd", "pieeprom.sig", "recovery.bin",
		"bcm2710-rpi-3-b.dtb", "bcm2710-rpi-3-b-plus.dtb", "bcm2710-rpi-zero-2-w.dtb",
		"bcm2711-rpi-4-b.dtb", "bcm2712-rpi-5-b.dtb")
}

// Check reads a built image and verifies it is what the instance asked
// for: the partition table gokrazy boots from, the boot files, psobox and
// its config in the root file system, and a formatted /perm. It returns
// every problem at once.
func Check(ctx context.Context, img string, in *Instance) (*Report, error) {
	f, err := os.Open(img)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := &Report{}
	if r.Partitions, err = ReadPartitions(f); err != nil {
		return nil, fmt.Errorf("%s: %w", img, err)
	}
	errs := checkLayout(r.Partitions, in.GOARCH())
	if len(errs) > 0 {
		return r, fmt.Errorf("%s: %w", img, errors.Join(errs...))
	}
	mbr, err := ReadMBR(f)
	if err != nil {
		return r, fmt.Errorf("%s: %w", img, err)
	}
	errs = append(errs, checkHybridMBR(mbr, r.Partitions[0])...)
	errs = append(errs, checkBoot(ctx, img, in, r)...)
	errs = append(errs, checkRoot(ctx, img, in, r)...)
	if r.Perm, err = ReadExt4(f, r.Partitions[3].Offset()); err != nil {
		errs = append(errs, fmt.Errorf("/perm: %w", err))
	} else if size := r.Partitions[3].Size(); r.Perm.Bytes > size || r.Perm.Bytes < size-mib {
		errs = append(errs, fmt.Errorf("/perm: ext4 of %d bytes in a partition of %d", r.Perm.Bytes, size))
	}
	if len(errs) > 0 {
		return r, fmt.Errorf("%s: %w", img, errors.Join(errs...))
	}
	return r, nil
}

// checkLayout checks gokrazy's four partitions: boot (FAT, 100 MiB), root
// A and B (SquashFS, 500 MiB each; A typed as the architecture's root) and
// /perm filling the rest.
func checkLayout(parts []Partition, goarch string) []error {
	if len(parts) != 4 {
		return []error{fmt.Errorf("%d partitions, want 4 (boot, root A, root B, /perm)", len(parts))}
	}
	rootType := map[string]string{"arm64": TypeRootARM64, "amd64": TypeRootAMD64}[goarch]
	want := []struct {
		typ  string
		size int64
		what string
	}{
		{TypeEFISystem, 100 * mib, "boot (EFI system)"},
		{rootType, 500 * mib, "root A (Linux root, " + goarch + ")"},
		{TypeLinuxData, 500 * mib, "root B (Linux data)"},
		{TypeLinuxData, 0, "/perm (Linux data)"},
	}
	var errs []error
	for i, w := range want {
		p := parts[i]
		if p.Number != i+1 || p.Type != w.typ {
			errs = append(errs, fmt.Errorf("partition %d has type %s, want %s %s", p.Number, p.Type, w.what, w.typ))
		}
		if w.size != 0 && p.Size() != w.size {
			errs = append(errs, fmt.Errorf("partition %d is %d bytes, want %d", p.Number, p.Size(), w.size))
		}
	}
	if parts[3].Size() < 100*mib {
		errs = append(errs, fmt.Errorf("/perm is only %d bytes", parts[3].Size()))
	}
	return errs
}

// checkHybridMBR: the Raspberry Pi boot ROM does not read GPT, so the MBR
// must also describe the boot partition as FAT32 (LBA), next to the
// protective 0xEE entry.
func checkHybridMBR(mbr [4]MBREntry, boot Partition) []error {
	var fat, protective bool
	for _, e := range mbr {
		fat = fat || e.Type == 0x0C && uint64(e.FirstLBA) == boot.FirstLBA && int64(e.Sectors)*sectorSize == boot.Size()
		protective = protective || e.Type == 0xEE
	}
	if !fat || !protective {
		return []error{fmt.Errorf("MBR %+v is not a hybrid MBR with the boot partition as FAT32 (0x0c) and a GPT entry (0xee)", mbr)}
	}
	return nil
}

func checkBoot(ctx context.Context, img string, in *Instance, r *Report) []error {
	boot := r.Partitions[0]
	names, err := ListBoot(ctx, img, boot)
	if err != nil {
		return []error{fmt.Errorf("boot partition: %w", err)}
	}
	r.BootFiles = len(names)
	var errs []error
	for _, need := range bootNeeds(in.RaspberryPi()) {
		if !slices.Contains(names, need) {
			errs = append(errs, fmt.Errorf("boot partition lacks %s", need))
		}
	}
	cmdline, err := ReadBootFile(ctx, img, boot, "cmdline.txt")
	if err != nil {
		return append(errs, err)
	}
	r.Cmdline = strings.TrimSpace(string(cmdline))
	if !strings.Contains(r.Cmdline, "init=/gokrazy/init") {
		errs = append(errs, fmt.Errorf("cmdline.txt %q does not start gokrazy's init", r.Cmdline))
	}
	// The root is named relative to the boot partition: PARTNROFF=1 is
	// root A, 2 is root B (gokrazy's update switches between them).
	for off := 1; off <= 2; off++ {
		if strings.Contains(r.Cmdline, fmt.Sprintf("root=PARTUUID=%s/PARTNROFF=%d", boot.GUID, off)) {
			r.Root = 1 + off
		}
	}
	if r.Root == 0 {
		errs = append(errs, fmt.Errorf("cmdline.txt %q names neither root partition relative to the boot partition %s", r.Cmdline, boot.GUID))
	}
	return errs
}

// checkRoot lists the root file system cmdline.txt boots, extracts psobox,
// init and the config, and checks each.
func checkRoot(ctx context.Context, img string, in *Instance, r *Report) []error {
	if r.Root == 0 {
		return nil // checkBoot said why
	}
	root := r.Partitions[r.Root-1]
	files, err := ListRoot(ctx, img, root)
	if err != nil {
		return []error{fmt.Errorf("root file system: %w", err)}
	}
	r.RootFiles = files
	errs := checkPrograms(files, in)
	tmp, err := os.MkdirTemp("", "psobox-image-check-")
	if err != nil {
		return append(errs, err)
	}
	defer os.RemoveAll(tmp)
	dest := filepath.Join(tmp, "root")
	if err := ExtractRoot(ctx, img, root, dest, "/user/psobox", "/gokrazy/init", ConfigPath); err != nil {
		return append(errs, err)
	}
	if r.Psobox, err = CheckELF(filepath.Join(dest, "user", "psobox"), in.GOARCH()); err != nil {
		errs = append(errs, fmt.Errorf("/user/psobox: %w", err))
	}
	errs = append(errs, checkInitFlags(filepath.Join(dest, "gokrazy", "init"))...)
	cfg, err := config.Load(filepath.Join(dest, ConfigPath))
	if err != nil {
		return append(errs, fmt.Errorf("%s in the image: %w", ConfigPath, err))
	}
	r.Config = cfg
	return append(errs, ConfigProblems(cfg)...)
}

// checkPrograms: exactly the programs the instance names are installed,
// so nothing unexpected (a DHCP client, NTP, a shell) slipped in.
func checkPrograms(files []string, in *Instance) []error {
	want := []string{"/gokrazy/init"}
	for _, b := range in.GokrazyBinaries() {
		want = append(want, "/gokrazy/"+b)
	}
	for _, p := range in.Packages {
		want = append(want, "/user/"+path.Base(p))
	}
	var got []string
	for _, f := range files {
		if dir := path.Dir(f); dir == "/gokrazy" || dir == "/user" {
			got = append(got, f)
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(want, got) {
		return []error{fmt.Errorf("programs in the image are %q, want %q", got, want)}
	}
	return nil
}

// checkInitFlags: monogok compiles each program's command line into the
// generated init, so psobox's -config flag must appear in it.
func checkInitFlags(initPath string) []error {
	data, err := os.ReadFile(initPath)
	if err != nil {
		return []error{err}
	}
	if !bytes.Contains(data, []byte(ConfigFlag)) {
		return []error{fmt.Errorf("/gokrazy/init does not start psobox with %s", ConfigFlag)}
	}
	return nil
}
