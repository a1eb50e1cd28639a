package replay

import (
	"fmt"

	"github.com/psobox/psobox/gameserver/wire"
)

// Difference is the first point where the server did not answer as
// recorded.
type Difference struct {
	Client   string // the recorded connection, "C-3"
	Port     int
	Version  wire.Version
	Line     int    // the log line of the recorded command
	Expected string // what the recording has: "9A (flag 02)"
	Got      string // what the server did instead: "04 (flag 00)", "nothing within 10s"
	// LastMatch is the log line of the last server command that did
	// match (0: none), Matched how many did.
	LastMatch int
	Matched   int
}

func (d *Difference) Error() string {
	after := "before any server command matched"
	if d.LastMatch > 0 {
		after = fmt.Sprintf("after %d matching server commands (the last at line %d)", d.Matched, d.LastMatch)
	}
	return fmt.Sprintf("%s (%s, port %d): first difference at log line %d, %s: expected %s, got %s",
		d.Client, d.Version, d.Port, d.Line, after, d.Expected, d.Got)
}
