package gamereplay_test

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/server/gamereplay"
	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/sessionlog"
	"github.com/psobox/psobox/gameserver/sessionlog/sessionlogtest"
	"github.com/psobox/psobox/internal/replaytest"
)

// hasGame reports a log in which some client joins a game.
func hasGame(evs []sessionlog.Event) bool {
	for _, e := range evs {
		if e.Kind == sessionlog.FromServer && len(e.Data) > 0 && e.Data[0] == 0x64 && !e.Version.IsPC() {
			return true
		}
		if e.Kind == sessionlog.FromServer && len(e.Data) > 2 && e.Data[2] == 0x64 && e.Version.IsPC() {
			return true
		}
	}
	return false
}

// TestFixtureGamesReplay is the acceptance test of games: every log with a
// game is replayed against psobox; every command must be accepted and
// every relayed subcommand delivered where the reference server delivered
// it.
func TestFixtureGamesReplay(t *testing.T) {
	logs := sessionlogtest.Fixtures(t)
	base := replaytest.NewservOptions(t, slices.Collect(maps.Values(logs)), t.TempDir())
	var summary []string
	for _, name := range slices.Sorted(maps.Keys(logs)) {
		if !hasGame(logs[name]) {
			continue
		}
		t.Run(name, func(t *testing.T) {
			drops := &dropCounter{reasons: map[string]int{}}
			o := base
			o.Logger = slog.New(drops)
			o.OnPanic = func(v any) { t.Errorf("server panicked: %v", v) }
			srv := servertest.Start(t, o)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			rep, err := gamereplay.Replay(ctx, name, logs[name], gamereplay.Options{Settle: 500 * time.Millisecond, Addr: func(port int) (string, error) {
				if _, ok := srv.Addrs[port]; !ok {
					return "", fmt.Errorf("no listener for port %d", port)
				}
				return srv.Addr(port), nil
			}})
			if err != nil {
				t.Fatal(err)
			}
			summary = append(summary, rep.String()+drops.String())
			if problems := gameProblems(rep); len(problems) > 0 {
				t.Errorf("%s\n%s%s", strings.Join(problems, "\n"), rep, drops)
			}
		})
	}
	t.Logf("fixture game replay:\n%s", strings.Join(summary, ""))
}

// knownDifferences are the game relay differences from the reference
// server that psobox makes on purpose.
var knownDifferences = map[string]string{
	// The recorded sessions ran with the reference server's server-side
	// drops (and its item and map state decide pick-ups and which drop
	// requests count); psobox has the leader's console make the drops, so
	// requests and pick-ups go to the leader and its drops to everyone.
	"extra 60 6x5F": "drops: psobox relays the leader's drops (client drop mode)",
	"extra 62 6x5A": "pick-ups: psobox relays requests to the leader (no server item state)",
	"extra 62 6x60": "drop requests: psobox relays them to the leader (client drop mode)",
	"extra 62 6xA2": "drop requests: psobox relays them to the leader (client drop mode)",
	// Word select is translated between versions by the reference server;
	// psobox relays it between consoles of one version only.
	"missing 60 6x74": "word select: not translated between versions",
}

// gameProblems lists what fails the acceptance test: failures, and game
// relay differences that are not known ones.
func gameProblems(rep *gamereplay.Report) []string {
	problems := slices.Clone(rep.Failures)
	for k, n := range rep.Game.Differences {
		if _, ok := knownDifferences[k]; !ok {
			problems = append(problems, fmt.Sprintf("game relay: %s: %d (%s)", k, n, strings.Join(rep.Game.Examples[k], ", ")))
		}
	}
	if rep.Duplicates+rep.Unknown > 0 {
		problems = append(problems, fmt.Sprintf("%d duplicate and %d unknown deliveries", rep.Duplicates, rep.Unknown))
	}
	return problems
}

// dropCounter is a log handler that counts the subcommands the server
// dropped, by reason.
type dropCounter struct {
	mu      sync.Mutex
	reasons map[string]int
}

func (d *dropCounter) Enabled(context.Context, slog.Level) bool { return true }
func (d *dropCounter) WithAttrs([]slog.Attr) slog.Handler       { return d }
func (d *dropCounter) WithGroup(string) slog.Handler            { return d }

func (d *dropCounter) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "dropped subcommand" {
		return nil
	}
	var why, sub string
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "reason":
			why = a.Value.String()
		case "subcommand":
			sub = a.Value.String()
		}
		return true
	})
	d.mu.Lock()
	d.reasons["6x"+sub+": "+why]++
	d.mu.Unlock()
	return nil
}

func (d *dropCounter) String() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(d.reasons)) {
		fmt.Fprintf(&b, "  server dropped %s: %d\n", k, d.reasons[k])
	}
	return b.String()
}
