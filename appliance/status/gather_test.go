package status

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// stuckGame hangs until released, like a game server whose lobby lock is
// held by a bug, and counts how often it was asked.
type stuckGame struct {
	release chan struct{}
	calls   *atomic.Int32
}

func (g stuckGame) Players() []PlayerInfo { g.calls.Add(1); <-g.release; return nil }
func (g stuckGame) Lobbies() []LobbyInfo  { return nil }
func (g stuckGame) Games() []GameInfo     { return nil }

func TestStuckPartBecomesAWarning(t *testing.T) {
	game := stuckGame{make(chan struct{}), new(atomic.Int32)}
	released := false
	t.Cleanup(func() {
		if !released {
			close(game.release)
		}
	})
	opts := fakeOptions()
	opts.Game = game
	opts.Timeout = 200 * time.Millisecond
	s := New(opts)
	snap := s.snapshot(context.Background())
	if !hasWarning(snap, Warning{Component: "status", Level: LevelError,
		Message: "could not read the game server: it gave no answer within 200ms; what is shown may be incomplete"}) {
		t.Errorf("warnings = %v, want one saying the game server did not answer", snap.Warnings)
	}
	if !snap.GameRunning || len(snap.Players) != 0 || len(snap.Consoles) != 3 || snap.DNS == nil {
		t.Errorf("the other parts are missing: %+v", snap)
	}

	// While that call hangs, the part is not asked again: one stuck
	// goroutine, not one per page view.
	snap = s.snapshot(context.Background())
	if !hasWarning(snap, Warning{Component: "status", Level: LevelError,
		Message: "could not read the game server: it has not answered an earlier request yet; what is shown may be incomplete"}) {
		t.Errorf("warnings = %v, want one saying the game server is still stuck", snap.Warnings)
	}
	if n := game.calls.Load(); n != 1 {
		t.Errorf("the stuck game server was asked %d times, want 1", n)
	}

	// Once it answers, it is asked again.
	close(game.release)
	released = true
	for s.guards.game.overdue.Load() != 0 {
		time.Sleep(time.Millisecond)
	}
	snap = s.snapshot(context.Background())
	if len(snap.Warnings) != 2 || game.calls.Load() != 2 {
		t.Errorf("after recovery: %d calls, warnings %v", game.calls.Load(), snap.Warnings)
	}
}

// A typed nil pointer in an interface, a panicking adapter: the page
// shows a warning and the rest.
func TestPanickingPartsBecomeWarnings(t *testing.T) {
	opts := fakeOptions()
	opts.Game = (*fakeGame)(nil) // its methods dereference the nil pointer
	opts.DNS = (*fakeDNS)(nil)
	opts.Warnings = append(opts.Warnings, nil, WarningFunc(func() []Warning { panic("bug in a warning source") }))
	opts.Sources = append(opts.Sources, nil, NewSource("boom", func(context.Context) Section { panic("bug in a section") }))
	base, _, _ := start(t, opts)
	resp, doc := get(t, "GET", base+"/")
	if resp.StatusCode != 200 {
		t.Fatalf("GET / = %s", resp.Status)
	}
	warnings := text(t, doc, "warnings")
	for _, want := range []string{
		"could not read the game server: it panicked: runtime error: invalid memory address",
		"could not read the DNS server: it panicked",
		"could not read a warning source: it panicked: bug in a warning source",
		"could not read extra section 2: it panicked: bug in a section",
		"capture: capture is on", // the working sources still show
	} {
		if !strings.Contains(warnings, want) {
			t.Errorf("warnings lack %q:\n%s", want, warnings)
		}
	}
	if got := text(t, doc, "extra-2"); !strings.Contains(got, "not available: panicked: bug in a section") {
		t.Errorf("broken section shown as %q", got)
	}
	for _, path := range []string{"/api/status", "/metrics"} {
		if resp, _ := get(t, "GET", base+path); resp.StatusCode != 200 {
			t.Errorf("GET %s = %s", path, resp.Status)
		}
	}
}

func TestAskAndAwait(t *testing.T) {
	var g guard
	v, err := await(context.Background(), ask(&g, func() int { return 7 }))
	if v != 7 || err != nil {
		t.Errorf("await = %v, %v; want 7, nil", v, err)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(errTooSlow{"1s"})
	block := make(chan struct{})
	if _, err := await(ctx, ask(&g, func() int { <-block; return 1 })); err == nil || err.Error() != "gave no answer within 1s" {
		t.Errorf("await after the deadline = %v", err)
	}
	called := false
	if _, err := await(context.Background(), ask(&g, func() int { called = true; return 2 })); err != errStillStuck || called {
		t.Errorf("ask while a call is overdue = %v (called %v), want errStillStuck without a call", err, called)
	}
	close(block)
	for g.overdue.Load() != 0 {
		time.Sleep(time.Millisecond)
	}
	if v, err := await(context.Background(), ask(&g, func() int { return 3 })); v != 3 || err != nil {
		t.Errorf("ask after the part answered = %v, %v", v, err)
	}
}

func hasWarning(snap Snapshot, want Warning) bool {
	for _, w := range snap.Warnings {
		if w == want {
			return true
		}
	}
	return false
}
