package status

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// maxRows bounds each table of the HTML page (the JSON lists everything):
// rendering stays fast and a phone stays usable whatever the parts return.
const maxRows = 1000

// maxText bounds one cell: names come from consoles and are untrusted.
const maxText = 120

// pageData is the snapshot as the template shows it: every string from a
// part cleaned, times made relative, lists cut to maxRows. The template
// escapes for HTML; cleaning only keeps the text readable and bounded.
type pageData struct {
	Version, Mode, Uptime string
	Addresses             Addresses
	Warnings              []Warning
	Consoles              table[consoleRow]
	Stray                 table[lookupRow]
	GameRunning           bool
	Players               table[playerRow]
	Lobbies               table[lobbyRow]
	EmptyLobbies          int
	Games                 table[gameRow]
	DNS                   *DNSCounters
	DHCP                  *DHCPStatus
	Sections              []sectionView
	Capture               *captureView // nil: psobox has no capture
}

// table is one list of the page, cut to maxRows; More says how many rows
// were left out.
type table[T any] struct {
	Rows []T
	More int
}

func cut[S any, T any](all []S, row func(S) T) table[T] {
	t := table[T]{Rows: make([]T, 0, min(len(all), maxRows))}
	for i, s := range all {
		if i == maxRows {
			t.More = len(all) - maxRows
			break
		}
		t.Rows = append(t.Rows, row(s))
	}
	return t
}

type consoleRow struct {
	Device, Hostname, IP, MAC, State, Expires string
	Lookups, Players                          []string
}

type lookupRow struct{ Summary, Ago string }

type playerRow struct {
	Name, Version, GuildCard, Where, Address, Since string
}

type lobbyRow struct {
	Number  int
	Players string
	Count   int
}

type gameRow struct {
	Name, Group, Players, Kind, Quest, Password string
}

func newPageData(snap Snapshot) pageData {
	now := snap.Time
	d := pageData{
		Version: clean(snap.Version), Mode: clean(snap.Mode),
		Uptime:      human(time.Duration(snap.UptimeSeconds) * time.Second),
		Addresses:   cleanAddresses(snap.Addresses),
		GameRunning: snap.GameRunning,
		DNS:         snap.DNS, DHCP: cleanDHCP(snap.DHCP),
		Consoles: cut(snap.Consoles, func(c Console) consoleRow { return newConsoleRow(c, now) }),
		Stray: cut(strayLookups(snap.Consoles, snap.Lookups), func(l LookupInfo) lookupRow {
			return lookupRow{clean(l.Summary), human(now.Sub(l.Time)) + " ago"}
		}),
		Players:  cut(snap.Players, func(p PlayerInfo) playerRow { return newPlayerRow(p, now) }),
		Games:    cut(snap.Games, newGameRow),
		Sections: cleanSections(snap.Sections),
	}
	for _, w := range snap.Warnings {
		d.Warnings = append(d.Warnings, Warning{clean(w.Component), w.Level, clean(w.Message)})
	}
	d.Lobbies, d.EmptyLobbies = busyLobbies(snap.Lobbies)
	return d
}

func newConsoleRow(c Console, now time.Time) consoleRow {
	r := consoleRow{
		Device: clean(c.Vendor), Hostname: clean(c.Hostname), IP: clean(c.IP), MAC: clean(c.MAC),
		State: clean(c.State), Expires: until(now, c.Expires),
	}
	for _, l := range c.Lookups {
		r.Lookups = append(r.Lookups, clean(l.Name)+" → "+clean(l.Label))
	}
	for _, p := range c.Players {
		r.Players = append(r.Players, clean(p))
	}
	return r
}

func newPlayerRow(p PlayerInfo, now time.Time) playerRow {
	r := playerRow{
		Name: clean(p.Name), Version: clean(p.Version), Address: clean(p.Address),
		GuildCard: "—", Where: "menus (not in a lobby)", Since: human(now.Sub(p.Since)) + " ago",
	}
	if p.GuildCard != 0 {
		r.GuildCard = strconv.FormatUint(uint64(p.GuildCard), 10)
	}
	switch {
	case p.Game != "":
		r.Where = "game “" + clean(p.Game) + "”"
	case p.Lobby > 0:
		r.Where = "lobby " + strconv.Itoa(p.Lobby)
	}
	return r
}

