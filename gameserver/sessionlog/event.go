package sessionlog

import (
	"time"

	"github.com/psobox/psobox/gameserver/wire"
)

// Kind is what an event records.
type Kind uint8

// Event kinds.
const (
	Connect    Kind = iota + 1 // a client connected to a listener
	FromClient                 // a command the client sent ("Received from")
	FromServer                 // a command the server sent ("Sending to")
	Disconnect                 // the connection ended ("Running cleanup tasks")
	Directive                  // a "### ..." harness directive
	Note                       // a free-form line worth keeping (DHCP/DNS events in captures)
)

func (k Kind) String() string {
	switch k {
	case Connect:
		return "connect"
	case FromClient:
		return "from-client"
	case FromServer:
		return "from-server"
	case Disconnect:
		return "disconnect"
	case Directive:
		return "directive"
	case Note:
		return "note"
	}
	return "unknown"
}

// Event is one record of a session log.
type Event struct {
	Kind   Kind
	Line   int       // 1-based line number of the event's first line
	Time   time.Time // zero when the line carries no timestamp
	Client string    // "C-1"; empty for directives and notes without a client
	Peer   string    // the remote end as logged after "@", when present
	// Connect: the listener description, e.g. "TSI-9003-GC_V3-game_server",
	// and the port and version parsed from it when present.
	Listener string
	Port     int
	// FromClient/FromServer: the version the logger attributed the command to,
	// the command and flag it printed, and the command's bytes (header included).
	Version wire.Version
	Command uint16
	Flag    uint32
	Data    []byte
	// Directive and Note: the text after "### " or the note body.
	Text string
}
