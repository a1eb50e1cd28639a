package config

import (
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
)

// ServedSubnet is the subnet consoles get addresses in: network.address
// with its host bits cleared.
func (c *Config) ServedSubnet() netip.Prefix { return c.Network.Address.Masked() }

// Pool returns the first and last address DHCP hands out: the configured
// range, or .100 to .199 of the served subnet when none is set.
func (c *Config) Pool() (start, end netip.Addr) {
	if c.DHCP.PoolStart.IsValid() {
		return c.DHCP.PoolStart, c.DHCP.PoolEnd
	}
	base := c.ServedSubnet().Addr().As4()
	start = netip.AddrFrom4([4]byte{base[0], base[1], base[2], base[3] + 100})
	end = netip.AddrFrom4([4]byte{base[0], base[1], base[2], base[3] + 199})
	return start, end
}

// SlogLevel is log.level as a slog level.
func (c *Config) SlogLevel() slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.Log.Level)); err != nil {
		return slog.LevelInfo
	}
	return l
}

// Host is what resolving the state directory looks at; tests fake it.
type Host struct {
	Getenv  func(key string) string
	Gokrazy func() bool // running under gokrazy with /perm mounted
}

// DefaultHost reads the real environment and file system.
func DefaultHost() Host {
	return Host{Getenv: os.Getenv, Gokrazy: onGokrazy}
}

// StateDir is where psobox keeps its state: state_dir when set (the
// -state-dir flag overrides that key), else systemd's $STATE_DIRECTORY,
// else /perm/psobox on gokrazy, else ./psobox-state.
func (c *Config) StateDir() string { return c.StateDirOn(DefaultHost()) }

// StateDirOn is StateDir on the given host.
func (c *Config) StateDirOn(h Host) string {
	if c.StateDirPath != "" {
		return c.StateDirPath
	}
	// systemd separates several StateDirectory= entries with ':'.
	if dir, _, _ := strings.Cut(h.Getenv("STATE_DIRECTORY"), ":"); dir != "" {
		return dir
	}
	if h.Gokrazy() {
		return "/perm/psobox"
	}
	return "psobox-state"
}

// QuestDir is game.quest_dir, or <state_dir>/quests.
func (c *Config) QuestDir() string { return c.orStateSub(c.Game.QuestDir, "quests") }

// BBKeyDir is game.bb_key_dir, or <state_dir>/bb-keys.
func (c *Config) BBKeyDir() string { return c.orStateSub(c.Game.BBKeyDir, "bb-keys") }

// CaptureDir is capture.dir, or <state_dir>/captures.
func (c *Config) CaptureDir() string { return c.orStateSub(c.Capture.Dir, "captures") }

func (c *Config) orStateSub(dir, sub string) string {
	if dir != "" {
		return dir
	}
	return filepath.Join(c.StateDir(), sub)
}

// onGokrazy reports whether gokrazy's init exists and /perm is mounted:
// without the mount, /perm is the read-only root file system.
func onGokrazy() bool {
	if _, err := os.Stat("/gokrazy/init"); err != nil {
		return false
	}
	mountinfo, err := os.ReadFile("/proc/self/mountinfo")
	return err == nil && mountedAt(string(mountinfo), "/perm")
}

// mountedAt reports whether mountinfo (proc(5) format) lists a mount on dir.
func mountedAt(mountinfo, dir string) bool {
	for line := range strings.SplitSeq(mountinfo, "\n") {
		if f := strings.Fields(line); len(f) > 4 && f[4] == dir {
			return true
		}
	}
	return false
}
