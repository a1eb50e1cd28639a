package status

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
)

// heapObjectsMetric is the heap memory held by live and not yet swept
// objects; reading it does not stop the world, unlike runtime.ReadMemStats.
const heapObjectsMetric = "/memory/classes/heap/objects:bytes"

// ReadProcessStats reads this process's statistics from the Go runtime and
// /proc/self. Where /proc is missing RSSBytes is 0 and OpenFDs -1.
func ReadProcessStats() ProcessStats {
	st := ProcessStats{
		Goroutines: runtime.NumGoroutine(),
		GoVersion:  runtime.Version(),
		HeapBytes:  heapBytes(),
		OpenFDs:    openFDs("/proc/self/fd"),
	}
	if data, err := os.ReadFile("/proc/self/status"); err == nil {
		st.RSSBytes, _ = parseVmRSS(bytes.NewReader(data))
	}
	return st
}

func heapBytes() uint64 {
	sample := []metrics.Sample{{Name: heapObjectsMetric}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return sample[0].Value.Uint64()
}

// openFDs counts the entries of /proc/self/fd, less the one reading it.
func openFDs(dir string) int {
	f, err := os.Open(dir)
	if err != nil {
		return -1
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	if err != nil {
		return -1
	}
	return len(names) - 1
}

// parseVmRSS finds the "VmRSS:  1234 kB" line of /proc/<pid>/status (see
// proc(5)) and returns it in bytes.
func parseVmRSS(r io.Reader) (uint64, error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		rest, ok := bytes.CutPrefix(sc.Bytes(), []byte("VmRSS:"))
		if !ok {
			continue
		}
		return parseKB(rest)
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("reading process status: %w", err)
	}
	return 0, errors.New("process status has no VmRSS line")
}

// parseKB reads "   1234 kB" (the kernel's unit is always kB = 1024 bytes).
func parseKB(field []byte) (uint64, error) {
	parts := bytes.Fields(field)
	if len(parts) != 2 || string(parts[1]) != "kB" {
		return 0, fmt.Errorf("VmRSS %q: want a number of kB", field)
	}
	kb, err := strconv.ParseUint(string(parts[0]), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("VmRSS %q: %w", field, err)
	}
	if kb > math.MaxUint64/1024 {
		return 0, fmt.Errorf("VmRSS %q: too large", field)
	}
	return kb * 1024, nil
}
