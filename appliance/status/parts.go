package status

import (
	"context"
	"maps"
	"slices"
	"sync"
)

// Game is what the status page needs from the game server. Every method
// returns a fresh copy the page may keep; it is called for every request,
// from several goroutines at once, and should return within milliseconds.
type Game interface {
	Players() []PlayerInfo // every connected client, logged in or not
	Lobbies() []LobbyInfo
	Games() []GameInfo
}

// DNS is what the status page needs from the DNS server.
type DNS interface {
	Lookups() []LookupInfo // most recent first
	Counters() DNSCounters
}

// DHCP is what the status page needs from the DHCP server.
type DHCP interface {
	Leases() []LeaseInfo
	Status() DHCPStatus
}

// WarningSource is anything that may have warnings to show: a part of the
// appliance registers one in Options.Warnings.
type WarningSource interface {
	Warnings() []Warning
}

// WarningFunc makes a WarningSource from a function.
type WarningFunc func() []Warning

// Warnings calls f.
func (f WarningFunc) Warnings() []Warning { return f() }

// Board is a WarningSource for events rather than state: a part that sees
// something go wrong (a port taken at start, a link gone) Sets a warning
// under a key and Clears it when it is over. Safe for concurrent use; the
// zero Board is empty and ready.
type Board struct {
	mu    sync.Mutex
	items map[string]Warning
}

// Set shows w until Clear(key), replacing an earlier warning under key.
func (b *Board) Set(key string, w Warning) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.items == nil {
		b.items = make(map[string]Warning)
	}
	b.items[key] = w
}

// Clear removes the warning under key, if any.
func (b *Board) Clear(key string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.items, key)
}

// Warnings lists the current warnings by key.
func (b *Board) Warnings() []Warning {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]Warning, 0, len(b.items))
	for _, k := range slices.Sorted(maps.Keys(b.items)) {
		out = append(out, b.items[k])
	}
	return out
}

// Section is an extra block of the page for facts that have no place of
// their own (the service list...): a titled table, or a note when there is
// nothing to list.
type Section struct {
	Title   string     `json:"title"`
	Columns []string   `json:"columns,omitempty"`
	Rows    [][]string `json:"rows"`
	Note    string     `json:"note,omitempty"`
}

// Source provides one extra Section. Section is called for every request,
// from many goroutines at once, and should return quickly.
type Source interface {
	Name() string // stable key in /api/status and the HTML id: "services"
	Section(ctx context.Context) Section
}

// NewSource makes a Source from a function.
func NewSource(name string, section func(ctx context.Context) Section) Source {
	return funcSource{name, section}
}

type funcSource struct {
	name    string
	section func(ctx context.Context) Section
}

func (f funcSource) Name() string                        { return f.name }
func (f funcSource) Section(ctx context.Context) Section { return f.section(ctx) }
