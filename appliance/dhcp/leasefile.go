package dhcp

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"time"

	"github.com/google/renameio/v2"
)

// LeaseFileName is the lease file's name inside the state directory.
const LeaseFileName = "dhcp-leases.json"

const leaseFileVersion = 1

// plausibleEpoch: no lease file was written before this date, so a file
// stamped earlier was written while the wall clock was wrong (a Pi without
// a clock chip boots in 1970).
var plausibleEpoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// leaseFileJSON is the file format. Each lease carries both its wall-clock
// end and the time it had left when the file was written: the first is
// right when the clock is right, the second survives a clock that is not.
type leaseFileJSON struct {
	Version   int         `json:"version"`
	WrittenAt time.Time   `json:"written_at"`
	Leases    []leaseJSON `json:"leases"`
}

type leaseJSON struct {
	MAC       string     `json:"mac"`
	IP        netip.Addr `json:"ip"`
	Hostname  string     `json:"hostname,omitempty"`
	State     string     `json:"state"`      // bound or released
	ExpiresAt time.Time  `json:"expires_at"` // lease end, or when the address was freed
	// RemainingSeconds is expires_at minus written_at: negative for
	// addresses freed that long ago (it orders reuse).
	RemainingSeconds int64 `json:"remaining_seconds"`
}

// maxRemaining (ten years, in seconds) bounds remaining_seconds: anything
// larger is damage, and would overflow a time.Duration.
const maxRemaining = 10 * 366 * 24 * 3600

// errCorrupt marks lease files that cannot be used as they are.
var errCorrupt = errors.New("corrupt lease file")

func encodeLeases(recs []lease, now time.Time) ([]byte, error) {
	f := leaseFileJSON{Version: leaseFileVersion, WrittenAt: now.Round(0).UTC(), Leases: []leaseJSON{}}
	for _, l := range recs {
		state := stateBound
		if !l.active(now) || l.state != stateBound {
			state = stateReleased // offers and expired leases keep only their affinity
		}
		left := l.expiry.Sub(now)
		f.Leases = append(f.Leases, leaseJSON{
			MAC: l.mac.mac().String(), IP: l.ip, Hostname: l.hostname, State: state.String(),
			ExpiresAt: f.WrittenAt.Add(left), RemainingSeconds: int64(left / time.Second),
		})
	}
	return json.MarshalIndent(f, "", "\t")
}

// decodeLeases parses a lease file written at mtime (the file system's
// clock) into records whose expiry is anchored at now.
func decodeLeases(data []byte, mtime, now time.Time) ([]lease, error) {
	var f leaseFileJSON
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%w: %w", errCorrupt, err)
	}
	if f.Version != leaseFileVersion {
		return nil, fmt.Errorf("%w: version %d, want %d", errCorrupt, f.Version, leaseFileVersion)
	}
	trusted := wallClockTrusted(f.WrittenAt, mtime, now)
	seenMAC, seenIP := map[hwKey]bool{}, map[netip.Addr]bool{}
	recs := make([]lease, 0, len(f.Leases))
	for i, lj := range f.Leases {
		l, err := lj.record(trusted, now)
		if err == nil && (seenMAC[l.mac] || seenIP[l.ip]) {
			err = errors.New("MAC or address listed twice")
		}
		if err != nil {
			return nil, fmt.Errorf("%w: lease %d: %w", errCorrupt, i, err)
		}
		seenMAC[l.mac], seenIP[l.ip] = true, true
		recs = append(recs, l)
	}
	return recs, nil
}

// wallClockTrusted decides whether the file's wall-clock expiries can be
// compared with now. They cannot when the file was written before the
// clock was set, or when now is earlier than the file (this boot's clock
// has not been set yet): then the remaining durations are used, as if no
// time had passed while the box was off. That errs towards keeping a
// console's address reserved, never towards handing it to someone else.
func wallClockTrusted(writtenAt, mtime, now time.Time) bool {
	written := writtenAt
	if mtime.After(written) {
		written = mtime
	}
	return !written.Before(plausibleEpoch) && !now.Before(written)
}

func (lj leaseJSON) record(trusted bool, now time.Time) (lease, error) {
	mac, err := net.ParseMAC(lj.MAC)
	if err != nil || len(mac) != 6 {
		return lease{}, fmt.Errorf("MAC %q is not an Ethernet address", lj.MAC)
	}
	if !lj.IP.Is4() {
		return lease{}, fmt.Errorf("address %v is not IPv4", lj.IP)
	}
	l := lease{mac: keyOf(mac), ip: lj.IP, hostname: lj.Hostname}
	switch lj.State {
	case "bound":
		l.state = stateBound
	case "released":
		l.state = stateReleased
	default:
		return lease{}, fmt.Errorf("state %q: want bound or released", lj.State)
	}
	if lj.RemainingSeconds > maxRemaining || lj.RemainingSeconds < -maxRemaining {
		return lease{}, fmt.Errorf("remaining time %ds is out of range", lj.RemainingSeconds)
	}
	left := time.Duration(lj.RemainingSeconds) * time.Second
	if trusted {
		left = lj.ExpiresAt.Sub(now.Round(0))
	}
	l.expiry = now.Add(left) // anchored on now, so it keeps now's monotonic reading
	return l, nil
}

// leaseFile is the lease file in the state directory.
type leaseFile struct {
	path string
}

func (f leaseFile) load(now time.Time) ([]lease, error) {
	data, err := os.ReadFile(f.path)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(f.path)
	if err != nil {
		return nil, err
	}
	return decodeLeases(data, st.ModTime(), now)
}

// save replaces the file atomically: a crash leaves the old or the new
// file, never a torn one (temp file, fsync, rename).
func (f leaseFile) save(recs []lease, now time.Time) error {
	data, err := encodeLeases(recs, now)
	if err != nil {
		return err
	}
	return renameio.WriteFile(f.path, data, 0o600)
}

// quarantine moves a corrupt file aside, keeping it for inspection, and
// returns its new name.
func (f leaseFile) quarantine(now time.Time) (string, error) {
	base := f.path + ".corrupt-" + now.UTC().Format("20060102T150405Z")
	dest := base
	for i := 1; ; i++ {
		if _, err := os.Lstat(dest); errors.Is(err, os.ErrNotExist) {
			break
		}
		dest = fmt.Sprintf("%s-%d", base, i)
	}
	return dest, os.Rename(f.path, dest)
}

func newLeaseFile(stateDir string) *leaseFile {
	if stateDir == "" {
		return nil
	}
	return &leaseFile{path: filepath.Join(stateDir, LeaseFileName)}
}
