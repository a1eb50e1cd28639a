package gamereplay

import (
	"fmt"
	"maps"
	"math/bits"
	"slices"
	"strings"
)

// Report is what a replay found.
type Report struct {
	Log        string
	Clients    int
	Commands   int            // client commands sent to the server
	NotSent    int            // client commands not sent: the server had closed that connection
	Rewritten  int            // game selections pointed at the server's own game IDs
	Skipped    map[string]int // client commands left out, by reason
	Lobby      RelayCount     // subcommands relayed in lobbies
	Game       RelayCount     // subcommands relayed in games
	Duplicates int            // deliveries of a subcommand a receiver already had
	Unknown    int            // deliveries of bytes no client sent
	Failures   []string       // connections the server closed, game commands it never sent
	LobbyNotes []string       // lobby commands (67-69) it did not send where the reference server did
}

// RelayCount compares the server's deliveries with the reference
// server's.
type RelayCount struct {
	Subcommands int // subcommands clients sent
	AsReference int // delivered to exactly the receivers the reference server chose (to none included)
	Delivered   int // deliveries the reference server made
	Missing     int // deliveries the reference server made and this server did not
	Extra       int // deliveries this server made and the reference server did not
	// Differences counts missing and extra deliveries by kind, command and
	// subcommand, e.g. "missing 60 6x46".
	Differences map[string]int
	// Examples names the first few differences of each kind: log line,
	// sender and receiver.
	Examples map[string][]string
}

func newReport(m *model) *Report {
	return &Report{Log: m.name, Clients: len(m.clients), Skipped: map[string]int{},
		Lobby: newRelayCount(), Game: newRelayCount()}
}

func newRelayCount() RelayCount {
	return RelayCount{Differences: map[string]int{}, Examples: map[string][]string{}}
}

func (r *Report) failf(format string, args ...any) {
	r.Failures = append(r.Failures, fmt.Sprintf(format, args...))
}

// tally compares, subcommand by subcommand, where the server delivered
// with where the reference server did.
func (r *Report) tally(m *model, mt *matcher) {
	mt.mu.Lock()
	defer mt.mu.Unlock()
	r.Duplicates, r.Unknown = mt.dups, mt.unknown
	for _, s := range m.subs {
		rc := &r.Lobby
		if s.ev.inGame {
			rc = &r.Game
		}
		rc.Subcommands++
		ours := mt.ours[s]
		rc.Delivered += bits.OnesCount64(s.newserv)
		missing, extra := bits.OnesCount64(s.newserv&^ours), bits.OnesCount64(ours&^s.newserv)
		rc.Missing += missing
		rc.Extra += extra
		if missing+extra == 0 {
			rc.AsReference++
		}
		rc.note(m, "missing", s, s.newserv&^ours)
		rc.note(m, "extra", s, ours&^s.newserv)
	}
}

// note counts the receivers of s in set as differences of a kind.
func (rc *RelayCount) note(m *model, kind string, s *relaySub, set uint64) {
	if set == 0 {
		return
	}
	k := diffKey(kind, s)
	rc.Differences[k] += bits.OnesCount64(set)
	for to := range m.clients {
		if set&(1<<to) != 0 && len(rc.Examples[k]) < 3 {
			rc.Examples[k] = append(rc.Examples[k], fmt.Sprintf("line %d %s->%s", s.ev.line, m.clients[s.ev.sender].name, m.clients[to].name))
		}
	}
}

func diffKey(kind string, s *relaySub) string {
	if !s.known {
		return fmt.Sprintf("%s %02X prototype 6x%02X", kind, s.ev.cmd, s.bytes[0])
	}
	return fmt.Sprintf("%s %02X 6x%02X", kind, s.ev.cmd, s.final)
}

func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d clients, %d commands replayed (%d game selections rewritten to the server's game IDs",
		r.Log, r.Clients, r.Commands, r.Rewritten)
	for _, why := range slices.Sorted(maps.Keys(r.Skipped)) {
		fmt.Fprintf(&b, "; %d skipped: %s", r.Skipped[why], why)
	}
	fmt.Fprintf(&b, ")\n")
	for _, x := range []struct {
		name string
		rc   *RelayCount
	}{{"game", &r.Game}, {"lobby", &r.Lobby}} {
		fmt.Fprintf(&b, "  %-5s relay: %d subcommands, %d routed as the reference server, %d of its %d deliveries missing, %d extra\n",
			x.name, x.rc.Subcommands, x.rc.AsReference, x.rc.Missing, x.rc.Delivered, x.rc.Extra)
		for _, k := range slices.Sorted(maps.Keys(x.rc.Differences)) {
			fmt.Fprintf(&b, "        %s: %d (%s)\n", k, x.rc.Differences[k], strings.Join(x.rc.Examples[k], ", "))
		}
	}
	if r.Duplicates+r.Unknown+r.NotSent > 0 {
		fmt.Fprintf(&b, "  %d duplicate deliveries, %d deliveries of unknown bytes, %d commands not sent (connection closed)\n", r.Duplicates, r.Unknown, r.NotSent)
	}
	for _, f := range r.Failures {
		fmt.Fprintf(&b, "  FAIL %s\n", f)
	}
	for _, n := range r.LobbyNotes {
		fmt.Fprintf(&b, "  lobby: %s\n", n)
	}
	return b.String()
}
