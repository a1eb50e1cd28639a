package image

import (
	"debug/elf"
	"errors"
	"fmt"
)

// ELFInfo describes an executable found in an image.
type ELFInfo struct {
	Machine elf.Machine
	Static  bool
}

func (e ELFInfo) String() string {
	linking := "dynamically linked"
	if e.Static {
		linking = "statically linked"
	}
	return fmt.Sprintf("%s, %s", e.Machine, linking)
}

// machine is the ELF machine binaries for goarch declare.
func machine(goarch string) (elf.Machine, bool) {
	switch goarch {
	case "arm64":
		return elf.EM_AARCH64, true
	case "amd64":
		return elf.EM_X86_64, true
	}
	return elf.EM_NONE, false
}

// CheckELF verifies that path is a Linux executable for goarch that needs no
// dynamic loader: gokrazy's root file system has no libc, so a binary built
// with cgo would not start.
func CheckELF(path, goarch string) (ELFInfo, error) {
	f, err := elf.Open(path)
	if err != nil {
		return ELFInfo{}, err
	}
	defer f.Close()
	info := ELFInfo{Machine: f.Machine, Static: true}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			info.Static = false
		}
	}
	var errs []error
	if want, ok := machine(goarch); !ok || f.Machine != want {
		errs = append(errs, fmt.Errorf("built for %s, want %s (GOARCH=%s)", f.Machine, want, goarch))
	}
	if f.Type != elf.ET_EXEC && f.Type != elf.ET_DYN {
		errs = append(errs, fmt.Errorf("ELF type %s is not an executable", f.Type))
	}
	if !info.Static {
		errs = append(errs, errors.New("dynamically linked: gokrazy has no C library or loader"))
	}
	return info, errors.Join(errs...)
}
