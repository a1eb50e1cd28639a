package load

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// StatusSample is the server's process as its status JSON showed it.
type StatusSample struct {
	RSSBytes   int64  `json:"rss_bytes"`
	HeapBytes  int64  `json:"heap_bytes"`
	Goroutines int    `json:"goroutines"`
	OpenFDs    int    `json:"open_fds"`
	Error      string `json:"error,omitempty"` // why the sample is missing
}

// Statuses are the samples of one run.
type Statuses struct {
	Before StatusSample `json:"before"` // before the first bot connected
	Loaded StatusSample `json:"loaded"` // at the end of the measurement, every bot connected
	Peak   StatusSample `json:"peak"`   // the highest of each value during the measurement
	After  StatusSample `json:"after"`  // after every bot left and the server settled
}

// sample reads the status JSON; without a URL the sample is empty.
func (r *runner) sample(ctx context.Context) StatusSample {
	if r.o.StatusURL == "" {
		return StatusSample{Error: "no status URL"}
	}
	s, err := FetchStatus(ctx, r.o.HTTPClient, r.o.StatusURL)
	if err != nil {
		r.o.Logger.Warn("load: status", "err", err)
		return StatusSample{Error: err.Error()}
	}
	return s
}

// FetchStatus reads the process section of a psobox status JSON at url
// (its /api/status).
func FetchStatus(ctx context.Context, hc *http.Client, url string) (StatusSample, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return StatusSample{}, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return StatusSample{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return StatusSample{}, fmt.Errorf("status %s: %s", url, resp.Status)
	}
	var doc struct {
		Process StatusSample `json:"process"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		return StatusSample{}, fmt.Errorf("status %s: %w", url, err)
	}
	return doc.Process, nil
}

// peakEvery spaces the status samples taken during the measurement: the
// status JSON of a server with 1000 players is about a megabyte, and
// building it is work (and garbage) the measurement should barely add.
const peakEvery = 2 * time.Second

// samplePeak samples the status every peakEvery for d and keeps the
// highest of each value.
func (r *runner) samplePeak(ctx context.Context, d time.Duration) StatusSample {
	var peak StatusSample
	if r.o.StatusURL == "" {
		peak.Error = "no status URL"
	}
	tick := time.NewTicker(peakEvery)
	defer tick.Stop()
	end := time.After(d)
	for {
		select {
		case <-end:
			return peak
		case <-ctx.Done():
			return peak
		case <-tick.C:
		}
		if r.o.StatusURL == "" {
			continue
		}
		s := r.sample(ctx)
		peak.RSSBytes, peak.HeapBytes = max(peak.RSSBytes, s.RSSBytes), max(peak.HeapBytes, s.HeapBytes)
		peak.Goroutines, peak.OpenFDs = max(peak.Goroutines, s.Goroutines), max(peak.OpenFDs, s.OpenFDs)
		if s.Error != "" {
			peak.Error = s.Error
		}
	}
}

// serverCPU is the server process's CPU time (user and system), or -1.
func (r *runner) serverCPU() time.Duration {
	if r.o.ServerPID <= 0 {
		return -1
	}
	d, err := procCPU(r.o.ServerPID)
	if err != nil {
		r.o.Logger.Warn("load: server CPU time", "err", err)
		return -1
	}
	return d
}

// clockTicks is USER_HZ, the unit of /proc/PID/stat's times: 100 on every
// Linux architecture.
const clockTicks = 100

// procCPU reads a process's user and system time from /proc/PID/stat.
func procCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseProcStat(string(b))
}

// parseProcStat takes utime and stime (fields 14 and 15) from a stat line;
// the command name (field 2) may hold spaces, so fields count from its ')'.
func parseProcStat(s string) (time.Duration, error) {
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, fmt.Errorf("malformed /proc stat line")
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("malformed /proc stat line: %d fields", len(f))
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("malformed /proc stat times %q %q", f[11], f[12])
	}
	return time.Duration(utime+stime) * time.Second / clockTicks, nil
}

// loadCPU is this process's CPU time (user and system).
func loadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
