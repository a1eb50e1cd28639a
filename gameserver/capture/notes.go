package capture

import (
	"net/netip"
	"slices"
	"time"

	"github.com/psobox/psobox/gameserver/sessionlog"
)

// Limits of the notes kept for consoles that have no file open yet.
const (
	maxPendingAddrs = 256
	maxPendingNotes = 32 // per address
	maxPendingAge   = 10 * time.Minute
)

// Note records an event about the console at ip that is not part of a
// game connection: its DHCP exchanges and DNS lookups. It goes into the
// console's open file at once; when none is open it waits (at most 10
// minutes, the last 32 per address) for the console's next file, which
// opens starts right away (a PSO name lookup: the console is on its way;
// DHCP alone does not start a file). Nothing happens while capture is off.
func (c *Capture) Note(ip netip.Addr, t time.Time, text string, opens bool) {
	if !c.Enabled() {
		return
	}
	ip = ip.Unmap()
	ev := sessionlog.Event{Kind: sessionlog.Note, Time: t, Text: text}
	c.mu.Lock()
	con := c.consoles[ip]
	if con == nil && opens {
		con = c.console(ip, t)
		c.lingerLocked(con)
	}
	if con == nil {
		c.pending.add(ip, ev)
		c.mu.Unlock()
		return
	}
	c.mu.Unlock()
	c.write(con, ev)
}

// pendingNotes holds notes per address, oldest address first. Guarded by
// Capture.mu.
type pendingNotes struct {
	byAddr map[netip.Addr][]sessionlog.Event
	order  []netip.Addr
}

func (p *pendingNotes) add(ip netip.Addr, ev sessionlog.Event) {
	if p.byAddr == nil {
		p.byAddr = map[netip.Addr][]sessionlog.Event{}
	}
	notes, known := p.byAddr[ip]
	if !known {
		if len(p.order) == maxPendingAddrs {
			delete(p.byAddr, p.order[0])
			p.order = p.order[1:]
		}
		p.order = append(p.order, ip)
	}
	if len(notes) == maxPendingNotes {
		notes = slices.Delete(notes, 0, 1)
	}
	p.byAddr[ip] = append(notes, ev)
}

// take removes ip's notes and returns those younger than maxPendingAge at now.
func (p *pendingNotes) take(ip netip.Addr, now time.Time) []sessionlog.Event {
	notes := p.byAddr[ip]
	if notes == nil {
		return nil
	}
	delete(p.byAddr, ip)
	p.order = slices.DeleteFunc(p.order, func(a netip.Addr) bool { return a == ip })
	return slices.DeleteFunc(notes, func(ev sessionlog.Event) bool { return now.Sub(ev.Time) > maxPendingAge })
}
