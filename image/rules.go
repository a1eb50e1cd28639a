package image

import (
	"fmt"
	"net"
	"path"
	"slices"
	"strings"

	"github.com/psobox/psobox/appliance/config"
)

// gokrazyHTTPPort is where gokrazy's own web interface listens; psobox must
// not want it.
const gokrazyHTTPPort = "80"

// kernelArch is the GOARCH each supported kernel package runs.
func kernelArch(kernel string) string {
	switch kernel {
	case KernelRPi, KernelARM64:
		return "arm64"
	case KernelAMD64:
		return "amd64"
	}
	return ""
}

// Validate checks an instance against the rules every psobox image follows
// and returns every broken one (nil when it is fine). It reads the psobox
// config file the instance ships.
func Validate(in *Instance) []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if in.Hostname == "" {
		add("Hostname is empty")
	}
	errs = append(errs, validateBoot(in)...)
	errs = append(errs, validatePackages(in)...)
	if in.Update != nil && in.Update.HTTPPassword != "" {
		add("Update.HTTPPassword is set: never commit the web interface password (Build sets one per image)")
	}
	cfg, err := loadShippedConfig(in)
	if err != nil {
		return append(errs, err)
	}
	return append(errs, ConfigProblems(cfg)...)
}

// validateBoot checks the kernel, firmware, EEPROM, architecture and serial
// console. They are all spelled out: gokrazy's defaults are the Pi's, which
// would quietly put Pi firmware on a VM image.
func validateBoot(in *Instance) []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if in.KernelPackage == nil || in.FirmwarePackage == nil || in.EEPROMPackage == nil {
		add("KernelPackage, FirmwarePackage and EEPROMPackage must all be set explicitly")
	}
	kernel := deref(in.KernelPackage)
	arch := kernelArch(kernel)
	switch {
	case arch == "":
		add("KernelPackage %q is not one of %s, %s, %s", kernel, KernelRPi, KernelARM64, KernelAMD64)
	case in.GOARCH() != arch:
		add("Environment has GOARCH=%q but %s runs %s", in.GOARCH(), kernel, arch)
	}
	firmware, eeprom := deref(in.FirmwarePackage), deref(in.EEPROMPackage)
	if in.RaspberryPi() && (firmware != FirmwareRPi || eeprom != EEPROMRPi) {
		add("a Raspberry Pi image needs FirmwarePackage %s and EEPROMPackage %s, not %q and %q", FirmwareRPi, EEPROMRPi, firmware, eeprom)
	}
	if !in.RaspberryPi() && (firmware != "" || eeprom != "") {
		add("a PC or VM image takes no Pi firmware or EEPROM: FirmwarePackage and EEPROMPackage must be \"\"")
	}
	if want := vmSerialConsole(arch); !in.RaspberryPi() && in.SerialConsole != want {
		add("SerialConsole = %q: a %s VM logs to %q, which the boot test reads", in.SerialConsole, arch, want)
	}
	return errs
}

func vmSerialConsole(arch string) string {
	if arch == "amd64" {
		return "ttyS0,115200"
	}
	return "ttyAMA0,115200"
}

// validatePackages checks what runs on the image.
func validatePackages(in *Instance) []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if in.GokrazyPackages == nil {
		add("GokrazyPackages must be set explicitly: gokrazy's default includes its DHCP client and NTP")
	}
	gk := in.GokrazyBinaries()
	if !slices.Contains(gk, "randomd") {
		add("GokrazyPackages lacks %s (seeds the kernel RNG from /perm at boot)", RandomdPackage)
	}
	if slices.Contains(gk, "ntp") {
		add("GokrazyPackages has %s: an island has no uplink, and a clock jump under running leases helps no one", NTPPackage)
	}
	if slices.Contains(gk, "dhcp") {
		add("GokrazyPackages has %s: gokrazy's DHCP client would fight psobox's DHCP server; psobox sets the address itself", DHCPPackage)
	}
	if !slices.Contains(in.Packages, PsoboxPackage) {
		add("Packages lacks %s", PsoboxPackage)
	}
	for _, p := range in.Packages {
		if base := path.Base(p); base == "breakglass" || base == "serial-busybox" {
			add("Packages has %s: no remote or serial shell on a box strangers plug into", p)
		}
	}
	for pkg, pc := range in.PackageConfig {
		if pc.WaitForClock {
			add("PackageConfig[%s].WaitForClock: a Pi has no clock battery and an island no NTP; it would never start", pkg)
		}
	}
	ps := in.Psobox()
	if ps.DontStart {
		add("psobox has DontStart set")
	}
	if !slices.Equal(ps.CommandLineFlags, []string{ConfigFlag}) {
		add("psobox's CommandLineFlags are %q, want [%q]", ps.CommandLineFlags, ConfigFlag)
	}
	if _, ok := ps.ExtraFileContents[ConfigPath]; ok {
		add("%s is an ExtraFileContents entry: make it an ExtraFilePaths entry so users edit a TOML file, not JSON", ConfigPath)
	}
	return errs
}

func loadShippedConfig(in *Instance) (*config.Config, error) {
	src := in.ConfigSource()
	if src == "" {
		return nil, fmt.Errorf("psobox's PackageConfig has no ExtraFilePaths entry for %s", ConfigPath)
	}
	cfg, err := config.Load(src)
	if err != nil {
		return nil, fmt.Errorf("psobox config %s: %w", src, err)
	}
	return cfg, nil
}

// ConfigProblems checks a valid psobox config against what the gokrazy
// image needs: state on the writable /perm partition, and no listener on
// gokrazy's web interface port.
func ConfigProblems(cfg *config.Config) []error {
	var errs []error
	onGokrazy := config.Host{Getenv: func(string) string { return "" }, Gokrazy: func() bool { return true }}
	if dir := cfg.StateDirOn(onGokrazy); !strings.HasPrefix(path.Clean(dir)+"/", "/perm/") || path.Clean(dir) == "/perm" {
		errs = append(errs, fmt.Errorf("state_dir %q: on gokrazy only /perm is writable; use a directory below it such as /perm/psobox", dir))
	}
	if cfg.Status.Enabled && listenPort(cfg.Status.Listen) == gokrazyHTTPPort {
		errs = append(errs, fmt.Errorf("status.listen %q: port 80 belongs to gokrazy's web interface; use :8080", cfg.Status.Listen))
	}
	if cfg.DNS.Enabled && listenPort(cfg.DNS.Listen) == gokrazyHTTPPort {
		errs = append(errs, fmt.Errorf("dns.listen %q: TCP port 80 belongs to gokrazy's web interface", cfg.DNS.Listen))
	}
	return errs
}

func listenPort(addr string) string {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return ""
	}
	return port
}
