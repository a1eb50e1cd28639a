package systemd

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/internal/testenv"
)

// scriptedProbe fails or passes in the order given, then keeps passing.
type scriptedProbe struct {
	mu        sync.Mutex
	results   []error
	deadlines []time.Duration
	calls     int
}

func (p *scriptedProbe) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls
}

func (p *scriptedProbe) check(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls++
	if d, ok := ctx.Deadline(); ok {
		p.deadlines = append(p.deadlines, time.Until(d).Round(time.Second))
	}
	if len(p.results) == 0 {
		return nil
	}
	err := p.results[0]
	p.results = p.results[1:]
	return err
}

// watchRounds runs RunWatchdog for 1+ticks rounds and returns the rounds
// (counted by first's calls) after which a ping went out, and the log.
func watchRounds(t *testing.T, ticks int, first *scriptedProbe, probes ...Probe) (pinged []int, log string) {
	t.Helper()
	var logs testenv.SyncBuffer
	tick := make(chan time.Time)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		RunWatchdog(ctx, WatchdogOptions{
			Interval: 30 * time.Second, Probes: probes, Ticks: tick,
			Ping:   func() error { pinged = append(pinged, first.count()); return nil },
			Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		})
	}()
	for range ticks {
		tick <- time.Now() // received only once the previous round is over
	}
	cancel()
	<-done // pinged is read only after RunWatchdog returned
	return pinged, logs.String()
}

func TestWatchdogPingsOnlyWhileProbesPass(t *testing.T) {
	dns := &scriptedProbe{results: []error{nil, errors.New("i/o timeout"), errors.New("i/o timeout"), nil}}
	game := &scriptedProbe{}
	pinged, log := watchRounds(t, 4, dns, Probe{"dns", dns.check}, Probe{"game", game.check})
	// Round 1 passes, 2 and 3 fail on dns, 4 passes. Round 5 may start
	// before the cancel is seen: it passes too, or is cut short unpinged.
	if diff := cmp.Diff([]int{1, 4}, pinged[:min(2, len(pinged))]); diff != "" || len(pinged) > 3 {
		t.Errorf("pinged after rounds %v, want 1, 4 (-want +got):\n%s", pinged, diff)
	}
	if got := strings.Count(log, `msg="self-probe failed`); got != 2 {
		t.Errorf("logged %d failures, want 2:\n%s", got, log)
	}
	for _, want := range []string{"probe=dns", `err="i/o timeout"`, "self-probes pass again"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
}

func TestWatchdogStopsAtTheFirstFailingProbe(t *testing.T) {
	dns := &scriptedProbe{results: []error{errors.New("refused")}}
	game := &scriptedProbe{}
	pinged, log := watchRounds(t, 1, dns, Probe{"dns", dns.check}, Probe{"game", game.check})
	if len(pinged) > 1 || (len(pinged) == 1 && pinged[0] != 2) {
		t.Errorf("pinged after rounds %v, want none or round 2", pinged)
	}
	if !strings.Contains(log, "probe=dns") || game.count() != dns.count()-1 {
		t.Errorf("game probe ran %d times in %d rounds, want one less: it must not run after dns failed; log:\n%s", game.count(), dns.count(), log)
	}
}

func TestWatchdogBoundsEachProbe(t *testing.T) {
	p := &scriptedProbe{}
	watchRounds(t, 1, p, Probe{"dns", p.check})
	for _, d := range p.deadlines {
		if d > maxProbeTimeout {
			t.Errorf("probe deadline %v away, want at most %v", d, maxProbeTimeout)
		}
	}
}

func TestNoWatchdogWithoutInterval(t *testing.T) {
	RunWatchdog(context.Background(), WatchdogOptions{
		Ping: func() error { t.Error("pinged without a watchdog"); return nil },
	}) // returns at once; a hang fails the test by its timeout
}

func TestWatchdogIntervalFromEnvironment(t *testing.T) {
	t.Setenv("WATCHDOG_PID", "")
	t.Setenv("WATCHDOG_USEC", "30000000")
	if d, err := WatchdogInterval(); err != nil || d != 30*time.Second {
		t.Errorf("WatchdogInterval = %v, %v; want 30s", d, err)
	}
	t.Setenv("WATCHDOG_USEC", "")
	if d, err := WatchdogInterval(); err != nil || d != 0 {
		t.Errorf("WatchdogInterval without WATCHDOG_USEC = %v, %v; want 0", d, err)
	}
}
