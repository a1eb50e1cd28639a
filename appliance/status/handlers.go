package status

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"html/template"
	"net/http"
	"time"
)

//go:embed page.html
var pageHTML string

// page is parsed once; templates are safe for concurrent use.
var page = template.Must(template.New("page").Parse(pageHTML))

// busyWait is how long a request waits for a free snapshot slot before it
// is told to come back later.
const busyWait = 2 * time.Second

// Handler serves the page, the JSON, the metrics and the health check, and
// the captures: their downloads and the one form, capture's switch (the
// only POST; everything else is GET and HEAD and changes nothing).
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.withSnapshot(s.writePage))
	mux.HandleFunc("GET /api/status", s.withSnapshot(writeJSON))
	mux.HandleFunc("GET /metrics", s.withSnapshot(writePrometheus))
	mux.HandleFunc("GET /healthz", serveHealth)
	s.captureRoutes(mux)
	return securityHeaders(mux)
}

// render turns a snapshot into a response body and its content type.
type render func(Snapshot) ([]byte, string, error)

// withSnapshot gathers a snapshot (at most maxConcurrent at once), renders
// it completely, and only then writes: a failed render is a clean 500.
func (s *Server) withSnapshot(fn render) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.acquire(r.Context()) {
			w.Header().Set("Retry-After", "2")
			http.Error(w, "the status page is busy; try again in a moment", http.StatusServiceUnavailable)
			return
		}
		snap := s.snapshot(r.Context())
		<-s.slots
		body, contentType, err := fn(snap)
		if err != nil {
			s.opts.Logger.Error("render status", "path", r.URL.Path, "err", err)
			http.Error(w, "cannot render the status", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write(body)
	}
}

func (s *Server) acquire(ctx context.Context) bool {
	t := time.NewTimer(busyWait)
	defer t.Stop()
	select {
	case s.slots <- struct{}{}:
		return true
	case <-t.C:
	case <-ctx.Done():
	}
	return false
}

func (s *Server) writePage(snap Snapshot) ([]byte, string, error) {
	var buf bytes.Buffer
	d := newPageData(snap)
	d.Capture = newCaptureView(snap.Capture, s.token, snap.Time)
	err := page.Execute(&buf, d)
	return buf.Bytes(), "text/html; charset=utf-8", err
}

func writeJSON(snap Snapshot) ([]byte, string, error) {
	body, err := json.MarshalIndent(snap, "", "  ")
	return append(body, '\n'), "application/json", err
}

func writePrometheus(snap Snapshot) ([]byte, string, error) {
	var w promWriter
	writeMetrics(&w, snap)
	return w.buf.Bytes(), promContentType, nil
}

func serveHealth(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// securityHeaders keeps the page inert: no scripts, no framing, no
// sniffing, no caching of what is a live view.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}
