package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/psobox/psobox/gameserver/client"
)

// A scenario file is a script of steps, one per line, run in order by one
// or more bots:
//
//	# comments start with #
//	bot alice gc              # the steps below act as bot "alice" (a GameCube)
//	lobby
//	bot bob dcv2
//	lobby
//	chat hello everyone       # the rest of the line is the text
//	bot alice
//	expect-chat bob "hello everyone"
//
// Words are separated by spaces; "double quotes" keep spaces (with \" and
// \\ inside). The last argument of steps that take a text is the rest of
// the line. The whole file is checked before anything connects. Steps are
// the table returned by scenarioSteps; each expect step waits at most
// -wait.

// scenarioStep is one kind of line.
type scenarioStep struct {
	name    string
	args    string // for the usage text
	min     int
	max     int
	rest    bool // the last argument (number max) is the rest of the line
	summary string
	run     func(ctx context.Context, sc *scenario, args []string) error
}

// scenarioSteps lists every step: each part of psobot has its own table.
func scenarioSteps() []scenarioStep {
	return slices.Concat(socialSteps(), gameSteps(), questSteps())
}

func findStep(name string) (scenarioStep, bool) {
	for _, st := range scenarioSteps() {
		if st.name == name {
			return st, true
		}
	}
	return scenarioStep{}, false
}

// scenarioLine is one parsed step.
type scenarioLine struct {
	n    int
	step scenarioStep
	args []string
}

// parseScenario reads and checks a whole scenario.
func parseScenario(r io.Reader) ([]scenarioLine, error) {
	var out []scenarioLine
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		words, err := splitWords(sc.Text())
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if len(words) == 0 {
			continue
		}
		st, ok := findStep(words[0])
		if !ok {
			return nil, fmt.Errorf("line %d: unknown step %q (steps: %s)", n, words[0], stepNames())
		}
		args, err := stepArgs(st, words[1:])
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		out = append(out, scenarioLine{n, st, args})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no steps")
	}
	return out, nil
}

// stepArgs checks the argument count; a text argument takes the rest.
func stepArgs(st scenarioStep, args []string) ([]string, error) {
	if st.rest && len(args) > st.max {
		args = append(args[:st.max-1:st.max-1], strings.Join(args[st.max-1:], " "))
	}
	if len(args) < st.min || len(args) > st.max {
		return nil, fmt.Errorf("usage: %s %s", st.name, st.args)
	}
	return args, nil
}

func stepNames() string {
	var names []string
	for _, st := range scenarioSteps() {
		names = append(names, st.name)
	}
	return strings.Join(names, ", ")
}

// splitWords splits a line into words, honouring double quotes and
// dropping a comment that starts a word.
func splitWords(line string) ([]string, error) {
	var words []string
	var w strings.Builder
	inWord, quoted := false, false
	for i := 0; i < len(line); i++ {
		ch := line[i]
		switch {
		case quoted && ch == '\\' && i+1 < len(line):
			i++
			w.WriteByte(line[i])
		case ch == '"':
			quoted, inWord = !quoted, true
		case !quoted && (ch == ' ' || ch == '\t'):
			if inWord {
				words, inWord = append(words, w.String()), false
				w.Reset()
			}
		case !quoted && !inWord && ch == '#':
			return words, nil
		default:
			w.WriteByte(ch)
			inWord = true
		}
	}
	if quoted {
		return nil, fmt.Errorf("unterminated quote")
	}
	if inWord {
		words = append(words, w.String())
	}
	return words, nil
}

// scenario is a running scenario: its bots and the one steps act as.
type scenario struct {
	s    *session
	bots map[string]*scenarioBot
	cur  *scenarioBot
}

// scenarioBot is one bot of a scenario: its console and, once logged in,
// its session.
type scenarioBot struct {
	name    string
	console consoleVersion
	addr    string // "" = the -server host with the console's port
	c       *client.Client
	card    uint32 // the guild card number of its last login
}

func runScenario(ctx context.Context, s *session) error {
	f, err := os.Open(s.args[0])
	if err != nil {
		return err
	}
	lines, err := parseScenario(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", s.args[0], err)
	}
	sc := &scenario{s: s, bots: map[string]*scenarioBot{}}
	defer sc.closeAll()
	sc.cur = sc.bot(s.opts.cfg.Name, s.opts.console)
	for _, l := range lines {
		if err := l.step.run(ctx, sc, l.args); err != nil {
			return fmt.Errorf("%s line %d (%s as %s): %w", s.args[0], l.n, l.step.name, sc.cur.name, err)
		}
	}
	fmt.Fprintf(s.out, "ok: %d steps in %s\n", len(lines), s.elapsed())
	return nil
}

// bot returns the scenario's bot called name, made with console cv if new.
func (sc *scenario) bot(name string, cv consoleVersion) *scenarioBot {
	if b, ok := sc.bots[name]; ok {
		return b
	}
	b := &scenarioBot{name: name, console: cv}
	sc.bots[name] = b
	return b
}

func (sc *scenario) closeAll() {
	for _, b := range sc.bots {
		if b.c != nil {
			b.c.Close()
		}
	}
}
