package replay

import (
	"github.com/psobox/psobox/gameserver/sessionlog"
	"github.com/psobox/psobox/gameserver/wire"
)

// Connection is one recorded connection: what the client and the server
// sent, in order.
type Connection struct {
	Client   string // "C-1"
	Line     int    // the log line of its "Client connected"
	Port     int    // the port it was made to (9103)
	Listener string
	// Version is the one its last command was logged in: the version the
	// server settled on after identifying the client.
	Version  wire.Version
	Commands []sessionlog.Event // FromClient and FromServer only
	Ended    bool               // the log has its end ("Running cleanup tasks")
}

// Connections splits a log into its connections, in the order they were
// made. Commands of clients whose connection is not in the log (a capture
// file that continues another) are left out: they cannot be replayed.
func Connections(events []sessionlog.Event) []*Connection {
	var order []*Connection
	byName := map[string]*Connection{}
	for _, ev := range events {
		c := byName[ev.Client]
		switch {
		case ev.Kind == sessionlog.Connect:
			c = &Connection{Client: ev.Client, Line: ev.Line, Port: ev.Port, Listener: ev.Listener, Version: ev.Version}
			byName[ev.Client] = c
			order = append(order, c)
		case c == nil:
		case ev.Kind == sessionlog.FromClient, ev.Kind == sessionlog.FromServer:
			c.Commands = append(c.Commands, ev)
			c.Version = ev.Version
		case ev.Kind == sessionlog.Disconnect:
			c.Ended = true
		}
	}
	return order
}

// speaker is the version the replaying client speaks for a recorded one:
// psobot's versions, or the one sharing header, cipher and padding.
func speaker(v wire.Version) wire.Version {
	switch v {
	case wire.DC112000:
		return wire.DCV1
	case wire.GCNTE:
		return wire.DCV2
	case wire.PCNTE:
		return wire.PCV2
	}
	return v
}

// command is an event's header, read in the version it was logged in.
func command(ev sessionlog.Event) (wire.Header, []byte, bool) {
	hf := ev.Version.HeaderFormat()
	h, err := hf.Decode(ev.Data)
	if err != nil || int(h.Size) < hf.Len() {
		return wire.Header{}, nil, false
	}
	end := min(int(h.Size), len(ev.Data))
	return h, ev.Data[hf.Len():end], true
}
