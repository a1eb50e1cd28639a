package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/psobox/psobox/gameserver/client"
)

// verb is one thing psobot can do. Later verbs (chat, create-game,
// join-game, quest, load, replay, scenario) are added to this table.
type verb struct {
	name    string
	summary string
	run     func(ctx context.Context, s *session) error
}

var verbs = []verb{
	{"login", "log in and stop at the server's main menu", runLogin},
	{"lobby", "log in and join a lobby", runLobby},
	{"replay", "replay a capture against a server: psobot replay FILE [flags] (psobot replay -h)", misplacedReplay},
}

func findVerb(name string) (verb, bool) {
	for _, v := range verbs {
		if v.name == name {
			return v, true
		}
	}
	return verb{}, false
}

// session is what a verb works with: the options and the output.
type session struct {
	opts  *options
	out   io.Writer
	start time.Time
}

func newSession(opts *options, out io.Writer) *session {
	return &session{opts: opts, out: out, start: time.Now()}
}

// dial logs in with the configured console, printing each step.
func (s *session) dial(ctx context.Context) (*client.Client, error) {
	cfg := s.opts.cfg
	if !s.opts.quiet {
		cfg.Trace = s.printStep
		cv := s.opts.console
		fmt.Fprintf(s.out, "psobot %s: %s (%s) as %q to %s\n",
			s.start.Format("2006-01-02 15:04:05"), cv.name, cv.about, cfg.Name, s.opts.addr)
	}
	return client.Dial(ctx, s.opts.addr, cfg)
}

// printStep prints one step with the time since psobot started.
func (s *session) printStep(st client.Step) {
	fmt.Fprintf(s.out, "%8.3fs  %s\n", st.Time.Sub(s.start).Seconds(), st.Text)
}

func (s *session) elapsed() string {
	return fmt.Sprintf("%.3fs", time.Since(s.start).Seconds())
}

func runLogin(ctx context.Context, s *session) error {
	c, err := s.dial(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	cfg := c.Config()
	fmt.Fprintf(s.out, "ok: logged in to %s as %s (serial %s, guild card %d) in %s\n",
		s.opts.addr, cfg.Name, cfg.Serial, c.GuildCard(), s.elapsed())
	return nil
}

func runLobby(ctx context.Context, s *session) error {
	c, err := s.dial(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	l, err := c.Lobby(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(s.out, "ok: in lobby %d (block %d) as client %d with %d players in %s\n",
		int(l.Number)+1, l.Block, l.ClientID, len(l.Players), s.elapsed())
	return nil
}
