package server_test

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/sessionlog"
	"github.com/psobox/psobox/gameserver/sessionlog/sessionlogtest"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/internal/replaytest"
)

// replayClient is one client of a recorded session, up to its first lobby
// join (the server's first 67) or its disconnect.
type replayClient struct {
	file, name string
	port       int
	version    wire.Version // as settled at the end of the login
	events     []sessionlog.Event
}

func (rc replayClient) String() string {
	return fmt.Sprintf("%s %s (%s via %d)", rc.file, rc.name, rc.version, rc.port)
}

// loginPhases splits a log into its clients' login phases.
func loginPhases(file string, evs []sessionlog.Event) []*replayClient {
	var order []*replayClient
	byName := map[string]*replayClient{}
	for _, e := range evs {
		rc := byName[e.Client]
		switch {
		case e.Kind == sessionlog.Connect:
			rc = &replayClient{file: file, name: e.Client, port: e.Port}
			byName[e.Client] = rc
			order = append(order, rc)
		case rc == nil || rc.complete():
		case e.Kind == sessionlog.FromClient || e.Kind == sessionlog.FromServer:
			rc.events = append(rc.events, e)
			rc.version = e.Version
		}
	}
	return order
}

// complete: the login phase ends with the server's first 67.
func (rc *replayClient) complete() bool {
	n := len(rc.events)
	return n > 0 && rc.events[n-1].Kind == sessionlog.FromServer && command(rc.version, rc.events[n-1]) == 0x67
}

func command(v wire.Version, e sessionlog.Event) uint16 {
	h, err := v.HeaderFormat().Decode(e.Data)
	if err != nil {
		return 0xFFFF
	}
	return h.Command
}

// TestLoginReplay feeds every client's login phase from the real consoles'
// logs to our server, with real ciphers, and checks that our server answers
// with the same commands in the same order the reference server did. The
// only differences allowed are listed in replaytest.NewservSkipReasons.
func TestLoginReplay(t *testing.T) {
	logs := sessionlogtest.Fixtures(t)
	base := replaytest.NewservOptions(t, slices.Collect(maps.Values(logs)), t.TempDir())
	if base.Ep3CardDefinitions == "" {
		t.Fatal("no Episode III card list (B8) in the logs")
	}
	var summary []string
	names := make([]string, 0, len(logs))
	for f := range logs {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		for _, rc := range loginPhases(f, logs[f]) {
			t.Run(strings.TrimSuffix(f, ".test.txt")+"/"+rc.name, func(t *testing.T) {
				o := base
				failOnPanic(t, &o)
				srv := servertest.Start(t, o)
				r := replay(t, srv, rc)
				summary = append(summary, fmt.Sprintf("%-48s %-9s port %d: %2d server commands matched, %2d client commands sent, %2d skipped %v",
					rc.file+" "+rc.name, rc.version, rc.port, r.compared, r.sent, len(r.skipped), r.skipped))
			})
		}
	}
	var why []string
	for name, reason := range replaytest.NewservSkipReasons {
		why = append(why, name+": "+reason)
	}
	sort.Strings(why)
	t.Logf("login replay:\n%s\nskipped on purpose:\n%s", strings.Join(summary, "\n"), strings.Join(why, "\n"))
}
