package server

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/psobox/psobox/gameserver/wire"
)

// Session capture: the server knows nothing of files or masking. When
// Options.Capture is set, each new connection asks it for a Recorder; a
// connection that gets one has it installed as its Framer's wire.Tap, so
// every command both ways reaches it in plaintext with the version in
// effect, and it hears how the connection ended. A connection that gets
// none (capture switched off) costs one nil check per command.

// ConnInfo describes a new connection to a Capturer.
type ConnInfo struct {
	ID     uint64 // the connection's number in logs; captures name it C-<ID in hex>
	Remote netip.AddrPort
	Port   int // the port the clients use (9103), also under EphemeralPorts
	// Listener describes the port in the replay logs' form:
	// TG-<port>-<version the connection starts as>-<name>-<role>, such as
	// "TG-9103-GC_V3-gc-us3-game_server" or "TG-9100-PC_V2-gc-us10-pc_console_detect".
	Listener string
	Time     time.Time
}

// Recorder receives one connection's commands (as a wire.Tap, from its
// session and writer goroutines) and then, once, how it ended.
type Recorder interface {
	wire.Tap
	// Ended is the last call: the connection is closed, reason says why.
	Ended(reason string)
}

// Capturer opens a Recorder for each new connection, or returns nil (an
// untyped nil) when this connection is not recorded. It is called from the
// accepting goroutine and must not block.
type Capturer interface {
	Open(ConnInfo) Recorder
}

// connCapture is a connection's part in capture; set when the connection
// is accepted.
type connCapture struct {
	rec Recorder // nil when the connection is not recorded
}

// startCapture asks the Capturer, if any, for this connection's Recorder.
func (c *Client) startCapture() {
	cp := c.srv.opts.Capture
	if cp == nil {
		return
	}
	rec := cp.Open(ConnInfo{ID: c.id, Remote: c.remote, Port: c.port.Number,
		Listener: c.port.listenerName(), Time: c.connected})
	if rec == nil {
		return
	}
	c.capture.rec = rec
	c.framer.SetTap(rec)
}

// connectionEnded closes the Recorder and files the connection among the
// recent ones. The session goroutine calls it last, after the writer
// stopped, so the Recorder sees nothing after Ended.
func (c *Client) connectionEnded(reason string) {
	c.srv.recent.ended(c, reason)
	if c.capture.rec != nil {
		c.capture.rec.Ended(reason)
	}
}

// listenerName is the port's description in captures.
func (p Port) listenerName() string {
	role := "game_server"
	switch p.Kind {
	case PortSplit:
		role = "pc_console_detect"
	case PortBB:
		role = "login_server"
	}
	return fmt.Sprintf("TG-%d-%s-%s-%s", p.Number, p.Kind.initialVersion(), p.Name, role)
}
