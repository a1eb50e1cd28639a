package status

import "time"

// The plain structs below are what the parts hand to the status page. They
// are also the JSON of /api/status (docs/status.md): field names and tags
// are a contract with scripts such as psobot load, so only add fields.

// PlayerInfo is one connected game client.
type PlayerInfo struct {
	Name      string    `json:"name"`       // character name, decoded to UTF-8 (as the console sent it: untrusted)
	Version   string    `json:"version"`    // client version for people: "DC v2", "GC Ep1&2", "PC", "BB"
	GuildCard uint32    `json:"guild_card"` // guild card number; 0 before login finished
	Address   string    `json:"address"`    // the client's IP address without port, IPv4 unmapped ("10.55.0.23"): joins the player to its console's lease
	Lobby     int       `json:"lobby"`      // lobby number (1-based); 0 when not in a lobby
	Game      string    `json:"game"`       // name of the game the player is in; "" when not in a game
	Since     time.Time `json:"connected_since"`
}

// LobbyInfo is one lobby.
type LobbyInfo struct {
	Number  int      `json:"number"`  // 1-based, as the game shows it
	Players []string `json:"players"` // names of the players in it
}

// GameInfo is one game (a "room" that up to four players play in).
type GameInfo struct {
	Name       string   `json:"name"`
	Group      string   `json:"version_group"` // versions that may join: "DC/PC", "GC/Xbox", "Ep3", "BB"
	Players    []string `json:"players"`
	Episode    int      `json:"episode"`    // 1, 2 or 4; 3 for Episode III; 0 when not known
	Difficulty string   `json:"difficulty"` // "Normal", "Hard", "Very Hard", "Ultimate"
	Mode       string   `json:"mode"`       // "Normal", "Battle", "Challenge", "Solo"
	Quest      string   `json:"quest"`      // the quest in progress; "" when none
	Password   bool     `json:"password"`   // the game has a password (never the password itself)
}

// LeaseInfo is one DHCP lease (or blocked address).
type LeaseInfo struct {
	MAC      string    `json:"mac"`
	Vendor   string    `json:"vendor"` // guessed from the MAC's OUI: "Nintendo (GameCube BBA)"
	IP       string    `json:"ip"`
	Hostname string    `json:"hostname"` // sent by the client, or the reservation's name
	State    string    `json:"state"`    // offered, bound, expired, released, declined, conflict
	Expires  time.Time `json:"expires"`
	Reserved bool      `json:"reserved"` // a static reservation from the config
	Console  bool      `json:"console"`  // the MAC is a known console vendor or configured as a console
}

// LookupInfo is one client's most recent query for one PSO server name.
type LookupInfo struct {
	Time     time.Time `json:"time"`
	Client   string    `json:"client"`   // IP address of the asker
	Name     string    `json:"name"`     // "gc01.st-pso.games.sega.net"
	Platform string    `json:"platform"` // "Dreamcast", "GameCube", "PC"; "" when the name does not tell
	Label    string    `json:"label"`    // "PSO GC US"
	Count    int       `json:"count"`    // queries for this name from this client
	Summary  string    `json:"summary"`  // "GameCube at 10.55.0.23 looked up gc01.st-pso.games.sega.net → PSO GC US"
}

// DNSCounters count DNS queries since start.
type DNSCounters struct {
	Queries        uint64 `json:"queries"`
	NoError        uint64 `json:"noerror"`
	NXDomain       uint64 `json:"nxdomain"`
	ServFail       uint64 `json:"servfail"`
	Refused        uint64 `json:"refused"`
	OtherRcode     uint64 `json:"other_rcode"`
	Dropped        uint64 `json:"dropped"` // rate-limited: no reply at all
	Invalid        uint64 `json:"invalid"` // packets that were not a plain query
	GameAnswers    uint64 `json:"game_answers"`
	CacheHits      uint64 `json:"cache_hits"`
	CacheMisses    uint64 `json:"cache_misses"`
	Forwarded      uint64 `json:"forwarded"`
	UpstreamErrors uint64 `json:"upstream_errors"`
}

// DHCPStatus is the DHCP server's state and counters.
type DHCPStatus struct {
	Interface    string        `json:"interface"`
	State        string        `json:"state"`   // starting, checking, serving, refused, stopped
	Message      string        `json:"message"` // a sentence for people when not simply serving
	Rogues       []RogueServer `json:"rogue_servers"`
	Forced       bool          `json:"forced"` // serving although another server answered
	PoolSize     int           `json:"pool_size"`
	LeasesActive int           `json:"leases_active"`
	Counters     DHCPCounters  `json:"counters"`
}

// RogueServer is another DHCP server seen on the consoles' network.
type RogueServer struct {
	ServerID string `json:"server_id"`
	MAC      string `json:"mac"`
}

// DHCPCounters count DHCP messages since start.
type DHCPCounters struct {
	Received    uint64 `json:"received"`
	Discover    uint64 `json:"discover"`
	Request     uint64 `json:"request"`
	Decline     uint64 `json:"decline"`
	Release     uint64 `json:"release"`
	Inform      uint64 `json:"inform"`
	Offer       uint64 `json:"offer"`
	Ack         uint64 `json:"ack"`
	Nak         uint64 `json:"nak"`
	Ignored     uint64 `json:"ignored"`
	Exhausted   uint64 `json:"exhausted"` // DISCOVERs left unanswered because the pool was full
	Conflicts   uint64 `json:"conflicts"` // addresses found in use by the ARP probe
	ProbeErrors uint64 `json:"probe_errors"`
	SendErrors  uint64 `json:"send_errors"`
}

// Warning is something the person running the party should look at.
type Warning struct {
	Component string `json:"component"` // "dhcp", "dns", "game", "capture", "status"...
	Level     Level  `json:"level"`
	Message   string `json:"message"` // one sentence for people, saying what to do where possible
}

// Level says how bad a Warning is.
type Level string

const (
	// LevelError: something consoles need does not work.
	LevelError Level = "error"
	// LevelWarning: it works, but differently from what one would expect.
	LevelWarning Level = "warning"
	// LevelInfo: a setting worth knowing about, such as capture being on.
	LevelInfo Level = "info"
)

// Addresses are what the consoles are told to use, shown in the header.
type Addresses struct {
	Interface string `json:"interface"` // the consoles' LAN interface; "" in server mode
	Subnet    string `json:"subnet"`    // the subnet DHCP serves; "" without DHCP
	DNS       string `json:"dns"`       // DNS server handed to consoles
	Router    string `json:"router"`    // router handed to consoles; "" without DHCP
	Game      string `json:"game"`      // what PSO names resolve to: the sentinel, or the advertised address
}

// ProcessStats describe psobox's own process.
type ProcessStats struct {
	RSSBytes   uint64 `json:"rss_bytes"` // resident set (VmRSS); 0 where /proc is missing
	HeapBytes  uint64 `json:"heap_bytes"`
	Goroutines int    `json:"goroutines"`
	OpenFDs    int    `json:"open_fds"` // -1 where /proc is missing
	GoVersion  string `json:"go_version"`
}
