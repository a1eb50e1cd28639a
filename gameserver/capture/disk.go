package capture

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Capture files are named capture-<start, UTC>-<console address>[-<n>].txt,
// e.g. capture-20260501T150025.123Z-10.55.0.23.txt (IPv6 colons become
// '_'); n counts files started in the same millisecond. Only names of this
// form are listed, served or deleted.
var reFileName = regexp.MustCompile(`^capture-(\d{8}T\d{6}\.\d{3}Z)-([0-9A-Za-z._]+?)(?:-(\d{1,3}))?\.txt$`)

const stampLayout = "20060102T150405.000Z"

func fileName(t time.Time, ip netip.Addr, n int) string {
	label := strings.ReplaceAll(ip.String(), ":", "_")
	if n > 1 {
		return fmt.Sprintf("capture-%s-%s-%d.txt", t.UTC().Format(stampLayout), label, n)
	}
	return fmt.Sprintf("capture-%s-%s.txt", t.UTC().Format(stampLayout), label)
}

// parseFileName reads the start time, console address and sequence number
// (1 when absent) from a name.
func parseFileName(name string) (t time.Time, ip netip.Addr, n int, ok bool) {
	m := reFileName.FindStringSubmatch(name)
	if m == nil {
		return time.Time{}, netip.Addr{}, 0, false
	}
	t, err1 := time.Parse(stampLayout, m[1])
	ip, err2 := netip.ParseAddr(strings.ReplaceAll(m[2], "_", ":"))
	n = 1
	if m[3] != "" {
		n, _ = strconv.Atoi(m[3])
	}
	return t, ip, n, err1 == nil && err2 == nil
}

// olderFirst orders capture file names by start time, then sequence.
func olderFirst(a, b string) int {
	ta, _, na, _ := parseFileName(a)
	tb, _, nb, _ := parseFileName(b)
	if c := ta.Compare(tb); c != 0 {
		return c
	}
	if na != nb {
		return na - nb
	}
	return strings.Compare(a, b)
}

// createFile creates a new capture file, never overwriting one; n counts
// up from after (the last n used for this start time), so that names keep
// the order files were started in.
func createFile(dir string, t time.Time, ip netip.Addr, after int) (*os.File, string, int, error) {
	for n := after + 1; n < 1000; n++ {
		name := fileName(t, ip, n)
		f, err := os.OpenFile(filepath.Join(dir, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o640)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, name, n, err
	}
	return nil, "", 0, fmt.Errorf("capture: too many files named like %s", fileName(t, ip, 1))
}

// diskUsage accounts for the capture directory: the bytes of every capture
// file, and the files no longer written, oldest first, which are the ones
// deleted to make room. Guarded by Capture.mu.
type diskUsage struct {
	total  int64
	closed []diskFile
}

type diskFile struct {
	name string
	size int64
}

// scan creates dir if needed and takes stock of the files in it.
func (d *diskUsage) scan(dir string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	*d = diskUsage{}
	for _, e := range entries {
		info, err := e.Info()
		if _, _, _, ok := parseFileName(e.Name()); err != nil || !ok || !info.Mode().IsRegular() {
			continue
		}
		d.total += info.Size()
		d.closed = append(d.closed, diskFile{e.Name(), info.Size()})
	}
	slices.SortFunc(d.closed, func(a, b diskFile) int { return olderFirst(a.name, b.name) })
	return nil
}

// makeRoom deletes the oldest closed files until n more bytes fit in max,
// and reports whether they do. A file that cannot be deleted stops it:
// events are then dropped rather than the limit exceeded.
func (d *diskUsage) makeRoom(dir string, n, max int64, log *slog.Logger) bool {
	for d.total+n > max && len(d.closed) > 0 {
		old := d.closed[0]
		if err := os.Remove(filepath.Join(dir, old.name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			log.Warn("capture: cannot delete an old capture to make room", "file", old.name, "err", err)
			return false
		}
		d.closed = d.closed[1:]
		d.total -= old.size
		log.Info("capture: deleted the oldest capture to stay within capture.max_total_mib", "file", old.name)
	}
	return d.total+n <= max
}

// closedFile makes a finished file a candidate for deletion.
func (d *diskUsage) closedFile(name string, size int64) {
	d.closed = append(d.closed, diskFile{name, size})
}