func newGameRow(g GameInfo) gameRow {
	r := gameRow{
		Name: clean(g.Name), Group: clean(g.Group), Quest: clean(g.Quest),
		Players: fmt.Sprintf("%d: %s", len(g.Players), cleanJoin(g.Players)),
		Kind:    strings.Join(nonEmpty(episode(g.Episode), clean(g.Difficulty), clean(g.Mode)), ", "),
		// A lock sign would need a font that has it; words work everywhere.
		Password: "no",
	}
	if g.Password {
		r.Password = "yes"
	}
	return r
}

// busyLobbies lists the lobbies someone is in; a LAN party cares about
// those, not the dozen empty ones.
func busyLobbies(all []LobbyInfo) (table[lobbyRow], int) {
	var busy []LobbyInfo
	for _, l := range all {
		if len(l.Players) > 0 {
			busy = append(busy, l)
		}
	}
	t := cut(busy, func(l LobbyInfo) lobbyRow {
		return lobbyRow{Number: l.Number, Count: len(l.Players), Players: cleanJoin(l.Players)}
	})
	return t, len(all) - len(busy)
}

func episode(n int) string {
	switch n {
	case 0:
		return ""
	case 3:
		return "Episode III"
	}
	return "Episode " + strconv.Itoa(n)
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func cleanJoin(names []string) string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		out = append(out, clean(n))
	}
	return strings.Join(out, ", ")
}

// clean makes text from a part safe to read: valid UTF-8, control
// characters (PSO's colour and language escapes among them) shown as �,
// at most maxText runes. HTML escaping is the template's job.
func clean(s string) string {
	if isPlain(s) {
		return s // the usual case, without a copy
	}
	var b strings.Builder
	n := 0
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if n == maxText {
			b.WriteString("…")
			break
		}
		if unicode.IsControl(r) {
			r = unicode.ReplacementChar
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// isPlain: short printable ASCII, which clean would return unchanged.
func isPlain(s string) bool {
	if len(s) > maxText {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

func cleanAddresses(a Addresses) Addresses {
	return Addresses{clean(a.Interface), clean(a.Subnet), clean(a.DNS), clean(a.Router), clean(a.Game)}
}

func cleanDHCP(st *DHCPStatus) *DHCPStatus {
	if st == nil {
		return nil
	}
	c := *st
	c.Interface, c.State, c.Message = clean(c.Interface), clean(c.State), clean(c.Message)
	return &c
}

// sectionView is an extra Section with each cell labelled by its column,
// for the phone layout where rows become cards.
type sectionView struct {
	Name, Title, Note string
	Columns           []string
	Rows              [][]cell
}

type cell struct{ Label, Text string }

func cleanSections(secs []NamedSection) []sectionView {
	out := make([]sectionView, 0, len(secs))
	for _, s := range secs {
		v := sectionView{Name: clean(s.Name), Title: clean(s.Title), Note: clean(s.Note)}
		for _, col := range s.Columns {
			v.Columns = append(v.Columns, clean(col))
		}
		v.Rows = cut(s.Rows, func(row []string) []cell {
			cells := make([]cell, len(row))
			for i, text := range row {
				cells[i].Text = clean(text)
				if i < len(v.Columns) {
					cells[i].Label = v.Columns[i]
				}
			}
			return cells
		}).Rows
		out = append(out, v)
	}
	return out
}

// human writes a duration the way people say it: "45s", "12m", "3h 5m",
// "2d 3h".
func human(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int64(d / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm", s/60)
	case s < 86400:
		return fmt.Sprintf("%dh %dm", s/3600, s%3600/60)
	}
	return fmt.Sprintf("%dd %dh", s/86400, s%86400/3600)
}

// until says when a lease ends, or how long ago it did.
func until(now, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if d := t.Sub(now); d >= 0 {
		return "in " + human(d)
	}
	return human(now.Sub(t)) + " ago"
}
