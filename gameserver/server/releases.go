package server

import "fmt"

// releaseNames names the releases behind the sub_version values consoles
// send in their login commands, for the logs: the version alone does not
// say which region or revision (or whether a GameCube runs Plus).
var releaseNames = map[uint32]string{
	0x20: "DC v1 JP (or NTE, 11/2000)", 0x21: "DC v1 US", 0x22: "DC v1 EU 50 Hz", 0x23: "DC v1 EU 60 Hz",
	0x25: "DC v2 JP", 0x26: "DC v2 US", 0x27: "DC v2 EU 50 Hz", 0x28: "DC v2 EU 60 Hz",
	0x29: "PC",
	0x30: "GC JP v1.0/1.1 or trial, or Xbox JP", 0x31: "GC US v1.0/1.1 or Xbox US",
	0x32: "GC EU 50 Hz", 0x33: "GC EU 60 Hz", 0x34: "GC JP v1.3",
	0x35: "GC JP v1.4 (Plus)", 0x36: "GC US v1.2 (Plus)", 0x39: "GC JP v1.5 (Plus)", 0x3A: "GC US v1.2 (Plus, customized)",
	0x40: "Episode III JP or trial", 0x41: "Episode III US", 0x42: "Episode III EU 50 Hz", 0x43: "Episode III EU 60 Hz",
}

func releaseName(sub uint32) string {
	if n, ok := releaseNames[sub]; ok {
		return n
	}
	return fmt.Sprintf("unknown release (sub_version %02X)", sub)
}
