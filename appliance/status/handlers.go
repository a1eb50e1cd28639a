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

// snapshot is what one request shows, as HTML or JSON.
type snapshot struct {
	Version       string         `json:"version"`
	Mode          string         `json:"mode"`
	Started       time.Time      `json:"started"`
	UptimeSeconds int64          `json:"uptime_seconds"`
	Uptime        string         `json:"-"`
	Sections      []namedSection `json:"sections"`
}

type namedSection struct {
	Name string `json:"name"`
	Section
}

// Handler serves the page, the JSON and the health check.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.servePage)
	mux.HandleFunc("GET /api/status", s.serveJSON)
	mux.HandleFunc("GET /healthz", serveHealth)
	return securityHeaders(mux)
}

func (s *Server) snapshot(ctx context.Context) snapshot {
	up := s.opts.Now().Sub(s.opts.Started)
	snap := snapshot{
		Version:       s.opts.Version,
		Mode:          s.opts.Mode,
		Started:       s.opts.Started.UTC(),
		UptimeSeconds: int64(up / time.Second),
		Uptime:        up.Round(time.Second).String(),
	}
	for _, src := range s.opts.Sources {
		sec := src.Section(ctx)
		if sec.Rows == nil {
			sec.Rows = [][]string{}
		}
		snap.Sections = append(snap.Sections, namedSection{src.Name(), sec})
	}
	return snap
}

func (s *Server) servePage(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if err := page.Execute(&buf, s.snapshot(r.Context())); err != nil {
		s.opts.Logger.Error("render page", "err", err)
		http.Error(w, "cannot render the status page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(buf.Bytes())
}

func (s *Server) serveJSON(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(s.snapshot(r.Context()))
}

func serveHealth(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// securityHeaders keeps the page inert: no scripts, no framing, no sniffing.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}
