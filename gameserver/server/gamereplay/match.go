package gamereplay

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/psobox/psobox/gameserver/wire"
)

// matcher pairs what the server under test delivers with what the
// reference server delivered. Before a relayed command is sent, every
// receiver the log shows gets an expectation of its bytes (in the final
// numbering); each delivery that arrives takes the oldest expectation with
// its bytes, or counts as extra. Deliveries from different senders may
// arrive in any order; from one sender they arrive in the order sent.
type matcher struct {
	versions []wire.Version

	mu       sync.Mutex
	changed  chan struct{}
	pending  []map[string][]*relaySub // per receiver
	npending []int                    // per receiver
	lastSent map[string]*relaySub     // to name the subcommand an extra delivery was
	ours     map[*relaySub]uint64     // where the server under test delivered each subcommand
	missing  map[*relaySub]uint64     // expected and not arrived in time
	dups     int                      // deliveries to a receiver that already had the subcommand
	unknown  int                      // deliveries of bytes nobody sent
}

func newMatcher(clients []logClient) *matcher {
	m := &matcher{changed: make(chan struct{}), lastSent: map[string]*relaySub{},
		ours: map[*relaySub]uint64{}, missing: map[*relaySub]uint64{}}
	for _, c := range clients {
		m.versions = append(m.versions, c.version)
		m.pending = append(m.pending, map[string][]*relaySub{})
	}
	m.npending = make([]int, len(clients))
	return m
}

// expect registers where ev must arrive, as the log shows.
func (m *matcher) expect(ev *relayEvent) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range ev.subs {
		k := normalKey(ev.cmd, ev.flag, s.final, s.known, s.bytes)
		m.lastSent[k] = s
		for to := range m.pending {
			if s.newserv&(1<<to) != 0 {
				m.pending[to][k] = append(m.pending[to][k], s)
				m.npending[to]++
			}
		}
	}
}

// arrived is a relayed command the server under test delivered to client
// to; it runs on that client's reader goroutine.
func (m *matcher) arrived(to int, h wire.Header, payload []byte) {
	v := m.versions[to]
	m.mu.Lock()
	defer m.mu.Unlock()
	for sub, err := range wire.Subcommands(payload) {
		if err != nil {
			m.unknown++
			return
		}
		fin, known := wire.SubcommandToFinal(v, sub.Number())
		m.take(to, normalKey(h.Command, h.Flag, fin, known, sub))
	}
	close(m.changed)
	m.changed = make(chan struct{})
}

// take matches one delivery; m.mu is held.
func (m *matcher) take(to int, k string) {
	if q := m.pending[to][k]; len(q) > 0 {
		s := q[0]
		m.pending[to][k] = q[1:]
		m.npending[to]--
		m.ours[s] |= 1 << to
		return
	}
	s := m.lastSent[k]
	switch {
	case s == nil:
		m.unknown++
	case m.ours[s]&(1<<to) != 0:
		m.dups++
	default:
		m.ours[s] |= 1 << to
	}
}

// settle waits until every delivery expected at the receivers in which
// (nil: all) arrived or d passed without one arriving; what is still
// missing then is recorded as missing, so later waits do not wait for it
// again.
func (m *matcher) settle(ctx context.Context, d time.Duration, which []int) {
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		m.mu.Lock()
		n, ch := m.outstanding(which), m.changed
		m.mu.Unlock()
		if n == 0 {
			return
		}
		select {
		case <-ch:
			t.Reset(d)
			continue
		case <-t.C:
		case <-ctx.Done():
		}
		m.giveUp(which)
		return
	}
}

// outstanding counts the deliveries expected at the receivers in which
// (nil: all); m.mu is held.
func (m *matcher) outstanding(which []int) int {
	n := 0
	for to, c := range m.npending {
		if which == nil || slices.Contains(which, to) {
			n += c
		}
	}
	return n
}

func (m *matcher) giveUp(which []int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for to, byKey := range m.pending {
		if which != nil && !slices.Contains(which, to) {
			continue
		}
		for k, q := range byKey {
			for _, s := range q {
				m.missing[s] |= 1 << to
			}
			delete(byKey, k)
		}
		m.npending[to] = 0
	}
}
