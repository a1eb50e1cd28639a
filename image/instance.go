package image

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Import paths the image is made of.
const (
	PsoboxPackage  = "github.com/psobox/psobox/cmd/psobox"
	RandomdPackage = "github.com/gokrazy/gokrazy/cmd/randomd"
	DHCPPackage    = "github.com/gokrazy/gokrazy/cmd/dhcp"
	NTPPackage     = "github.com/gokrazy/gokrazy/cmd/ntp"
	KernelRPi      = "github.com/gokrazy/kernel.rpi"
	KernelARM64    = "github.com/gokrazy/kernel.arm64"
	KernelAMD64    = "github.com/gokrazy/kernel.amd64"
	FirmwareRPi    = "github.com/gokrazy/firmware"
	EEPROMRPi      = "github.com/gokrazy/rpi-eeprom"
)

// ConfigPath is where psobox's config file lives on the image, and
// ConfigFlag is the flag that points psobox at it.
const (
	ConfigPath = "/etc/psobox/psobox.toml"
	ConfigFlag = "-config=" + ConfigPath
)

// Instance is a gokrazy instance directory (gokrazy/<name>/config.json):
// the fields of gokrazy's config.json this project relies on. monogok reads
// the same file with its own, larger type; unknown fields are kept by
// Build because it edits the file as a generic JSON object.
type Instance struct {
	Dir  string `json:"-"` // the absolute directory holding config.json
	Name string `json:"-"` // its base name: "rpi", "vm"

	Hostname        string
	Environment     []string
	Packages        []string
	PackageConfig   map[string]PackageConfig
	SerialConsole   string
	GokrazyPackages *[]string
	KernelPackage   *string
	FirmwarePackage *string
	EEPROMPackage   *string
	Update          *struct{ HTTPPassword string }
}

// PackageConfig is one entry of config.json's PackageConfig.
type PackageConfig struct {
	GoBuildFlags      []string
	CommandLineFlags  []string
	ExtraFilePaths    map[string]string
	ExtraFileContents map[string]string
	Environment       []string
	DontStart         bool
	WaitForClock      bool
}

// LoadInstance reads dir/config.json. Unknown fields are an error: a typo
// in a field name would otherwise silently fall back to gokrazy's default
// (which, for GokrazyPackages, includes a DHCP client).
func LoadInstance(dir string) (*Instance, error) {
	dir, err := filepath.Abs(dir) // monogok runs in it; paths must not depend on ours
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		return nil, err
	}
	inst := &Instance{Dir: dir, Name: filepath.Base(dir)}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(inst); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "config.json"), err)
	}
	return inst, nil
}

// GOARCH is the target architecture from Environment ("" when unset).
func (in *Instance) GOARCH() string {
	for _, e := range in.Environment {
		if v, ok := strings.CutPrefix(e, "GOARCH="); ok {
			return v
		}
	}
	return ""
}

// Psobox is psobox's PackageConfig.
func (in *Instance) Psobox() PackageConfig { return in.PackageConfig[PsoboxPackage] }

// ConfigSource is the host path of the psobox config file that goes to
// ConfigPath, resolved against the instance directory (monogok resolves
// relative ExtraFilePaths against its working directory, and Build runs it
// in the instance directory). "" when the config is not an ExtraFilePaths
// entry.
func (in *Instance) ConfigSource() string {
	src, ok := in.Psobox().ExtraFilePaths[ConfigPath]
	if !ok {
		return ""
	}
	if filepath.IsAbs(src) {
		return src
	}
	return filepath.Join(in.Dir, src)
}

// RaspberryPi reports whether the instance boots a Raspberry Pi (its kernel
// is kernel.rpi) rather than a PC or VM.
func (in *Instance) RaspberryPi() bool { return deref(in.KernelPackage) == KernelRPi }

// GokrazyBinaries are the base names of the programs monogok installs in
// /gokrazy besides init.
func (in *Instance) GokrazyBinaries() []string {
	var out []string
	if in.GokrazyPackages != nil {
		for _, p := range *in.GokrazyPackages {
			out = append(out, filepath.Base(p))
		}
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Instances loads every gokrazy/<name>/config.json below root.
func Instances(root string) ([]*Instance, error) {
	matches, err := filepath.Glob(filepath.Join(root, "gokrazy", "*", "config.json"))
	if err != nil {
		return nil, err
	}
	var out []*Instance
	for _, m := range matches {
		inst, err := LoadInstance(filepath.Dir(m))
		if err != nil {
			return nil, err
		}
		out = append(out, inst)
	}
	return out, nil
}
