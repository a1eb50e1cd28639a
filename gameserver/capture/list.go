package capture

import (
	"errors"
	"io"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sync"
	"time"
)

// File is one capture file as the status page lists it.
type File struct {
	Name    string
	IP      netip.Addr // the console
	Start   time.Time
	Size    int64
	Open    bool   // still being written
	Version string // the version of the last command in it ("" when none)
}

// ErrNotFound is a name that is not a capture file in the directory.
var ErrNotFound = errors.New("capture: no such capture")

// Files lists the capture files in the directory, newest first, including
// those of earlier runs. A directory that does not exist yet has none.
func (c *Capture) Files() ([]File, error) {
	entries, err := os.ReadDir(c.opts.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	open := c.openVersions()
	var out []File
	for _, e := range entries {
		f, ok := c.describe(e, open)
		if ok {
			out = append(out, f)
		}
	}
	c.versions.keepOnly(out)
	slices.SortFunc(out, func(a, b File) int { return olderFirst(b.Name, a.Name) })
	return out, nil
}

// openVersions maps the names of files being written to the last version
// recorded in them.
func (c *Capture) openVersions() map[string]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	open := map[string]string{}
	for _, con := range c.consoles {
		if con.f != nil {
			open[con.name] = versionName(con.version)
		}
	}
	return open
}

func (c *Capture) describe(e fs.DirEntry, open map[string]string) (File, bool) {
	start, ip, _, ok := parseFileName(e.Name())
	info, err := e.Info()
	if !ok || err != nil || !info.Mode().IsRegular() {
		return File{}, false
	}
	f := File{Name: e.Name(), IP: ip, Start: start, Size: info.Size()}
	f.Version, f.Open = open[f.Name]
	if !f.Open {
		f.Version = c.versions.get(filepath.Join(c.opts.Dir, f.Name), f.Size)
	}
	return f, true
}

// OpenFile opens a capture for reading by its name as Files lists it; any
// other name (a path, a file that is not a capture) is ErrNotFound.
func (c *Capture) OpenFile(name string) (*os.File, File, error) {
	files, err := c.Files()
	if err != nil {
		return nil, File{}, err
	}
	i := slices.IndexFunc(files, func(f File) bool { return f.Name == name })
	if i < 0 {
		return nil, File{}, ErrNotFound
	}
	fh, err := os.Open(filepath.Join(c.opts.Dir, files[i].Name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, File{}, ErrNotFound // deleted since the listing
	}
	return fh, files[i], err
}

// tailBytes is how much of a closed file's end is read for its version.
const tailBytes = 16 << 10

var reVersion = regexp.MustCompile(`\(version=([A-Z0-9_]+) `)

// lastVersion finds the version of the last command near the file's end.
func lastVersion(path string, size int64) string {
	fh, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer fh.Close()
	off := max(size-tailBytes, 0)
	b, err := io.ReadAll(io.NewSectionReader(fh, off, size-off))
	if err != nil {
		return ""
	}
	all := reVersion.FindAllSubmatch(b, -1)
	if len(all) == 0 {
		return ""
	}
	return string(all[len(all)-1][1])
}

// versionCache remembers the version found at the end of closed files, so
// listing a full directory does not read every file each time.
type versionCache struct {
	mu   sync.Mutex
	seen map[string]cachedVersion // by path
}

type cachedVersion struct {
	size    int64
	version string
}

func (vc *versionCache) get(path string, size int64) string {
	vc.mu.Lock()
	defer vc.mu.Unlock()
	if cv, ok := vc.seen[path]; ok && cv.size == size {
		return cv.version
	}
	v := lastVersion(path, size)
	if vc.seen == nil {
		vc.seen = map[string]cachedVersion{}
	}
	vc.seen[path] = cachedVersion{size, v}
	return v
}

// keepOnly forgets files that are gone.
func (vc *versionCache) keepOnly(files []File) {
	vc.mu.Lock()
	defer vc.mu.Unlock()
	names := map[string]bool{}
	for _, f := range files {
		names[f.Name] = true
	}
	for path := range vc.seen {
		if !names[filepath.Base(path)] {
			delete(vc.seen, path)
		}
	}
}
