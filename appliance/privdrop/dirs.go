package privdrop

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"syscall"
)

// Own gives dir and everything under it to uid:gid, so that the child can
// keep writing the state it wrote when it ran as root (an older version,
// or a run before the drop was configured). Symbolic links are changed
// themselves and never followed.
func Own(dir string, uid, gid int) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if st, ok := info.Sys().(*syscall.Stat_t); ok && int(st.Uid) == uid && int(st.Gid) == gid {
			return nil
		}
		if err := os.Lchown(path, uid, gid); err != nil {
			return fmt.Errorf("give %s to uid %d: %w", path, uid, err)
		}
		return nil
	})
}

// Reachable checks that uid:gid (with no supplementary groups) may enter
// dir and every directory above it, and names the first one from the top
// that stops it.
func Reachable(dir string, uid, gid int) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	var chain []string
	for p := abs; ; p = filepath.Dir(p) {
		chain = append(chain, p)
		if p == filepath.Dir(p) {
			break
		}
	}
	for _, p := range slices.Backward(chain) {
		if err := searchable(p, uid, gid); err != nil {
			return fmt.Errorf("uid %d cannot reach %s: %w", uid, abs, err)
		}
	}
	return nil
}

func searchable(path string, uid, gid int) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	mode := info.Mode().Perm()
	var bit fs.FileMode
	switch {
	case int(st.Uid) == uid:
		bit = 0o100
	case int(st.Gid) == gid:
		bit = 0o010
	default:
		bit = 0o001
	}
	if mode&bit == 0 {
		return fmt.Errorf("%s is mode %04o, owned by uid %d gid %d", path, mode, st.Uid, st.Gid)
	}
	return nil
}
