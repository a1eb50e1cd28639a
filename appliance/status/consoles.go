package status

import "time"

// Console is one DHCP lease with what that address did next: the PSO
// names it looked up and the players connected from it. The lease's
// fields appear at the top level of its JSON object.
type Console struct {
	LeaseInfo
	ExpiresInSeconds int64        `json:"expires_in_seconds"` // negative once expired
	Lookups          []LookupInfo `json:"lookups"`            // most recent first
	Players          []string     `json:"players"`
}

// joinConsoles joins leases, lookups and players by IP address: DNS and
// the game server know a console only by its address, DHCP by its MAC.
func joinConsoles(now time.Time, leases []LeaseInfo, lookups []LookupInfo, players []PlayerInfo) []Console {
	byClient := make(map[string][]LookupInfo)
	for _, l := range lookups {
		byClient[l.Client] = append(byClient[l.Client], l)
	}
	names := make(map[string][]string)
	for _, p := range players {
		names[p.Address] = append(names[p.Address], p.Name)
	}
	out := make([]Console, 0, len(leases))
	for _, l := range leases {
		out = append(out, Console{
			LeaseInfo:        l,
			ExpiresInSeconds: int64(l.Expires.Sub(now) / time.Second),
			Lookups:          byClient[l.IP],
			Players:          names[l.IP],
		})
	}
	return out
}

// strayLookups are lookups from addresses without a lease: every lookup
// in server mode, and consoles set up by hand in the others.
func strayLookups(consoles []Console, lookups []LookupInfo) []LookupInfo {
	leased := make(map[string]bool, len(consoles))
	for _, c := range consoles {
		leased[c.IP] = true
	}
	var out []LookupInfo
	for _, l := range lookups {
		if !leased[l.Client] {
			out = append(out, l)
		}
	}
	return out
}

// normalize makes every list in the snapshot non-nil, so that the JSON
// says [] rather than null: scripts can iterate without checking.
func normalize(s *Snapshot) {
	s.Warnings = orEmpty(s.Warnings)
	s.Consoles = orEmpty(s.Consoles)
	s.Lookups = orEmpty(s.Lookups)
	s.Players = orEmpty(s.Players)
	s.Lobbies = orEmpty(s.Lobbies)
	s.Games = orEmpty(s.Games)
	s.Sections = orEmpty(s.Sections)
	for i := range s.Consoles {
		s.Consoles[i].Lookups = orEmpty(s.Consoles[i].Lookups)
		s.Consoles[i].Players = orEmpty(s.Consoles[i].Players)
	}
	for i := range s.Lobbies {
		s.Lobbies[i].Players = orEmpty(s.Lobbies[i].Players)
	}
	for i := range s.Games {
		s.Games[i].Players = orEmpty(s.Games[i].Players)
	}
	for i := range s.Sections {
		s.Sections[i].Rows = orEmpty(s.Sections[i].Rows)
	}
	if s.DHCP != nil {
		s.DHCP.Rogues = orEmpty(s.DHCP.Rogues)
	}
	if s.Capture != nil {
		s.Capture.Files = orEmpty(s.Capture.Files)
	}
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
