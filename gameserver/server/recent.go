package server

import (
	"net/netip"
	"slices"
	"sync"
	"time"

	"github.com/psobox/psobox/gameserver/wire"
)

// recentKept is how many ended or refused connections the list keeps.
const recentKept = 64

// ConnectionRecord is one recent connection, for the status page's view of
// "did the console reach the game server, and how far did it get".
type ConnectionRecord struct {
	Remote    netip.AddrPort
	Port      int // the port the clients use
	Started   time.Time
	Ended     time.Time // zero while connected
	Version   wire.Version
	Reached   string // how far it got: "refused", "greeting", "login", "menu", "lobby"; "logged in" while connected
	GuildCard uint32 // 0 when the login did not get that far
	Outcome   string // why it ended or was refused; "" while connected
}

// recentList keeps the last recentKept ended connections, oldest first.
type recentList struct {
	mu   sync.Mutex
	list []ConnectionRecord
}

func (r *recentList) add(rec ConnectionRecord) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.list) == recentKept {
		r.list = slices.Delete(r.list, 0, 1)
	}
	r.list = append(r.list, rec)
}

// refused notes a connection a limit turned away.
func (r *recentList) refused(remote netip.AddrPort, port int, reason string) {
	now := time.Now()
	r.add(ConnectionRecord{Remote: remote, Port: port, Started: now, Ended: now,
		Version: wire.UnknownVersion, Reached: "refused", Outcome: reason})
}

// ended notes a session that is over, with the phase it ended in.
func (r *recentList) ended(c *Client, reason string) {
	rec := c.record()
	rec.Ended, rec.Reached, rec.Outcome = time.Now(), c.sess.phase.String(), reason
	r.add(rec)
}

func (r *recentList) snapshot() []ConnectionRecord {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.list)
}

// record is what other goroutines may read of a live connection.
func (c *Client) record() ConnectionRecord {
	rec := ConnectionRecord{Remote: c.remote, Port: c.port.Number, Started: c.connected,
		Version: c.Version(), GuildCard: c.GuildCard(), Reached: "connected"}
	if rec.GuildCard != 0 {
		rec.Reached = "logged in"
	}
	return rec
}

// RecentConnections lists the connections open now, newest first, then
// the last ended or refused ones, most recent first.
func (s *Server) RecentConnections() []ConnectionRecord {
	s.mu.Lock()
	var out []ConnectionRecord
	for c := range s.clients {
		out = append(out, c.record())
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b ConnectionRecord) int { return b.Started.Compare(a.Started) })
	past := s.recent.snapshot()
	slices.Reverse(past)
	return append(out, past...)
}
