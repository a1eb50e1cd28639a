package privdrop

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Cap is a Linux capability number (include/uapi/linux/capability.h).
type Cap uint

// The capabilities psobox deals with.
const (
	CapSetGID         Cap = 6
	CapSetUID         Cap = 7
	CapNetBindService Cap = 10
	CapNetAdmin       Cap = 12
	CapNetRaw         Cap = 13
	CapSysAdmin       Cap = 21
)

var capNames = map[Cap]string{
	CapSetGID: "cap_setgid", CapSetUID: "cap_setuid", CapNetBindService: "cap_net_bind_service",
	CapNetAdmin: "cap_net_admin", CapNetRaw: "cap_net_raw", CapSysAdmin: "cap_sys_admin",
}

func (c Cap) String() string {
	if n, ok := capNames[c]; ok {
		return n
	}
	return "cap_" + strconv.Itoa(int(c))
}

// CapSet is a set of capabilities as the kernel shows it: bit n is Cap n.
type CapSet uint64

// SetOf builds a CapSet.
func SetOf(caps ...Cap) CapSet {
	var s CapSet
	for _, c := range caps {
		s |= 1 << c
	}
	return s
}

// Has reports whether c is in the set.
func (s CapSet) Has(c Cap) bool { return s&(1<<c) != 0 }

// String lists the capabilities by name, "none" for the empty set.
func (s CapSet) String() string {
	var names []string
	for c := Cap(0); c < 64; c++ {
		if s.Has(c) {
			names = append(names, c.String())
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ",")
}

// Identity is who a process runs as and what it may do, from
// /proc/<pid>/status.
type Identity struct {
	UIDs, GIDs                                           [4]int // real, effective, saved, file system
	Groups                                               []int  // supplementary groups
	Inheritable, Permitted, Effective, Bounding, Ambient CapSet
	NoNewPrivs                                           bool
}

// ReadIdentity reads /proc/<pid>/status; pid 0 means this process.
func ReadIdentity(pid int) (Identity, error) {
	path := "/proc/self/status"
	if pid != 0 {
		path = fmt.Sprintf("/proc/%d/status", pid)
	}
	text, err := os.ReadFile(path)
	if err != nil {
		return Identity{}, err
	}
	id, err := parseStatus(string(text))
	if err != nil {
		return id, fmt.Errorf("%s: %w", path, err)
	}
	return id, nil
}

// statusFields says where each line of interest goes.
func (id *Identity) statusFields() map[string]func(string) error {
	return map[string]func(string) error{
		"Uid":        func(v string) error { return parseIDs(v, id.UIDs[:]) },
		"Gid":        func(v string) error { return parseIDs(v, id.GIDs[:]) },
		"Groups":     func(v string) (err error) { id.Groups, err = parseInts(v); return err },
		"CapInh":     func(v string) error { return parseCaps(v, &id.Inheritable) },
		"CapPrm":     func(v string) error { return parseCaps(v, &id.Permitted) },
		"CapEff":     func(v string) error { return parseCaps(v, &id.Effective) },
		"CapBnd":     func(v string) error { return parseCaps(v, &id.Bounding) },
		"CapAmb":     func(v string) error { return parseCaps(v, &id.Ambient) },
		"NoNewPrivs": func(v string) error { id.NoNewPrivs = v == "1"; return nil },
	}
}

func parseStatus(text string) (Identity, error) {
	var id Identity
	fields, seen := id.statusFields(), 0
	for line := range strings.SplitSeq(text, "\n") {
		key, value, _ := strings.Cut(line, ":")
		parse, ok := fields[key]
		if !ok {
			continue
		}
		if err := parse(strings.TrimSpace(value)); err != nil {
			return id, fmt.Errorf("%s: %w", key, err)
		}
		seen++
	}
	if seen != len(fields) {
		return id, fmt.Errorf("%d of the %d expected lines", seen, len(fields))
	}
	return id, nil
}

func parseIDs(v string, out []int) error {
	ids, err := parseInts(v)
	if err != nil || len(ids) != len(out) {
		return fmt.Errorf("want %d ids, got %q", len(out), v)
	}
	copy(out, ids)
	return nil
}

func parseInts(v string) ([]int, error) {
	var out []int
	for _, f := range strings.Fields(v) {
		n, err := strconv.Atoi(f)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

func parseCaps(v string, out *CapSet) error {
	n, err := strconv.ParseUint(v, 16, 64)
	*out = CapSet(n)
	return err
}
