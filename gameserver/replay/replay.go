package replay

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"time"

	"github.com/psobox/psobox/gameserver/sessionlog"
	"github.com/psobox/psobox/gameserver/wire"
)

// Defaults for zero Options.
const (
	DefaultWait = 10 * time.Second
	DefaultGap  = 50 * time.Millisecond
)

// Skipper decides, for each recorded command of one connection in order,
// whether to leave it out of the replay, and says why. It may keep state.
type Skipper func(fromServer bool, v wire.Version, cmd uint16) (reason string, skip bool)

// Options configure a replay.
type Options struct {
	// Addr is where to connect for a connection recorded on port (9103).
	Addr func(port int) string
	// Clients to replay by name ("C-3"); empty: every connection in the log.
	Clients []string
	// Wait bounds the wait for each server command; zero: DefaultWait.
	Wait time.Duration
	// Gap is the pause between connections that did not overlap in the
	// recording, so the server has seen the last one go; zero: DefaultGap.
	Gap time.Duration
	// KeepCredentials sends the recorded credentials instead of made-up
	// ones of the same format.
	KeepCredentials bool
	// NewSkipper makes each connection's Skipper (nil: none). Pings are
	// always skipped.
	NewSkipper func() Skipper
	// StopAfter, when it returns true for a recorded command, ends that
	// connection's replay after it (e.g. the login phase: the server's 67).
	StopAfter func(fromServer bool, cmd uint16) bool
	// CompareFlags lists the commands whose header flag must match too.
	CompareFlags map[uint16]bool
	// Dial opens connections (nil: a net.Dialer).
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// Progress, when set, is told about each connection replayed.
	Progress func(ConnResult)
}

// ConnResult is what one connection's replay did.
type ConnResult struct {
	Client  string
	Port    int
	Version wire.Version
	Matched int      // server commands that arrived as recorded
	Sent    int      // client commands sent
	Skipped []string // "S44 (quest)": recorded commands left out, and why
}

func (r ConnResult) String() string {
	return fmt.Sprintf("%s (%s, port %d): %d server commands matched, %d client commands sent, %d skipped",
		r.Client, r.Version, r.Port, r.Matched, r.Sent, len(r.Skipped))
}

// Result is what a replay did, connection by connection.
type Result struct {
	Conns []ConnResult
}

// ErrNothingToReplay is a log without a replayable connection (or without
// the clients asked for).
var ErrNothingToReplay = errors.New("replay: no connection to replay in the log")

// Run replays the connections of a session log. It returns a *Difference
// at the first server answer that differs from the recording, and other
// errors for what kept the replay from running.
func Run(ctx context.Context, events []sessionlog.Event, opts Options) (Result, error) {
	if opts.Addr == nil {
		return Result{}, errors.New("replay: no server address")
	}
	opts.Wait = cmp.Or(opts.Wait, DefaultWait)
	opts.Gap = cmp.Or(opts.Gap, DefaultGap)
	conns, err := pick(Connections(events), opts.Clients)
	if err != nil {
		return Result{}, err
	}
	run := &runner{opts: opts, echoes: newEchoes(opts.KeepCredentials)}
	var res Result
	for i, c := range conns {
		if i > 0 && startsAfterEnd(conns[i-1], c) {
			sleep(ctx, opts.Gap)
		}
		cr, err := run.connection(ctx, c)
		res.Conns = append(res.Conns, cr)
		if opts.Progress != nil {
			opts.Progress(cr)
		}
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

// pick keeps the connections asked for, or all that have commands.
func pick(all []*Connection, names []string) ([]*Connection, error) {
	var out []*Connection
	for _, c := range all {
		if len(c.Commands) > 0 && (len(names) == 0 || slices.Contains(names, c.Client)) {
			out = append(out, c)
		}
	}
	for _, n := range names {
		if !slices.ContainsFunc(out, func(c *Connection) bool { return c.Client == n }) {
			return nil, fmt.Errorf("replay: no connection %s with commands in the log", n)
		}
	}
	if len(out) == 0 {
		return nil, ErrNothingToReplay
	}
	return out, nil
}

// startsAfterEnd: b connected after a's last recorded command, i.e. the two
// did not overlap.
func startsAfterEnd(a, b *Connection) bool {
	return b.Line > a.Commands[len(a.Commands)-1].Line
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
