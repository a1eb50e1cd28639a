package server

import (
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"
)

// AccountMode says who may log in.
type AccountMode uint8

// Account modes.
const (
	// AccountsOpen registers any licence at its first login (LAN default).
	AccountsOpen AccountMode = iota
	// AccountsRegistered accepts only licences already in the accounts
	// database: those registered while the server ran in open mode (psobox
	// has no tool to add them yet).
	AccountsRegistered
)

// ParseAccountMode reads the config value "open" or "registered".
func ParseAccountMode(s string) (AccountMode, error) {
	switch s {
	case "open", "":
		return AccountsOpen, nil
	case "registered":
		return AccountsRegistered, nil
	}
	return 0, fmt.Errorf("server: accounts mode %q: want open or registered", s)
}

// InfoPage is one entry of the Information menu: a title, a short
// description shown beside the menu and the page shown when chosen.
type InfoPage struct {
	Title, Short, Text string
}

// Options configure the game server. Zero durations and limits take the
// defaults of DefaultOptions; config keys are given in brackets.
type Options struct {
	Listen         string      // [game.listen] host every port binds on; "" = all addresses
	ServerName     string      // [server_name] shown as the menu title
	Accounts       AccountMode // [accounts]
	WelcomeMessage string      // [welcome_message] shown to GameCube players after login; "" = none
	MaxClients     int         // [max_clients] connections at once, all ports
	MaxPerIP       int         // [max_per_ip] connections at once from one address

	PingInterval time.Duration // [ping_interval] how often logged-in clients are pinged (1D)
	IdleTimeout  time.Duration // [idle_timeout] silence after which a client is dropped
	LoginTimeout time.Duration // [login_timeout] time from connecting to finishing the login

	StateDir string // directory of the accounts database (accounts.db)
	BBKeyDir string // [bb_key_dir] Blue Burst key tables (*.nsk); BB ports stay closed without them
	PCOn9100 bool   // [pc_on_9100] 9100 splits PC and console clients; false = a console port

	QuestDir string // [quest_dir] the quests, in the reference server's layout (package quest); "" = none

	// ChatCommands lets players ask the server things in the chat ($help,
	// $who...; chatcmd.go); ChatCommandPrefix is the character that starts
	// them ("" = "$"). Typing it twice says it literally.
	ChatCommands      bool   // [chat_commands]
	ChatCommandPrefix string // [chat_command_prefix]

	// Information is the Information menu (GameCube and Xbox only: DC and
	// PC cannot show the pages). Nil means DefaultInformation.
	Information []InfoPage
	// MenuEvent is the lobby event (holiday decoration) V3 clients show in
	// the menus: 0 none, 1 Christmas, ... as in the clients' table.
	MenuEvent uint8
	// Ep3CardDefinitions is the path of the PRS-compressed Episode III card
	// list sent to Ep3 clients at login (newserv's card-definitions.mnr).
	// Empty: clients keep the list on their disc.
	Ep3CardDefinitions string

	// EphemeralPorts binds every listener to port 0 (tests): Addrs reports
	// the ports chosen, and the 9100 split redirects to them.
	EphemeralPorts bool
	// SendQueueBytes bounds each client's queue of unsent data; a client
	// that lets it fill is dropped as too slow.
	SendQueueBytes int
	// SplitCloseDelay is how long the 9100 split waits before closing, for
	// the GameCube TCP stack that loses data sent just before a close.
	SplitCloseDelay time.Duration

	// Capture, when set, may record each connection (capture.go); nil
	// records nothing and costs nothing.
	Capture Capturer

	// OnPanic, when set, is called after a panic in a client's goroutine
	// was recovered and the client dropped (metrics; tests fail on it).
	OnPanic func(v any)

	Logger *slog.Logger     // tagged component=game by the caller; nil discards
	Now    func() time.Time // clock for the time shown to clients; nil = time.Now
}

// DefaultOptions returns the options of a LAN party server.
func DefaultOptions() Options {
	return Options{
		ServerName:        "psobox",
		WelcomeMessage:    "Welcome to psobox.",
		MaxClients:        1000,
		MaxPerIP:          8,
		PingInterval:      30 * time.Second,
		IdleTimeout:       90 * time.Second,
		LoginTimeout:      60 * time.Second,
		PCOn9100:          true,
		ChatCommands:      true,
		ChatCommandPrefix: "$",
		SendQueueBytes:    512 << 10,
		SplitCloseDelay:   2 * time.Second,
	}
}

// DefaultInformation is the Information menu when none is configured.
var DefaultInformation = []InfoPage{
	{"About", "About this\nserver", "This server runs psobox, a PSO\nserver for LAN parties.\n\nYour guild card number is\nkept for your licence."},
	{"Lobbies", "How lobbies\nwork", "Choose \"Go to lobby\" to meet the\nother players. Use the lobby\nteleporter to change lobby."},
}

// withDefaults fills zero fields from DefaultOptions and checks the rest.
func (o Options) withDefaults() (Options, error) {
	d := DefaultOptions()
	for _, f := range []struct {
		v   *time.Duration
		def time.Duration
	}{{&o.PingInterval, d.PingInterval}, {&o.IdleTimeout, d.IdleTimeout}, {&o.LoginTimeout, d.LoginTimeout}, {&o.SplitCloseDelay, d.SplitCloseDelay}} {
		if *f.v <= 0 {
			*f.v = f.def
		}
	}
	for _, f := range []struct {
		v   *int
		def int
	}{{&o.MaxClients, d.MaxClients}, {&o.MaxPerIP, d.MaxPerIP}, {&o.SendQueueBytes, d.SendQueueBytes}} {
		if *f.v <= 0 {
			*f.v = f.def
		}
	}
	if o.ServerName == "" {
		o.ServerName = d.ServerName
	}
	if o.ChatCommandPrefix == "" {
		o.ChatCommandPrefix = d.ChatCommandPrefix
	}
	if o.Information == nil {
		o.Information = DefaultInformation
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o, o.check()
}

func (o Options) check() error {
	if o.StateDir == "" {
		return fmt.Errorf("server: no state directory for the accounts database")
	}
	if strings.Contains(o.Listen, ":") && net.ParseIP(o.Listen) == nil {
		return fmt.Errorf("server: game.listen %q: give a host or address without a port (the ports are the consoles')", o.Listen)
	}
	if o.Accounts > AccountsRegistered {
		return fmt.Errorf("server: invalid accounts mode %d", o.Accounts)
	}
	if len(o.Information) > maxInfoPages {
		return fmt.Errorf("server: %d information pages, at most %d fit a menu", len(o.Information), maxInfoPages)
	}
	if o.SendQueueBytes < 2*maxCommandBytes {
		return fmt.Errorf("server: send queue of %d bytes cannot hold two commands", o.SendQueueBytes)
	}
	return nil
}
