package load

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/psobox/psobox/gameserver/client"
)

// stats is what the bots count while they run. Counts of traffic are
// those sent or received inside the measurement window.
type stats struct {
	windowStart atomic.Int64 // ns on the load clock; MaxInt64 until every bot is set up
	windowEnd   atomic.Int64

	logins, lobbies, gamesCreated, gameJoins atomic.Int64
	inLobby, inGame                          atomic.Int64
	firstDial, lastLogin                     atomic.Int64
	loginTime                                histogram

	chatSent, chatRecv   atomic.Uint64
	relaySent, relayRecv atomic.Uint64
	chatLat, relayLat    histogram

	slowDropped atomic.Int64 // slow bots the server dropped

	errs errorCounts
}

func (s *stats) init() {
	s.windowStart.Store(math.MaxInt64)
	s.windowEnd.Store(math.MaxInt64)
	s.firstDial.Store(math.MaxInt64)
}

// inWindow reports whether t (ns on the load clock) is measured.
func (s *stats) inWindow(t int64) bool {
	return t >= s.windowStart.Load() && t < s.windowEnd.Load()
}

// received records a timed command that arrived at t, sent at sent.
func (s *stats) received(count *atomic.Uint64, lat *histogram, sent, t int64) {
	if !s.inWindow(t) {
		return
	}
	count.Add(1)
	lat.record(time.Duration(t - sent))
}

func (s *stats) sent(count *atomic.Uint64, t int64) {
	if s.inWindow(t) {
		count.Add(1)
	}
}

func storeMin(v *atomic.Int64, x int64) {
	for {
		old := v.Load()
		if x >= old || v.CompareAndSwap(old, x) {
			return
		}
	}
}

func storeMax(v *atomic.Int64, x int64) {
	for {
		old := v.Load()
		if x <= old || v.CompareAndSwap(old, x) {
			return
		}
	}
}

// errorCounts counts failures by kind: the step that failed and why, in a
// few words, so that a thousand bots failing alike make one line.
// The first error of each kind is logged in full.
type errorCounts struct {
	mu  sync.Mutex
	m   map[string]int
	log *slog.Logger
}

func (e *errorCounts) add(bot int, step string, err error) {
	kind := step + ": " + errorKind(err)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.m == nil {
		e.m = make(map[string]int)
	}
	if e.m[kind] == 0 {
		e.log.Warn("load: first error of its kind", "bot", bot, "step", step, "err", err)
	}
	e.m[kind]++
}

func (e *errorCounts) snapshot() map[string]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	m := make(map[string]int, len(e.m))
	for k, v := range e.m {
		m[k] = v
	}
	return m
}

// errorKind says in a few words why a step failed.
func errorKind(err error) string {
	var refused *client.RefusedError
	var gameRefused *client.GameRefusedError
	var closed *client.ClosedError
	var wait *client.WaitError
	switch {
	case errors.As(err, &gameRefused):
		return "refused: " + cut(gameRefused.Message, 48)
	case errors.As(err, &refused):
		return fmt.Sprintf("refused: %02X code %02X (%s)", refused.Cmd, refused.Code, refused.Reason)
	case errors.As(err, &closed):
		return closedKind(closed)
	case errors.As(err, &wait):
		return "timed out waiting for " + wait.Waiting
	case errors.Is(err, client.ErrInboxFull):
		return "inbox full"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, syscall.EADDRNOTAVAIL), errors.Is(err, syscall.EADDRINUSE):
		return "no local address or port"
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	}
	return cut(err.Error(), 64)
}

func closedKind(e *client.ClosedError) string {
	if e.LastMessage != "" {
		return "closed by server: " + cut(strings.ReplaceAll(e.LastMessage, "\n", " "), 48)
	}
	return "closed by server"
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// ErrorLines lists error counts, most frequent first.
func ErrorLines(m map[string]int) []string {
	kinds := make([]string, 0, len(m))
	for k := range m {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool {
		if m[kinds[i]] != m[kinds[j]] {
			return m[kinds[i]] > m[kinds[j]]
		}
		return kinds[i] < kinds[j]
	})
	lines := make([]string, len(kinds))
	for i, k := range kinds {
		lines[i] = fmt.Sprintf("%6d  %s", m[k], k)
	}
	return lines
}
