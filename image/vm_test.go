package image

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/psobox/psobox/internal/testenv"
)

// The VM harness: qemu-system-aarch64 under TCG (no usable KVM on the CI
// machines) boots the vm image with its NIC on a tap device, inside a
// network namespace the test creates. Nothing leaves that namespace.

// aarch64Firmware is the UEFI firmware Debian's qemu-efi-aarch64 installs.
const aarch64Firmware = "/usr/share/qemu-efi-aarch64/QEMU_EFI.fd"

// vm is a running qemu.
type vm struct {
	cmd     *exec.Cmd
	started time.Time
	serial  string // the guest's serial console, written by qemu
	stderr  *testenv.SyncBuffer
	exited  chan struct{} // closed when qemu exits
}

// startVM boots disk (which qemu writes to) with its NIC on ns's tap0. The
// cleanup kills qemu by its PID (ip netns exec execs qemu in place) before
// the namespace is deleted.
func startVM(t *testing.T, ns *testenv.Netns, disk string) *vm {
	t.Helper()
	qemu := testenv.RequireTool(t, "qemu-system-aarch64")
	if _, err := os.Stat(aarch64Firmware); err != nil {
		t.Skipf("needs the aarch64 UEFI firmware %s (Debian package qemu-efi-aarch64, installed by .ci/run)", aarch64Firmware)
	}
	v := &vm{serial: filepath.Join(t.TempDir(), "serial.log"), stderr: &testenv.SyncBuffer{}, exited: make(chan struct{})}
	v.cmd = ns.Command(context.Background(), qemu, qemuArgs(disk, v.serial)...)
	v.cmd.Stdout, v.cmd.Stderr = v.stderr, v.stderr
	if err := v.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	v.started = time.Now()
	go func() { _ = v.cmd.Wait(); close(v.exited) }()
	t.Cleanup(func() {
		_ = v.cmd.Process.Kill()
		<-v.exited
	})
	return v
}

func qemuArgs(disk, serial string) []string {
	return []string{
		"-machine", "virt,highmem=off", "-cpu", "cortex-a72", "-accel", "tcg",
		"-smp", "2", "-m", "1024", "-bios", aarch64Firmware, "-nodefaults",
		"-drive", "file=" + disk + ",format=raw,if=virtio",
		// romfile= : the PXE option ROM (ipxe-qemu) is not needed to boot from disk.
		"-device", "virtio-net-pci,netdev=net0,romfile=",
		"-netdev", "tap,id=net0,ifname=tap0,script=no,downscript=no",
		// Without an entropy source the guest kernel's RNG takes tens of
		// seconds to initialize under TCG, and DHCP replies wait for it.
		"-device", "virtio-rng-pci",
		"-display", "none", "-monitor", "none", "-serial", "file:" + serial,
	}
}

// boots counts the times gokrazy's init started (a reboot starts it again).
func (v *vm) boots() int { return strings.Count(v.console(), "Run /gokrazy/init") }

// console returns what the guest printed on its serial console so far.
func (v *vm) console() string {
	data, _ := os.ReadFile(v.serial)
	return string(data)
}

// failf ends the test with the guest's console and qemu's output.
func (v *vm) failf(t *testing.T, format string, args ...any) {
	t.Helper()
	t.Logf("serial console:\n%s\nqemu:\n%s", tail(v.console(), 60), v.stderr.String())
	t.Fatalf(format, args...)
}

// milestones records when lines first appear on the serial console.
type milestones struct {
	marks map[string]time.Duration // console text -> time since qemu started
}

func (m *milestones) observe(v *vm) {
	if m.marks == nil {
		m.marks = map[string]time.Duration{}
	}
	text := v.console()
	for _, mark := range []string{"Run /gokrazy/init", "now listening on 10.55.0.1:80"} {
		if _, seen := m.marks[mark]; !seen && strings.Contains(text, mark) {
			m.marks[mark] = time.Since(v.started)
		}
	}
}

// lan is the switch the VM and a console are plugged into: a bridge in one
// namespace joins the VM's tap0 and a veth whose other end, eth0, is the
// console's network card in a second namespace.
func lan(t *testing.T) (sw, console *testenv.Netns) {
	t.Helper()
	sw = testenv.NewNetns(t, "sw")
	console = testenv.NewNetns(t, "cons")
	sw.IP(t, "link", "add", "br0", "type", "bridge")
	sw.IP(t, "tuntap", "add", "dev", "tap0", "mode", "tap")
	testenv.Veth(t, sw, "port1", "", console, "eth0", "")
	for _, port := range []string{"tap0", "port1"} {
		sw.IP(t, "link", "set", port, "master", "br0")
		sw.IP(t, "link", "set", port, "up")
	}
	sw.IP(t, "link", "set", "br0", "up")
	return sw, console
}

// udhcpcHook is udhcpc's event script: it prints the lease, one key=value
// per line, and configures nothing.
const udhcpcHook = `#!/bin/sh
[ "$1" = bound ] || exit 0
for k in ip subnet router dns domain serverid lease; do
	eval "echo $k=\$$k"
done
`

// waitLease runs BusyBox udhcpc in the console namespace until it gets a
// lease or the deadline passes, and returns the lease's fields.
func waitLease(t *testing.T, v *vm, console *testenv.Netns, deadline time.Time, m *milestones) map[string]string {
	t.Helper()
	udhcpc := testenv.RequireTool(t, "udhcpc")
	hook := filepath.Join(t.TempDir(), "hook.sh")
	if err := os.WriteFile(hook, []byte(udhcpcHook), 0o755); err != nil {
		t.Fatal(err)
	}
	for time.Now().Before(deadline) {
		select {
		case <-v.exited:
			v.failf(t, "qemu exited before psobox handed out a lease")
		default:
		}
		m.observe(v)
		if lease := tryLease(console, udhcpc, hook); lease != nil {
			m.observe(v)
			return lease
		}
	}
	v.failf(t, "no DHCP lease from psobox within %v of starting qemu", time.Since(v.started).Round(time.Second))
	return nil
}

// tryLease is one udhcpc attempt: one DISCOVER, one second for an answer.
func tryLease(console *testenv.Netns, udhcpc, hook string) map[string]string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := console.Command(ctx, udhcpc, "-i", "eth0", "-f", "-q", "-n", "-t", "1", "-T", "1", "-s", hook).Output()
	if err != nil {
		return nil
	}
	lease := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok {
			lease[k] = v
		}
	}
	if lease["ip"] == "" {
		return nil
	}
	return lease
}

func tail(s string, lines int) string {
	all := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(all[max(0, len(all)-lines):], "\n")
}
