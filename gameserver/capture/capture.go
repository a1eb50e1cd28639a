package capture

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/psobox/psobox/gameserver/sessionlog"
	"github.com/psobox/psobox/gameserver/wire"
)

// Defaults for zero Options.
const (
	DefaultMaxFileBytes  = 8 << 20
	DefaultMaxTotalBytes = 64 << 20
	DefaultLinger        = 30 * time.Second
)

// Options configure a Capture.
type Options struct {
	Dir           string // where capture files go; created (0750) when capture is switched on
	MaxFileBytes  int64  // a console's file rotates beyond this; 0: DefaultMaxFileBytes
	MaxTotalBytes int64  // all capture files together; the oldest are deleted; 0: DefaultMaxTotalBytes
	// KeepCredentials records serials, access keys, passwords... as sent.
	// The default masks them (see RewriteCredentials).
	KeepCredentials bool
	Enabled         bool          // recording from the start
	Linger          time.Duration // a console's file stays open this long after its last connection; 0: DefaultLinger
	Key             []byte        // masking key; nil: random for this process
	PID             int           // printed in each line; 0: this process's id
	Now             func() time.Time
	Logger          *slog.Logger
}

// Capture records game sessions into one file per console (by IP
// address). It is safe for concurrent use.
type Capture struct {
	opts     Options
	mask     bool
	faker    Faker
	enabled  atomic.Bool
	dropped  atomic.Uint64 // events not written: no room, or a write failed
	versions versionCache

	mu       sync.Mutex
	consoles map[netip.Addr]*console
	pending  pendingNotes
	disk     diskUsage
	buf      bytes.Buffer
	out      *sessionlog.Writer // formats into buf
	failed   string             // the last write or directory error, for the status page
	// lastStamp and lastN name the last file created, so that files
	// started in the same millisecond get increasing numbers.
	lastStamp string
	lastN     int
}

// New returns a Capture; when opts.Enabled it creates the directory and
// takes stock of the files already there (an error then is returned, and
// the Capture stays switched off).
func New(opts Options) (*Capture, error) {
	if opts.Dir == "" {
		return nil, errors.New("capture: no directory")
	}
	if opts.MaxFileBytes <= 0 {
		opts.MaxFileBytes = DefaultMaxFileBytes
	}
	if opts.MaxTotalBytes <= 0 {
		opts.MaxTotalBytes = DefaultMaxTotalBytes
	}
	opts.MaxTotalBytes = max(opts.MaxTotalBytes, opts.MaxFileBytes)
	if opts.Linger <= 0 {
		opts.Linger = DefaultLinger
	}
	if opts.PID == 0 {
		opts.PID = os.Getpid()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	c := &Capture{opts: opts, mask: !opts.KeepCredentials, faker: NewFaker(opts.Key),
		consoles: map[netip.Addr]*console{}}
	c.out = sessionlog.NewWriter(&c.buf, opts.PID)
	if opts.Enabled {
		return c, c.SetEnabled(true)
	}
	return c, nil
}

func (c *Capture) now() time.Time { return c.opts.Now() }

// Dir is where the capture files are.
func (c *Capture) Dir() string { return c.opts.Dir }

// Enabled reports whether new sessions are recorded.
func (c *Capture) Enabled() bool { return c.enabled.Load() }

// SetEnabled switches recording on or off. On creates the directory and
// deletes the oldest files if those already there exceed the total size;
// off closes every file at once (sessions in progress stop being recorded).
func (c *Capture) SetEnabled(on bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !on {
		c.enabled.Store(false)
		c.closeAll()
		return nil
	}
	if c.enabled.Load() {
		return nil
	}
	if err := c.disk.scan(c.opts.Dir); err != nil {
		c.failed = err.Error()
		return fmt.Errorf("capture: %w", err)
	}
	c.failed = ""
	c.disk.makeRoom(c.opts.Dir, 0, c.opts.MaxTotalBytes, c.opts.Logger)
	c.enabled.Store(true)
	c.opts.Logger.Info("capture on", "dir", c.opts.Dir, "mask_credentials", c.mask)
	return nil
}

// Close closes every open file; recording stops.
func (c *Capture) Close() error { return c.SetEnabled(false) }

// Open starts recording a connection, or returns nil when capture is off.
func (c *Capture) Open(conn Conn) *Recorder {
	if !c.Enabled() {
		return nil
	}
	ip := conn.Remote.Addr().Unmap()
	c.mu.Lock()
	con := c.console(ip, conn.Time)
	con.conns++
	con.stopLinger()
	c.mu.Unlock()
	r := &Recorder{cap: c, con: con, client: clientName(conn.ID), peer: conn.Remote.String()}
	c.write(con, sessionlog.Event{Kind: sessionlog.Connect, Time: conn.Time, Client: r.client, Listener: conn.Listener})
	c.write(con, sessionlog.Event{Kind: sessionlog.Note, Time: conn.Time, Client: r.client,
		Text: fmt.Sprintf("connected from %v to port %d", conn.Remote, conn.Port)})
	return r
}

// Stats are the Capture's counters for the status page.
type Stats struct {
	Enabled bool
	Masked  bool
	Dir     string
	Dropped uint64 // events not recorded for lack of room or a failed write
	Error   string // the last error writing captures, if any
}

// Stats reports the switch and the counters.
func (c *Capture) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{Enabled: c.Enabled(), Masked: c.mask, Dir: c.opts.Dir, Dropped: c.dropped.Load(), Error: c.failed}
}

// write formats ev and appends it to con's file, rotating the file and
// deleting old ones as the limits require. It drops the event when capture
// is off or con's file was closed, and counts it dropped when it cannot be
// formatted.
func (c *Capture) write(con *console, ev sessionlog.Event) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.Enabled() || con.closed {
		return
	}
	c.buf.Reset()
	if err := c.out.Write(ev); err != nil || c.out.Flush() != nil {
		// The writer's errors are sticky: a fresh one keeps one event it
		// refused from ending every capture after it.
		c.out = sessionlog.NewWriter(&c.buf, c.opts.PID)
		c.dropped.Add(1)
		return
	}
	c.append(con, c.buf.Bytes())
}

// release is a connection of con ending; its file stays open for Linger
// in case the console connects again (9100 sends it on to 9103).
func (c *Capture) release(con *console) {
	c.mu.Lock()
	defer c.mu.Unlock()
	con.conns--
	c.lingerLocked(con)
}

func (c *Capture) noteVersion(con *console, v wire.Version) {
	c.mu.Lock()
	defer c.mu.Unlock()
	con.version = v
}

func versionName(v wire.Version) string {
	if v == wire.UnknownVersion {
		return ""
	}
	return v.String()
}
