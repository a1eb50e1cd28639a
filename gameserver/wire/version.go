package wire

import "fmt"

// Version identifies a PSO client release family. The numbering follows the
// protocol research notes so that logs from the reference server read the same.
type Version uint8

// The client versions psobox knows. Patch versions speak only the patch protocol.
const (
	PCPatch  Version = iota // PC patch server protocol
	BBPatch                 // Blue Burst patch server protocol
	DCNTE                   // Dreamcast Network Trial Edition
	DC112000                // Dreamcast 11/2000 prototype
	DCV1                    // Dreamcast v1
	DCV2                    // Dreamcast v2
	PCNTE                   // PC Network Trial Edition
	PCV2                    // PC (v2)
	GCNTE                   // GameCube Episode I&II Trial Edition
	GCV3                    // GameCube Episode I&II (incl. Plus)
	GCEp3NTE                // GameCube Episode III Trial Edition
	GCEp3                   // GameCube Episode III
	XBV3                    // Xbox Episode I&II
	BBV4                    // Blue Burst
	numVersions

	// UnknownVersion marks a version not known yet (e.g. before the first
	// command of a connection on a shared port).
	UnknownVersion Version = 0xFF
)

var versionNames = [numVersions]string{
	PCPatch: "PC_PATCH", BBPatch: "BB_PATCH", DCNTE: "DC_NTE", DC112000: "DC_11_2000",
	DCV1: "DC_V1", DCV2: "DC_V2", PCNTE: "PC_NTE", PCV2: "PC_V2", GCNTE: "GC_NTE",
	GCV3: "GC_V3", GCEp3NTE: "GC_EP3_NTE", GCEp3: "GC_EP3", XBV3: "XB_V3", BBV4: "BB_V4",
}

// AllVersions lists every version in numeric order.
func AllVersions() []Version {
	vs := make([]Version, numVersions)
	for i := range vs {
		vs[i] = Version(i)
	}
	return vs
}

// String returns the log name of the version, e.g. "GC_V3".
func (v Version) String() string {
	if v < numVersions {
		return versionNames[v]
	}
	if v == UnknownVersion {
		return "UNKNOWN"
	}
	return fmt.Sprintf("Version(%d)", uint8(v))
}

// ParseVersion is the inverse of String.
func ParseVersion(s string) (Version, error) {
	for i, name := range versionNames {
		if name == s {
			return Version(i), nil
		}
	}
	return 0, fmt.Errorf("unknown PSO version %q", s)
}

// IsPatch reports whether v speaks the patch-server protocol.
func (v Version) IsPatch() bool { return v == PCPatch || v == BBPatch }

// IsV1 reports the v1 family (DC NTE, 11/2000, DC v1), which has its own
// login commands and is not sent padded commands.
func (v Version) IsV1() bool { return v == DCNTE || v == DC112000 || v == DCV1 }

// IsV2 reports the v2 family (DC v2, PC NTE, PC v2, GC NTE).
func (v Version) IsV2() bool { return v == DCV2 || v == PCNTE || v == PCV2 || v == GCNTE }

// IsV3 reports the v3 family (GC Ep1&2, Ep3 and its trial, Xbox).
func (v Version) IsV3() bool { return v == GCV3 || v == GCEp3NTE || v == GCEp3 || v == XBV3 }

// IsEp3 reports GameCube Episode III and its trial edition.
func (v Version) IsEp3() bool { return v == GCEp3NTE || v == GCEp3 }

// IsDC reports any Dreamcast release.
func (v Version) IsDC() bool { return v == DCNTE || v == DC112000 || v == DCV1 || v == DCV2 }

// IsPC reports PC releases (not the patch protocol).
func (v Version) IsPC() bool { return v == PCNTE || v == PCV2 }

// IsGC reports GameCube releases, Episode III included.
func (v Version) IsGC() bool { return v == GCNTE || v == GCV3 || v == GCEp3NTE || v == GCEp3 }

// UsesUTF16 reports whether text fields are UTF-16LE (PC and BB) rather than
// single/double-byte text with language markers.
func (v Version) UsesUTF16() bool { return v == PCNTE || v == PCV2 || v == BBV4 || v.IsPatch() }

// CipherFamily names the stream cipher a version uses on the game server.
type CipherFamily uint8

// Cipher families.
const (
	CipherV2 CipherFamily = iota // PSO V2: DC, PC, GC NTE and both patch protocols
	CipherV3                     // PSO V3: GC Ep1&2, Ep3, Xbox
	CipherBB                     // Blue Burst
)

// Cipher returns the cipher family of v.
func (v Version) Cipher() CipherFamily {
	switch {
	case v == BBV4:
		return CipherBB
	case v.IsV3():
		return CipherV3
	default:
		return CipherV2
	}
}

// HeaderFormat returns the command header layout of v.
func (v Version) HeaderFormat() HeaderFormat {
	switch {
	case v == BBV4:
		return HeaderBB
	case v.IsPC() || v.IsPatch():
		return HeaderPC
	default:
		return HeaderDC
	}
}
