package main

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/psobox/psobox/gameserver/client"
)

// verb is one thing psobot can do.
type verb struct {
	name    string
	args    string // the arguments, for the usage text; "" = none
	minArgs int
	maxArgs int // -1: any number (a text)
	summary string
	run     func(ctx context.Context, s *session) error
}

var verbs = []verb{
	{"login", "", 0, 0, "log in and stop at the server's main menu", runLogin},
	{"lobby", "", 0, 0, "log in and join a lobby", runLobby},
	{"chat", "TEXT", 1, -1, "join a lobby, say TEXT, print what is said for -listen", runChat},
	{"mail", "TO TEXT", 2, -1, "join a lobby, mail TEXT to TO (guild card number or name in the lobby)", runMail},
	{"search", "WHO", 1, 1, "join a lobby, find WHO (guild card number or name in the lobby)", runSearch},
	{"create-game", "", 0, 0, "create a game from the lobby (-game, -difficulty, -episode, -mode, -stay)", runCreateGame},
	{"join-game", "", 0, 0, "join the game -game from the game list (-game-password, -stay)", runJoinGame},
	{"quest", "NAME|NUMBER", 1, 1, "create a game, load the quest and check its files (-download: from the main menu)", runQuest},
	{"scenario", "FILE", 1, 1, "run the steps of a scenario file (see README)", runScenario},
	// run answers these two itself (flagVerbs): they are here for the usage.
	{"replay", "FILE", 0, -1, "replay a capture against a server: psobot replay FILE [flags] (psobot replay -h)", nil},
	{"load", "", 0, -1, "many bots at once, with a report: psobot load [flags] (psobot load -h)", nil},
}

// flagVerbs are the verbs with flag sets of their own, which follow the
// verb: psobot replay FILE [flags], psobot load [flags].
var flagVerbs = map[string]struct {
	run   func(ctx context.Context, args []string, stdout, stderr io.Writer) error
	usage string
}{
	"replay": {runReplay, replayUsage},
	"load":   {runLoad, loadUsage},
}

// checkArgs reports a wrong number of arguments for the verb.
func (v verb) checkArgs(args []string) error {
	if len(args) < v.minArgs || (v.maxArgs >= 0 && len(args) > v.maxArgs) {
		if v.args == "" {
			return fmt.Errorf("%s takes no arguments, got %q", v.name, args)
		}
		return fmt.Errorf("usage: psobot [flags] %s %s", v.name, v.args)
	}
	return nil
}

func findVerb(name string) (verb, bool) {
	for _, v := range verbs {
		if v.name == name {
			return v, true
		}
	}
	return verb{}, false
}

// session is what a verb works with: the options, the verb's arguments
// and the output.
type session struct {
	opts  *options
	args  []string
	out   io.Writer
	start time.Time
}

func newSession(opts *options, out io.Writer) *session {
	return &session{opts: opts, args: opts.args, out: &lockedWriter{w: out}, start: time.Now()}
}

// lockedWriter serialises writes: the bots of a scenario trace from their
// own goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
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

// dialToLobby logs in and joins a lobby, where the social verbs act and
// games are made.
func (s *session) dialToLobby(ctx context.Context) (*client.Client, error) {
	c, err := s.dial(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := c.Lobby(ctx); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
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
