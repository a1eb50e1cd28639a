package status

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"
)

// Capture is what the status page needs from session capture: its switch
// and its files. The page lists the files and serves each for download;
// a form turns capture on and off.
type Capture interface {
	Status() CaptureStatus // Files included
	SetEnabled(on bool) error
	// Open opens a file by a name Status listed; any other name is
	// ErrCaptureNotFound.
	Open(name string) (io.ReadSeekCloser, CaptureFile, error)
}

// ErrCaptureNotFound is a capture name that is not in the listing.
var ErrCaptureNotFound = errors.New("no such capture")

// CaptureStatus is the capture switch and what was recorded.
type CaptureStatus struct {
	Enabled bool          `json:"enabled"`
	Masked  bool          `json:"mask_credentials"`
	Dir     string        `json:"dir"`
	Dropped uint64        `json:"dropped_events"` // not recorded for lack of room or a failed write
	Error   string        `json:"error"`          // the last error writing captures, if any
	Files   []CaptureFile `json:"files"`          // newest first
}

// CaptureFile is one captured console session.
type CaptureFile struct {
	Name      string    `json:"name"`
	Console   string    `json:"console"` // the console's IP address
	Version   string    `json:"version"` // the version of the last command in it, as the logs write it ("GC_V3")
	Start     time.Time `json:"start"`
	Size      int64     `json:"size"`
	Recording bool      `json:"recording"` // still being written
}

// The capture switch is the page's only form. A POST changes state, so it
// must come from this page: Go's cross-origin protection refuses requests
// that browsers mark as cross-site (Sec-Fetch-Site, or an Origin that is
// not this host), and the form carries a token made once per process that
// a page elsewhere cannot read. Nothing is done on a GET.

// newToken makes the form token.
func newToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// captureRoutes adds the download and the switch.
func (s *Server) captureRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /captures/{name}", s.serveCapture)
	mux.Handle("POST /capture", http.NewCrossOriginProtection().Handler(http.HandlerFunc(s.switchCapture)))
}

// serveCapture sends one capture as a file download.
func (s *Server) serveCapture(w http.ResponseWriter, r *http.Request) {
	if s.opts.Capture == nil {
		http.NotFound(w, r)
		return
	}
	f, info, err := s.opts.Capture.Open(r.PathValue("name"))
	if errors.Is(err, ErrCaptureNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		s.opts.Logger.Error("open capture", "name", r.PathValue("name"), "err", err)
		http.Error(w, "cannot read the capture", http.StatusInternalServerError)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": info.Name}))
	http.ServeContent(w, r, "", time.Time{}, f) // no Last-Modified: a file may still grow
}

// maxFormBytes bounds the switch's form.
const maxFormBytes = 1 << 10

// switchCapture turns capture on or off and sends the browser back to the
// page.
func (s *Server) switchCapture(w http.ResponseWriter, r *http.Request) {
	if s.opts.Capture == nil {
		http.NotFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	if subtle.ConstantTimeCompare([]byte(r.PostForm.Get("token")), []byte(s.token)) != 1 {
		http.Error(w, "this form is out of date: reload the status page and try again", http.StatusForbidden)
		return
	}
	on, err := strconv.ParseBool(r.PostForm.Get("on"))
	if err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	if err := s.opts.Capture.SetEnabled(on); err != nil {
		s.opts.Logger.Error("switch capture", "on", on, "err", err)
		http.Error(w, "capture could not be switched: "+err.Error(), http.StatusInternalServerError)
		return
	}
	s.opts.Logger.Info("capture switched from the status page", "on", on, "remote", r.RemoteAddr)
	http.Redirect(w, r, "/#captures", http.StatusSeeOther)
}

// captureView is the captures section of the page.
type captureView struct {
	Enabled, Masked bool
	Dir, Error      string
	Dropped         uint64
	Token           string
	Files           table[captureRow]
}

type captureRow struct {
	Name, Console, Version, Start, Size string
	Recording                           bool
}

func newCaptureView(st *CaptureStatus, token string, now time.Time) *captureView {
	if st == nil {
		return nil
	}
	v := &captureView{Enabled: st.Enabled, Masked: st.Masked, Dir: clean(st.Dir), Error: clean(st.Error),
		Dropped: st.Dropped, Token: token}
	v.Files = cut(st.Files, func(f CaptureFile) captureRow {
		return captureRow{Name: clean(f.Name), Console: clean(f.Console), Version: clean(f.Version),
			Start: human(now.Sub(f.Start)) + " ago", Size: size(f.Size), Recording: f.Recording}
	})
	return v
}

// size writes a byte count for people.
func size(n int64) string {
	switch {
	case n < 10<<10:
		return strconv.FormatInt(n, 10) + " B"
	case n < 10<<20:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n>>20, 10) + " MiB"
}

func writeCaptureMetrics(w *promWriter, st CaptureStatus) {
	var bytes int64
	for _, f := range st.Files {
		bytes += f.Size
	}
	w.gauge("psobox_capture_enabled", "1 while game sessions are recorded.", one(boolValue(st.Enabled)))
	w.gauge("psobox_capture_files", "Capture files kept.", one(float64(len(st.Files))))
	w.gauge("psobox_capture_bytes", "Bytes of all capture files kept.", one(float64(bytes)))
	w.counter("psobox_capture_dropped_events_total", "Events not recorded because the captures filled their space or a write failed.",
		one(float64(st.Dropped)))
}
