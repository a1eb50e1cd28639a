package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/psobox/psobox/appliance/dhcp"
	"github.com/psobox/psobox/appliance/dns"
	"github.com/psobox/psobox/appliance/status"
	"github.com/psobox/psobox/gameserver/capture"
	"github.com/psobox/psobox/gameserver/server"
	"github.com/psobox/psobox/gameserver/wire"
)

// Session capture (gameserver/capture) is built with the game server: the
// game server hands it every connection, DHCP and DNS their events about
// each console, and the status page lists the files and switches it.

// mib is capture's size unit in the config.
const mib = 1 << 20

// captures returns the capture, building it on first use; nil when the
// game server is off (there is nothing to record then). A capture that is
// on but cannot create its directory is logged, stays off, and says why on
// the status page.
func (w *wiring) captures() *capture.Capture {
	if w.capt != nil || !w.cfg.Game.Enabled {
		return w.capt
	}
	k := w.cfg.Capture
	logger := w.logger.With("component", "capture")
	c, err := capture.New(capture.Options{
		Dir: w.cfg.CaptureDir(), MaxFileBytes: int64(k.MaxFileMiB) * mib, MaxTotalBytes: int64(k.MaxTotalMiB) * mib,
		KeepCredentials: !k.MaskCredentials, Enabled: k.Enabled, Logger: logger,
	})
	if err != nil {
		logger.Error("capture stays off", "err", err)
	}
	w.capt = c
	return c
}

// captureGame hands the game server the capture and the status page the
// capture's files and switch.
func (w *wiring) captureGame(opts *server.Options) {
	if c := w.captures(); c != nil {
		opts.Capture = gameCapturer{c}
		w.page.capture = captureStatus{c}
	}
}

// showConnections adds the recent connections to the status page.
func (w *wiring) showConnections(srv *server.Server) {
	w.sources = append(w.sources, connectionsSection(srv, time.Now))
}

// gameCapturer is the game server's Options.Capture.
type gameCapturer struct{ c *capture.Capture }

func (g gameCapturer) Open(info server.ConnInfo) server.Recorder {
	r := g.c.Open(capture.Conn{ID: info.ID, Remote: info.Remote, Port: info.Port, Listener: info.Listener, Time: info.Time})
	if r == nil {
		return nil // an untyped nil: the connection gets no tap at all
	}
	return r
}

// captureLookups writes the PSO name lookups of each console into its file.
func (w *wiring) captureLookups(src interface {
	SubscribeLookups(func(dns.Lookup)) func()
}) {
	c := w.captures()
	if c == nil {
		return
	}
	answer := ""
	if a := gameAddr(w.cfg); a.IsValid() {
		answer = " -> " + a.String()
	}
	src.SubscribeLookups(func(l dns.Lookup) {
		c.Note(l.Client, l.Time, fmt.Sprintf("dns: %s %s (%s)%s", l.Type, l.Name, l.Host.Label, answer), true)
	})
}

// captureLeases writes each console's DHCP exchanges into its file.
func (w *wiring) captureLeases(srv *dhcp.Server) {
	c := w.captures()
	if c == nil {
		return
	}
	srv.SubscribeEvents(func(e dhcp.Event) {
		if e.IP.IsValid() {
			c.Note(e.IP, e.Time, e.String(), false)
		}
	})
}

// captureStatus shows the capture on the status page.
type captureStatus struct{ c *capture.Capture }

func (s captureStatus) Status() status.CaptureStatus {
	st := s.c.Stats()
	out := status.CaptureStatus{Enabled: st.Enabled, Masked: st.Masked, Dir: st.Dir, Dropped: st.Dropped, Error: st.Error}
	files, err := s.c.Files()
	if err != nil && out.Error == "" {
		out.Error = err.Error()
	}
	for _, f := range files {
		out.Files = append(out.Files, captureFile(f))
	}
	return out
}

func captureFile(f capture.File) status.CaptureFile {
	return status.CaptureFile{Name: f.Name, Console: f.IP.String(), Version: f.Version, Start: f.Start, Size: f.Size, Recording: f.Open}
}

func (s captureStatus) SetEnabled(on bool) error { return s.c.SetEnabled(on) }

func (s captureStatus) Open(name string) (io.ReadSeekCloser, status.CaptureFile, error) {
	fh, f, err := s.c.OpenFile(name)
	if errors.Is(err, capture.ErrNotFound) {
		return nil, status.CaptureFile{}, status.ErrCaptureNotFound
	}
	if err != nil {
		return nil, status.CaptureFile{}, err
	}
	return fh, captureFile(f), nil
}

// captureWarnings: capture on (the page and the disk fill), or failing.
func (w *wiring) captureWarnings() []status.Warning {
	c := w.capt
	if c == nil {
		return nil
	}
	var out []status.Warning
	st := c.Stats()
	if st.Enabled {
		out = append(out, status.Warning{Component: "capture", Level: status.LevelInfo,
			Message: "capture is on: game sessions are recorded in " + st.Dir +
				" for bug reports; turn it off on this page (or set capture.enabled = false) when done"})
	}
	if st.Error != "" {
		out = append(out, status.Warning{Component: "capture", Level: status.LevelWarning, Message: "capture failed: " + st.Error})
	}
	if st.Dropped > 0 {
		out = append(out, status.Warning{Component: "capture", Level: status.LevelWarning, Message: strconv.FormatUint(st.Dropped, 10) +
			" events were not recorded: the captures still being written fill capture.max_total_mib"})
	}
	return out
}

// connectionsSection lists the game server's recent connections: the
// "did the console reach the game server, how far did it get" step of
// troubleshooting.
func connectionsSection(srv *server.Server, now func() time.Time) status.Source {
	return status.NewSource("connections", func(context.Context) status.Section {
		sec := status.Section{Title: "Recent game connections",
			Columns: []string{"when", "from", "port", "version", "reached", "ended"}}
		for _, r := range srv.RecentConnections() {
			sec.Rows = append(sec.Rows, connectionRow(r, now()))
		}
		if len(sec.Rows) == 0 {
			sec.Note = "No console has connected to the game server yet."
		}
		return sec
	})
}

func connectionRow(r server.ConnectionRecord, now time.Time) []string {
	version, ended := r.Version.String(), "still connected"
	if r.Version == wire.UnknownVersion {
		version = ""
	}
	if !r.Ended.IsZero() {
		ended = r.Outcome
	}
	return []string{ago(now.Sub(r.Started)), r.Remote.String(), strconv.Itoa(r.Port), version, r.Reached, ended}
}

// ago is a duration in the past, roughly.
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds ago", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	}
	return fmt.Sprintf("%dh %dm ago", int(d.Hours()), int(d.Minutes())%60)
}
