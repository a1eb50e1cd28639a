package status

import "context"

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
