package image

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/psobox/psobox/internal/testenv"
)

// loadShipped returns a fresh copy of a shipped instance to break.
func loadShipped(t *testing.T, name string) *Instance {
	t.Helper()
	in, err := LoadInstance(filepath.Join(testenv.RepoRoot(t), "gokrazy", name))
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// withConfig points psobox at a config file holding text.
func withConfig(t *testing.T, text string) func(*Instance) {
	return func(in *Instance) {
		path := filepath.Join(t.TempDir(), "psobox.toml")
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		editPsobox(in, func(pc *PackageConfig) { pc.ExtraFilePaths = map[string]string{ConfigPath: path} })
	}
}

func editPsobox(in *Instance, edit func(*PackageConfig)) {
	pc := in.PackageConfig[PsoboxPackage]
	edit(&pc)
	in.PackageConfig[PsoboxPackage] = pc
}

func ptr(s string) *string { return &s }

func setGokrazyPackages(pkgs ...string) func(*Instance) {
	return func(in *Instance) { in.GokrazyPackages = &pkgs }
}

const islandTOML = "mode = \"island\"\nstate_dir = \"/perm/psobox\"\n[network]\ninterface = \"eth0\"\n"

// Each broken instance must be refused with a message that says why.
func TestValidateRefuses(t *testing.T) {
	tests := []struct {
		name, instance string
		breakIt        func(*Instance)
		want           string
	}{
		{"gokrazy's DHCP client", "rpi", setGokrazyPackages(RandomdPackage, DHCPPackage), "fight psobox's DHCP server"},
		{"gokrazy's default packages", "rpi", func(in *Instance) { in.GokrazyPackages = nil }, "must be set explicitly"},
		{"NTP", "rpi", setGokrazyPackages(RandomdPackage, NTPPackage), "no uplink"},
		{"no randomd", "rpi", setGokrazyPackages(), "lacks " + RandomdPackage},
		{"WaitForClock", "rpi", func(in *Instance) { editPsobox(in, func(pc *PackageConfig) { pc.WaitForClock = true }) }, "never start"},
		{"breakglass", "rpi", func(in *Instance) { in.Packages = append(in.Packages, "github.com/gokrazy/breakglass") }, "no remote or serial shell"},
		{"no psobox", "rpi", func(in *Instance) { in.Packages = nil }, "lacks " + PsoboxPackage},
		{"psobox not started", "rpi", func(in *Instance) { editPsobox(in, func(pc *PackageConfig) { pc.DontStart = true }) }, "DontStart"},
		{"no -config flag", "rpi", func(in *Instance) { editPsobox(in, func(pc *PackageConfig) { pc.CommandLineFlags = nil }) }, "CommandLineFlags"},
		{"config as JSON text", "rpi", func(in *Instance) {
			editPsobox(in, func(pc *PackageConfig) { pc.ExtraFileContents = map[string]string{ConfigPath: islandTOML} })
		}, "make it an ExtraFilePaths entry"},
		{"no config file", "rpi", func(in *Instance) { editPsobox(in, func(pc *PackageConfig) { pc.ExtraFilePaths = nil }) }, "no ExtraFilePaths entry"},
		{"invalid config", "rpi", withConfig(t, islandTOML+"[status]\nport = 80\n"), "unknown key"},
		{"status page on gokrazy's port", "rpi", withConfig(t, islandTOML+"[status]\nlisten = \":80\"\n"), "port 80 belongs to gokrazy"},
		{"state outside /perm", "rpi", withConfig(t, strings.Replace(islandTOML, "/perm/psobox", "/var/lib/psobox", 1)), "only /perm is writable"},
		{"wrong GOARCH", "rpi", func(in *Instance) { in.Environment = []string{"GOOS=linux", "GOARCH=amd64"} }, "runs arm64"},
		{"unknown kernel", "vm", func(in *Instance) { in.KernelPackage = ptr("github.com/rtr7/kernel") }, "is not one of"},
		{"Pi without firmware", "rpi", func(in *Instance) { in.FirmwarePackage = ptr("") }, "needs FirmwarePackage"},
		{"VM with Pi EEPROM", "vm", func(in *Instance) { in.EEPROMPackage = ptr(EEPROMRPi) }, "takes no Pi firmware"},
		{"implicit EEPROM", "rpi", func(in *Instance) { in.EEPROMPackage = nil }, "set explicitly"},
		{"VM console elsewhere", "vm", func(in *Instance) { in.SerialConsole = "" }, "the boot test reads"},
		{"committed password", "rpi", func(in *Instance) { in.Update = &struct{ HTTPPassword string }{"hunter2"} }, "never commit"},
		{"no hostname", "rpi", func(in *Instance) { in.Hostname = "" }, "Hostname is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := loadShipped(t, tt.instance)
			tt.breakIt(in)
			errs := Validate(in)
			for _, err := range errs {
				if strings.Contains(err.Error(), tt.want) {
					return
				}
			}
			t.Errorf("Validate = %v, want an error containing %q", errs, tt.want)
		})
	}
}

func TestListenPort(t *testing.T) {
	for addr, want := range map[string]string{":80": "80", "0.0.0.0:8080": "8080", "[::]:80": "80", "bogus": ""} {
		if got := listenPort(addr); got != want {
			t.Errorf("listenPort(%q) = %q, want %q", addr, got, want)
		}
	}
}
