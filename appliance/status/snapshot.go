package status

import (
	"context"
	"errors"
	"strconv"
	"time"
)

// Snapshot is everything one request shows: the page renders it, and
// /api/status is its JSON (documented in docs/status.md). Lists are never
// null in the JSON; DNS and DHCP are null when that server is not running.
type Snapshot struct {
	Version       string         `json:"version"`
	Mode          string         `json:"mode"`
	Time          time.Time      `json:"time"`
	Started       time.Time      `json:"started"`
	UptimeSeconds int64          `json:"uptime_seconds"`
	Addresses     Addresses      `json:"addresses"`
	Process       ProcessStats   `json:"process"`
	Warnings      []Warning      `json:"warnings"`
	Consoles      []Console      `json:"consoles"`
	Lookups       []LookupInfo   `json:"lookups"`
	GameRunning   bool           `json:"game_running"`
	Players       []PlayerInfo   `json:"players"`
	Lobbies       []LobbyInfo    `json:"lobbies"`
	Games         []GameInfo     `json:"games"`
	DNS           *DNSCounters   `json:"dns"`
	DHCP          *DHCPStatus    `json:"dhcp"`
	Sections      []NamedSection `json:"sections"`
	Capture       *CaptureStatus `json:"capture"` // null when psobox has no capture
}

// NamedSection is an extra Section under its Source's name.
type NamedSection struct {
	Name string `json:"name"`
	Section
}

// gameFacts, dnsFacts and dhcpFacts are asked for together, so that the
// lists of one part come from (nearly) the same moment.
type gameFacts struct {
	players []PlayerInfo
	lobbies []LobbyInfo
	games   []GameInfo
}

type dnsFacts struct {
	lookups  []LookupInfo
	counters DNSCounters
}

type dhcpFacts struct {
	leases []LeaseInfo
	status DHCPStatus
}

// pending holds the answers on their way, one channel per part.
type pending struct {
	process  *call[ProcessStats]
	game     *call[gameFacts]
	dns      *call[dnsFacts]
	dhcp     *call[dhcpFacts]
	warnings []*call[[]Warning]
	sections []*call[NamedSection]
	capture  *call[CaptureStatus]
}

// collector builds one Snapshot from the answers.
type collector struct {
	snap     Snapshot
	leases   []LeaseInfo // joined with lookups and players into snap.Consoles
	failures []error     // logged once the snapshot is complete
}

// snapshot asks every part at once and waits at most opts.Timeout.
func (s *Server) snapshot(ctx context.Context) Snapshot {
	ctx, cancel := context.WithTimeoutCause(ctx, s.opts.Timeout, errTooSlow{s.opts.Timeout.String()})
	defer cancel()
	p := s.askAll(ctx)
	c := &collector{snap: s.header()}
	c.parts(ctx, p)
	c.extras(ctx, p)
	s.logFailures(c.failures)
	snap := c.snap
	snap.Consoles = joinConsoles(snap.Time, c.leases, snap.Lookups, snap.Players)
	normalize(&snap)
	return snap
}

func (s *Server) askAll(ctx context.Context) pending {
	g := s.guards
	p := pending{process: ask(&g.process, s.opts.Process)}
	if game := s.opts.Game; game != nil {
		p.game = ask(&g.game, func() gameFacts { return gameFacts{game.Players(), game.Lobbies(), game.Games()} })
	}
	if d := s.opts.DNS; d != nil {
		p.dns = ask(&g.dns, func() dnsFacts { return dnsFacts{d.Lookups(), d.Counters()} })
	}
	if d := s.opts.DHCP; d != nil {
		p.dhcp = ask(&g.dhcp, func() dhcpFacts { return dhcpFacts{d.Leases(), d.Status()} })
	}
	for i, w := range s.opts.Warnings {
		p.warnings = append(p.warnings, ask(&g.warnings[i], w.Warnings))
	}
	if cp := s.opts.Capture; cp != nil {
		p.capture = ask(&g.capture, cp.Status)
	}
	for i, src := range s.opts.Sources {
		p.sections = append(p.sections, ask(&g.sections[i], func() NamedSection { return NamedSection{src.Name(), src.Section(ctx)} }))
	}
	return p
}

func (s *Server) header() Snapshot {
	now := s.opts.Now()
	return Snapshot{
		Version:       s.opts.Version,
		Mode:          s.opts.Mode,
		Time:          now.UTC(),
		Started:       s.opts.Started.UTC(),
		UptimeSeconds: int64(now.Sub(s.opts.Started) / time.Second),
		Addresses:     s.opts.Addresses,
	}
}

// parts waits for the process, game, DNS and DHCP answers; a part that
// fails adds a warning and leaves its fields empty.
func (c *collector) parts(ctx context.Context, p pending) {
	var err error
	if c.snap.Process, err = await(ctx, p.process); err != nil {
		c.fail("the process statistics", err)
	}
	if p.game != nil {
		c.snap.GameRunning = true
		g, err := await(ctx, p.game)
		c.snap.Players, c.snap.Lobbies, c.snap.Games = g.players, g.lobbies, g.games
		c.fail("the game server", err)
	}
	if p.dns != nil {
		d, err := await(ctx, p.dns)
		c.snap.Lookups, c.snap.DNS = d.lookups, &d.counters
		c.fail("the DNS server", err)
	}
	if p.dhcp != nil {
		d, err := await(ctx, p.dhcp)
		c.leases, c.snap.DHCP = d.leases, &d.status
		c.fail("the DHCP server", err)
	}
	if p.capture != nil {
		cs, err := await(ctx, p.capture)
		c.snap.Capture = &cs
		c.fail("session capture", err)
	}
}

// extras waits for the warning sources and the extra sections.
func (c *collector) extras(ctx context.Context, p pending) {
	for _, q := range p.warnings {
		w, err := await(ctx, q)
		c.snap.Warnings = append(c.snap.Warnings, w...)
		c.fail("a warning source", err)
	}
	for i, q := range p.sections {
		sec, err := await(ctx, q)
		if err != nil {
			// The source's name may be what failed: number it instead.
			sec.Name = "extra-" + strconv.Itoa(i+1)
			sec.Section = Section{Title: "Extra section " + strconv.Itoa(i+1), Note: "not available: " + err.Error()}
		}
		c.snap.Sections = append(c.snap.Sections, sec)
		c.fail("extra section "+strconv.Itoa(i+1), err)
	}
}

// fail turns a part's failure into a warning on the page.
func (c *collector) fail(part string, err error) {
	if err == nil {
		return
	}
	c.snap.Warnings = append(c.snap.Warnings, Warning{
		Component: "status", Level: LevelError,
		Message: "could not read " + part + ": it " + err.Error() + "; what is shown may be incomplete",
	})
	c.failures = append(c.failures, err)
}

// logFailures logs each failure, panics with their stack.
func (s *Server) logFailures(failures []error) {
	for _, err := range failures {
		if pe := (*panicError)(nil); errors.As(err, &pe) {
			s.opts.Logger.Error("a status part panicked", "panic", pe.value, "stack", string(pe.stack))
			continue
		}
		s.opts.Logger.Warn("a status part failed", "err", err)
	}
}
