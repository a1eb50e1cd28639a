package sessionlog

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/psobox/psobox/gameserver/wire"
)

// MaxLineBytes bounds one log line; longer lines are an error, not a hang.
const MaxLineBytes = 1 << 20

var (
	reStamp      = regexp.MustCompile(`^[A-Z] \d+ (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?) - `)
	reConnect    = regexp.MustCompile(`Client connected: (C-[0-9A-Za-z]+) via (\S+)`)
	reCommand    = regexp.MustCompile(`\[Commands\] (Sending to|Received from) (C-[0-9A-Za-z]+) (?:@ (\S+) )?.*\(version=([A-Z0-9_]+) command=([0-9A-F]+) flag=([0-9A-F]+)\)`)
	reCleanup    = regexp.MustCompile(`Running cleanup tasks for (C-[0-9A-Za-z]+)`)
	reNote       = regexp.MustCompile(`^(?:[A-Z] \d+ \S+ \S+ - )?\[Note\] (?:(C-[0-9A-Za-z]+) )?(.*)$`)
	reDirective  = regexp.MustCompile(`^### (?:on (C-[0-9A-Za-z]+) )?(.*)$`)
	reHexRow     = regexp.MustCompile(`^([0-9A-Fa-f]{4,8}) \|((?: [0-9A-Fa-f]{2})+)`)
	reListenPart = regexp.MustCompile(`-(\d+)-([A-Z0-9_]+?)(?:-|$)`)
)

// Read parses a whole session log. Lines it does not recognise are skipped:
// logs carry much else (inventory dumps, server notes). Malformed data rows
// inside a command are an error naming the line.
func Read(r io.Reader) ([]Event, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), MaxLineBytes)
	p := parser{sc: sc}
	for p.next() {
		if err := p.line(); err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("sessionlog: line %d: %w", p.n+1, err)
	}
	if err := p.finish(); err != nil {
		return nil, err
	}
	return p.events, nil
}

type parser struct {
	sc      *bufio.Scanner
	n       int
	text    string
	events  []Event
	pending *Event // a command whose hex rows are being collected
	offset  int    // next expected row offset of pending
}

func (p *parser) next() bool {
	if !p.sc.Scan() {
		return false
	}
	p.n++
	p.text = strings.TrimRight(p.sc.Text(), "\r")
	return true
}

func (p *parser) line() error {
	if m := reHexRow.FindStringSubmatch(p.text); m != nil && p.pending != nil {
		return p.hexRow(m)
	}
	if err := p.finish(); err != nil {
		return err
	}
	if strings.HasPrefix(p.text, "### ") {
		m := reDirective.FindStringSubmatch(p.text)
		p.events = append(p.events, Event{Kind: Directive, Line: p.n, Client: m[1], Text: m[2]})
		return nil
	}
	return p.logLine()
}

func (p *parser) logLine() error {
	ts := parseStamp(p.text)
	// Notes first: their text may come from a console (a DHCP host name)
	// and must never read as a command or a connection.
	if m := reNote.FindStringSubmatch(p.text); m != nil {
		p.events = append(p.events, Event{Kind: Note, Line: p.n, Time: ts, Client: m[1], Text: m[2]})
		return nil
	}
	if m := reCommand.FindStringSubmatch(p.text); m != nil {
		return p.command(ts, m)
	}
	if m := reConnect.FindStringSubmatch(p.text); m != nil {
		ev := Event{Kind: Connect, Line: p.n, Time: ts, Client: m[1], Listener: m[2]}
		ev.Port, ev.Version = parseListener(m[2])
		p.events = append(p.events, ev)
		return nil
	}
	if m := reCleanup.FindStringSubmatch(p.text); m != nil {
		p.events = append(p.events, Event{Kind: Disconnect, Line: p.n, Time: ts, Client: m[1]})
		return nil
	}
	return nil
}

func (p *parser) command(ts time.Time, m []string) error {
	v, err := wire.ParseVersion(m[4])
	if err != nil {
		return fmt.Errorf("sessionlog: line %d: %w", p.n, err)
	}
	cmd, err1 := strconv.ParseUint(m[5], 16, 16)
	flag, err2 := strconv.ParseUint(m[6], 16, 32)
	if err1 != nil || err2 != nil {
		return fmt.Errorf("sessionlog: line %d: bad command/flag %s/%s", p.n, m[5], m[6])
	}
	kind := FromServer
	if m[1] == "Received from" {
		kind = FromClient
	}
	p.pending = &Event{Kind: kind, Line: p.n, Time: ts, Client: m[2], Peer: m[3], Version: v,
		Command: uint16(cmd), Flag: uint32(flag)}
	p.offset = 0
	return nil
}

func (p *parser) hexRow(m []string) error {
	off, err := strconv.ParseUint(m[1], 16, 32)
	if err != nil || int(off) != p.offset {
		return fmt.Errorf("sessionlog: line %d: data row at offset %s, want %04X", p.n, m[1], p.offset)
	}
	b, err := hex.DecodeString(strings.ReplaceAll(m[2], " ", ""))
	if err != nil {
		return fmt.Errorf("sessionlog: line %d: %w", p.n, err)
	}
	p.pending.Data = append(p.pending.Data, b...)
	p.offset += len(b)
	return nil
}

// finish closes the command being collected, if any.
func (p *parser) finish() error {
	if p.pending == nil {
		return nil
	}
	ev := p.pending
	p.pending = nil
	if len(ev.Data) == 0 {
		return fmt.Errorf("sessionlog: line %d: command without data rows", ev.Line)
	}
	p.events = append(p.events, *ev)
	return nil
}

func parseStamp(line string) time.Time {
	m := reStamp.FindStringSubmatch(line)
	if m == nil {
		return time.Time{}
	}
	for _, layout := range []string{"2006-01-02 15:04:05.999999999", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, m[1]); err == nil {
			return t
		}
	}
	return time.Time{}
}

// parseListener reads the port and version out of a listener description
// such as "TSI-9003-GC_V3-game_server" or "TG-9200-DC_V1-gc-eu10-game_server".
func parseListener(s string) (int, wire.Version) {
	m := reListenPart.FindStringSubmatch(s)
	if m == nil {
		return 0, wire.UnknownVersion
	}
	port, _ := strconv.Atoi(m[1])
	v, err := wire.ParseVersion(m[2])
	if err != nil {
		return port, wire.UnknownVersion
	}
	return port, v
}
