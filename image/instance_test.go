package image

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/appliance/config"
	"github.com/psobox/psobox/internal/testenv"
)

type instanceBoot struct{ GOARCH, Kernel, Firmware, EEPROM, Serial string }

// shippedBoot is what each shipped instance must boot; a new instance
// needs a row.
func shippedBoot() map[string]instanceBoot {
	return map[string]instanceBoot{
		// The Pi's console is the HDMI screen alone: Linux makes the last
		// console= the one init's output goes to, and a serial adapter is
		// rarer at a LAN party than a screen.
		"rpi": {"arm64", KernelRPi, FirmwareRPi, EEPROMRPi, "disabled"},
		"vm":  {"arm64", KernelARM64, "", "", "ttyAMA0,115200"},
	}
}

// shippedConfig is the psobox config every image ships: island mode on the
// Pi's Ethernet port, the addressing plan of docs/config.md, state on
// /perm, the status page beside gokrazy's web interface.
type shippedConfig struct {
	Mode      config.Mode
	Interface string
	Address   string
	Sentinel  string
	StateDir  string
	Status    string
}

func wantShipped() shippedConfig {
	return shippedConfig{
		Mode:      config.Island,
		Interface: "eth0",
		Address:   "10.55.0.1/24",
		Sentinel:  "198.18.55.1",
		StateDir:  "/perm/psobox",
		Status:    ":8080",
	}
}

func shippedInstances(t *testing.T) []*Instance {
	t.Helper()
	insts, err := Instances(testenv.RepoRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, in := range insts {
		names = append(names, in.Name)
	}
	if !slices.Equal(names, []string{"rpi", "vm"}) {
		t.Fatalf("instances = %q, want rpi and vm (add a row to shippedBoot for a new one)", names)
	}
	return insts
}

func TestShippedInstances(t *testing.T) {
	for _, in := range shippedInstances(t) {
		t.Run(in.Name, func(t *testing.T) {
			for _, err := range Validate(in) {
				t.Error(err)
			}
			boot := shippedBoot()[in.Name]
			got := boot
			got.GOARCH, got.Kernel, got.Firmware = in.GOARCH(), deref(in.KernelPackage), deref(in.FirmwarePackage)
			got.EEPROM, got.Serial = deref(in.EEPROMPackage), in.SerialConsole
			if diff := cmp.Diff(boot, got); diff != "" {
				t.Errorf("boot (-want +got):\n%s", diff)
			}
			cfg, err := config.Load(in.ConfigSource())
			if err != nil {
				t.Fatal(err)
			}
			gotCfg := shippedConfig{cfg.Mode, cfg.Network.Interface, cfg.Network.Address.String(), cfg.Network.Sentinel.String(), cfg.StateDirPath, cfg.Status.Listen}
			if diff := cmp.Diff(wantShipped(), gotCfg); diff != "" {
				t.Errorf("psobox config %s (-want +got):\n%s", in.ConfigSource(), diff)
			}
		})
	}
}

// Every module an instance builds from must be imported by the deps file,
// or go mod tidy drops it from go.mod and the image build fails.
func TestDepsFilePinsEveryImageModule(t *testing.T) {
	root := testenv.RepoRoot(t)
	deps := filepath.Join(root, "gokrazy", "gokrazydeps.go")
	src, err := os.ReadFile(deps)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(src), "//go:build for_go_mod_tidy_only\n") {
		t.Errorf("%s must be tagged //go:build for_go_mod_tidy_only (go mod tidy skips \"ignore\")", deps)
	}
	f, err := parser.ParseFile(token.NewFileSet(), deps, src, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	var imported []string
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		imported = append(imported, p)
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range shippedInstances(t) {
		for _, pkg := range imageModules(in) {
			if !slices.Contains(imported, pkg) {
				t.Errorf("%s: %s is not imported by %s", in.Name, pkg, deps)
			}
		}
	}
	for _, pkg := range imported {
		if !strings.Contains(string(gomod), "\n\t"+moduleOf(pkg)+" v") {
			t.Errorf("go.mod does not require %s (run go mod tidy)", moduleOf(pkg))
		}
	}
}

// imageModules are the import paths an instance pulls from outside this
// module: gokrazy's init, its programs, kernel, firmware and EEPROM.
func imageModules(in *Instance) []string {
	out := []string{"github.com/gokrazy/gokrazy"}
	if in.GokrazyPackages != nil {
		out = append(out, *in.GokrazyPackages...)
	}
	for _, p := range []*string{in.KernelPackage, in.FirmwarePackage, in.EEPROMPackage} {
		if deref(p) != "" {
			out = append(out, *p)
		}
	}
	return out
}

func moduleOf(pkg string) string {
	parts := strings.Split(pkg, "/")
	return strings.Join(parts[:min(3, len(parts))], "/")
}

func TestLoadInstanceRefusesUnknownFields(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"Hostname":"x","GokrazyPackage":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadInstance(dir); err == nil || !strings.Contains(err.Error(), "GokrazyPackage") {
		t.Errorf("LoadInstance = %v, want an error naming the unknown field", err)
	}
}
