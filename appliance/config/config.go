package config

import (
	"net/netip"
)

// Mode is how psobox fits into the network: see docs/config.md.
type Mode string

// The three network modes.
const (
	// Island: psobox is the only DHCP server on a switch of consoles.
	Island Mode = "island"
	// Home: psobox sits on a home LAN and answers DHCP for consoles only.
	Home Mode = "home"
	// Server: no DHCP; consoles are pointed at psobox's DNS by hand.
	Server Mode = "server"
)

// Config is the whole user configuration. Every field mirrors one key of
// the TOML file; default.toml holds the defaults and the documentation of
// each key. Values are checked by Load (syntax and types) and Validate
// (ranges and combinations).
type Config struct {
	Mode Mode `toml:"mode"`
	// StateDirPath is the state_dir key as written; StateDir resolves it.
	StateDirPath string     `toml:"state_dir"`
	Log          Log        `toml:"log"`
	Network      Network    `toml:"network"`
	DNS          DNS        `toml:"dns"`
	DHCP         DHCP       `toml:"dhcp"`
	Game         Game       `toml:"game"`
	Status       Status     `toml:"status"`
	Capture      Capture    `toml:"capture"`
	Privileges   Privileges `toml:"privileges"`
}

// Log is the [log] table.
type Log struct {
	Level  string `toml:"level"`
	Format string `toml:"format"`
}

// Network is the [network] table.
type Network struct {
	Interface string       `toml:"interface"`
	Address   netip.Prefix `toml:"address"`
	Sentinel  netip.Addr   `toml:"sentinel"`
	Advertise netip.Addr   `toml:"advertise"`
}

// DNS is the [dns] table.
type DNS struct {
	Enabled        bool           `toml:"enabled"`
	Listen         string         `toml:"listen"`
	Upstreams      []Upstream     `toml:"upstreams"`
	ResolvConf     string         `toml:"resolv_conf"`
	Catchall       bool           `toml:"catchall"`
	Allow          []netip.Prefix `toml:"allow"`
	CacheEntries   int            `toml:"cache_entries"`
	RateLimit      int            `toml:"rate_limit"`
	ExtraHostnames []string       `toml:"extra_hostnames"`
	Timeout        Duration       `toml:"timeout"`
}

// DHCP is the [dhcp] table.
type DHCP struct {
	Enabled      bool          `toml:"enabled"`
	PoolStart    netip.Addr    `toml:"pool_start"`
	PoolEnd      netip.Addr    `toml:"pool_end"`
	LeaseTime    Duration      `toml:"lease_time"`
	Domain       string        `toml:"domain"`
	Force        bool          `toml:"force"`
	RogueCheck   Duration      `toml:"rogue_check"`
	ConsoleOUIs  []OUI         `toml:"console_ouis"`
	ConsoleMACs  []MAC         `toml:"console_macs"`
	Reservations []Reservation `toml:"reservations"`
}

// Reservation is one [[dhcp.reservations]] entry: a fixed address for a MAC.
type Reservation struct {
	MAC  MAC        `toml:"mac"`
	IP   netip.Addr `toml:"ip"`
	Name string     `toml:"name"`
}

// Game is the [game] table.
type Game struct {
	Enabled           bool       `toml:"enabled"`
	Listen            netip.Addr `toml:"listen"`
	ServerName        string     `toml:"server_name"`
	Accounts          string     `toml:"accounts"`
	WelcomeMessage    string     `toml:"welcome_message"`
	MaxClients        int        `toml:"max_clients"`
	MaxPerIP          int        `toml:"max_per_ip"`
	PingInterval      Duration   `toml:"ping_interval"`
	IdleTimeout       Duration   `toml:"idle_timeout"`
	LoginTimeout      Duration   `toml:"login_timeout"`
	QuestDir          string     `toml:"quest_dir"`
	BBKeyDir          string     `toml:"bb_key_dir"`
	ChatCommands      bool       `toml:"chat_commands"`
	ChatCommandPrefix string     `toml:"chat_command_prefix"`
	PCOn9100          bool       `toml:"pc_on_9100"`
}

// Status is the [status] table.
type Status struct {
	Enabled bool   `toml:"enabled"`
	Listen  string `toml:"listen"`
}

// Capture is the [capture] table.
type Capture struct {
	Enabled         bool   `toml:"enabled"`
	Dir             string `toml:"dir"`
	MaxFileMiB      int    `toml:"max_file_mib"`
	MaxTotalMiB     int    `toml:"max_total_mib"`
	MaskCredentials bool   `toml:"mask_credentials"`
}

// Privileges is the [privileges] table: who the services run as when
// psobox starts as root.
type Privileges struct {
	Drop string `toml:"drop"`
	UID  int    `toml:"uid"`
	GID  int    `toml:"gid"`
}
