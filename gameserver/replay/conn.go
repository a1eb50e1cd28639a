package replay

import (
	"context"
	"errors"
	"fmt"

	"github.com/psobox/psobox/gameserver/client"
	"github.com/psobox/psobox/gameserver/sessionlog"
	"github.com/psobox/psobox/gameserver/wire"
)

// runner replays the connections of one run in turn.
type runner struct {
	opts   Options
	echoes *echoes
}

// connReplay is one connection being replayed.
type connReplay struct {
	*runner
	rec       *Connection
	cl        *client.Client
	v         wire.Version // what the client speaks
	res       ConnResult
	skip      Skipper
	lastMatch int // log line of the last server command that matched
}

func (r *runner) connection(ctx context.Context, rec *Connection) (ConnResult, error) {
	c := &connReplay{runner: r, rec: rec, v: speaker(rec.Version),
		res: ConnResult{Client: rec.Client, Port: rec.Port, Version: rec.Version}}
	if r.opts.NewSkipper != nil {
		c.skip = r.opts.NewSkipper()
	}
	addr := r.opts.Addr(rec.Port)
	dctx, cancel := context.WithTimeout(ctx, r.opts.Wait)
	cl, err := client.Dial(dctx, addr, client.Config{Version: c.v, Manual: true, Dial: r.opts.Dial, DialTimeout: r.opts.Wait})
	cancel()
	if err != nil {
		return c.res, c.differ(rec.Line, "a server init (the connection to "+addr+")", "no init: "+err.Error())
	}
	defer cl.Close()
	c.cl = cl
	for _, ev := range rec.Commands {
		stop, err := c.event(ctx, ev)
		if err != nil || stop {
			return c.res, err
		}
	}
	return c.res, nil
}

// event replays one recorded command; stop ends the connection's replay.
func (c *connReplay) event(ctx context.Context, ev sessionlog.Event) (stop bool, err error) {
	h, payload, ok := command(ev)
	if !ok {
		return true, fmt.Errorf("replay: log line %d: the command's header does not fit its data", ev.Line)
	}
	fromServer := ev.Kind == sessionlog.FromServer
	if reason, skip := c.skipped(fromServer, ev.Version, h.Command); skip {
		c.res.Skipped = append(c.res.Skipped, fmt.Sprintf("%s%02X (%s)", dirLetter(fromServer), h.Command, reason))
		return false, nil
	}
	if fromServer {
		err = c.expect(ctx, ev, h, payload)
	} else {
		err = c.send(ev, h, payload)
	}
	stop = c.opts.StopAfter != nil && c.opts.StopAfter(fromServer, h.Command)
	return stop, err
}

func (c *connReplay) skipped(fromServer bool, v wire.Version, cmd uint16) (string, bool) {
	if cmd == 0x1D {
		return "ping", true
	}
	if c.skip != nil {
		return c.skip(fromServer, v, cmd)
	}
	return "", false
}

func dirLetter(fromServer bool) string {
	if fromServer {
		return "S"
	}
	return "C"
}

// send sends a recorded client command with this run's rewrites.
func (c *connReplay) send(ev sessionlog.Event, h wire.Header, payload []byte) error {
	out := c.echoes.rewrite(ev, h, payload)
	if err := c.cl.SendRaw(h.Command, h.Flag, out); err != nil {
		return c.differ(ev.Line, fmt.Sprintf("to send the client's %02X", h.Command), "the connection is gone: "+c.why(err))
	}
	c.res.Sent++
	return nil
}

// expect waits for the next live server command (answering pings on the
// way) and compares it with the recorded one.
func (c *connReplay) expect(ctx context.Context, ev sessionlog.Event, h wire.Header, payload []byte) error {
	got, err := c.next(ctx)
	want := describe(h)
	if err != nil {
		return c.differ(ev.Line, want, c.why(err))
	}
	if got.Header.Command != h.Command || c.opts.CompareFlags[h.Command] && got.Header.Flag != h.Flag {
		return c.differ(ev.Line, want, describe(got.Header))
	}
	c.echoes.learn(ev, h, payload, got, c.v)
	c.res.Matched++
	c.lastMatch = ev.Line
	return nil
}

// next returns the next live server command that is not a ping.
func (c *connReplay) next(ctx context.Context) (client.Received, error) {
	for {
		wctx, cancel := context.WithTimeout(ctx, c.opts.Wait)
		got, err := c.cl.Next(wctx)
		cancel()
		if err != nil || got.Header.Command != 0x1D {
			return got, err
		}
		if err := c.cl.SendRaw(0x1D, 0, nil); err != nil {
			return got, err
		}
	}
}

func describe(h wire.Header) string { return fmt.Sprintf("%02X (flag %02X)", h.Command, h.Flag) }

// why says in a few words what a failed wait or send means.
func (c *connReplay) why(err error) string {
	var we *client.WaitError
	if errors.As(err, &we) {
		return fmt.Sprintf("nothing within %v", c.opts.Wait)
	}
	return "the connection ended (" + err.Error() + ")"
}

func (c *connReplay) differ(line int, want, got string) error {
	return &Difference{Client: c.rec.Client, Port: c.rec.Port, Version: c.rec.Version, Line: line,
		Expected: want, Got: got, LastMatch: c.lastMatch, Matched: c.res.Matched}
}
