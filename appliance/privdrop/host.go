package privdrop

import (
	"io/fs"
	"os"
)

// Host is what deciding whether to drop privileges looks at; tests fake it.
type Host struct {
	Geteuid func() int
	Getenv  func(key string) string
	Stat    func(path string) (fs.FileInfo, error)
}

// DefaultHost reads the real process and file system.
func DefaultHost() Host {
	return Host{Geteuid: os.Geteuid, Getenv: os.Getenv, Stat: os.Stat}
}

// Root reports whether the process runs as root.
func (h Host) Root() bool { return h.Geteuid() == 0 }

// Gokrazy reports whether gokrazy's init started the process: its binary
// is there, or it set GOKRAZY_FIRST_START (only on a program's first
// start, so the file is the usual sign).
func (h Host) Gokrazy() bool {
	if _, ok := h.lookupEnv("GOKRAZY_FIRST_START"); ok {
		return true
	}
	_, err := h.Stat("/gokrazy/init")
	return err == nil
}

// Child reports whether this process is the unprivileged child a psobox
// running as root started.
func (h Host) Child() bool {
	_, ok := h.lookupEnv(ChildEnv)
	return ok
}

func (h Host) lookupEnv(key string) (string, bool) {
	v := h.Getenv(key)
	return v, v != ""
}
