package client

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/psobox/psobox/gameserver/wire"
)

// StepKind says what a Step records.
type StepKind uint8

// The kinds of steps.
const (
	StepInfo     StepKind = iota // something happened: connected, keys, cipher, phase change
	StepSent                     // a command went to the server
	StepReceived                 // a command came from the server
)

// Step is one thing that happened in a session, for people reading along
// (psobot prints them) and for tests.
type Step struct {
	Time  time.Time
	Kind  StepKind
	Phase string      // the phase the session was in (see StepError)
	Cmd   wire.Header // Sent/Received: the command's header
	Text  string      // what it means, e.g. "sent DB (verify account)"
}

func (s Step) String() string { return s.Text }

// trace reports a step to the configured hook.
func (c *Client) trace(kind StepKind, h wire.Header, format string, args ...any) {
	if c.cfg.Trace == nil {
		return
	}
	c.traceMu.Lock()
	defer c.traceMu.Unlock()
	c.cfg.Trace(Step{Time: c.cfg.Now(), Kind: kind, Phase: c.phase(), Cmd: h, Text: fmt.Sprintf(format, args...)})
}

func (c *Client) info(format string, args ...any) {
	c.trace(StepInfo, wire.Header{}, format, args...)
}

// commandName names a command in one direction, for traces and errors.
func commandName(dir wire.Direction, cmd uint16) string {
	names := serverCommandNames
	if dir == wire.ClientToServer {
		names = clientCommandNames
	}
	if n, ok := names[cmd]; ok {
		return n
	}
	return "unknown to psobot"
}

// cmdLabel is "9A (licence result)".
func cmdLabel(dir wire.Direction, cmd uint16) string {
	return fmt.Sprintf("%02X (%s)", cmd, commandName(dir, cmd))
}

var serverCommandNames = map[uint16]string{
	0x01: "message", 0x02: "server init", 0x04: "guild card number", 0x06: "chat",
	0x07: "main menu", 0x08: "game list", 0x11: "ship info", 0x13: "quest file chunk",
	0x17: "server init", 0x19: "reconnect", 0x1A: "message box", 0x1D: "ping",
	0x1F: "information menu", 0x44: "open quest file", 0x60: "game command", 0x62: "game command",
	0x64: "join game", 0x65: "player joined game", 0x66: "player left game",
	0x67: "join lobby", 0x68: "player joined lobby", 0x69: "player left lobby",
	0x6C: "game command", 0x6D: "game command", 0x83: "lobby list", 0x88: "arrows / account check result",
	0x8A: "connection result / lobby or game name", 0x8D: "request player data", 0x90: "licence result",
	0x91: "server init", 0x92: "registration result", 0x95: "request player data",
	0x97: "enable saving", 0x9A: "licence result", 0x9B: "server init", 0x9C: "registration result",
	0xA0: "ship list", 0xA1: "block list", 0xAC: "quest barrier", 0xB0: "text message",
	0xB1: "server time", 0xB2: "execute code", 0xB7: "rank update", 0xB8: "card list",
	0xBA: "meseta", 0xC5: "player records", 0xCC: "tournament entry", 0xD5: "large message box",
	0xDA: "lobby event", 0x41: "guild card search result", 0x81: "simple mail",
	0xD8: "info boards", 0xA2: "quest menu", 0xA3: "quest description", 0xA4: "download quest menu",
	0xA5: "download quest description", 0xA6: "open download quest file", 0xA7: "download quest chunk",
}

var clientCommandNames = map[uint16]string{
	0x06: "chat", 0x08: "game list request", 0x09: "menu item info", 0x0C: "create game", 0xC1: "create game",
	0xEC: "create game", 0x60: "game command", 0x62: "game command", 0x6C: "game command", 0x6D: "game command",
	0x6F: "done loading", 0x10: "menu selection", 0x13: "quest chunk received", 0x1D: "ping reply",
	0x44: "quest file opened", 0x61: "player data", 0x84: "choose lobby",
	0x88: "account check", 0x8A: "connection info / lobby or game name request", 0x8B: "log in", 0x90: "licence check",
	0x92: "register", 0x93: "log in", 0x96: "character save info", 0x98: "leave game",
	0x99: "server time received", 0x9A: "licence check", 0x9C: "register", 0x9D: "log in",
	0x9E: "log in with client config", 0xAC: "quest ready", 0xB1: "request server time",
	0xB3: "code result", 0xB7: "rank update received", 0xB8: "card list received",
	0xBA: "meseta init", 0xD6: "message box closed", 0xDB: "verify account",
	0x40: "guild card search", 0x81: "simple mail",
	0x89: "set arrow", 0xA0: "change ship", 0xA1: "change block", 0xC6: "blocked senders",
	0xC7: "auto-reply on", 0xC8: "auto-reply off", 0xD8: "info board request", 0xD9: "write info board",
	0xA2: "quest menu request", 0xA6: "download file opened", 0xA7: "download chunk received", 0xA9: "quest menu closed",
}

// licenceCodes explains the result flag of 9A/90/92/9C and DC NTE's 88.
var licenceCodes = map[uint32]string{
	0x00: "licence ok", 0x01: "registration required", 0x02: "licence ok, save it",
	0x03: "access key invalid", 0x04: "serial number invalid", 0x07: "invalid Hunter's License",
	0x08: "Hunter's License expired", 0x0B: "Hunter's License not registered",
	0x0C: "Hunter's License not registered", 0x0D: "Hunter's License not registered",
	0x0E: "connection error", 0x0F: "connection suspended", 0x10: "connection suspended",
	0x11: "Hunter's License expired", 0x12: "invalid Hunter's License", 0x13: "servers under maintenance",
}

// loginCodes explains a nonzero flag of 04.
var loginCodes = map[uint32]string{
	0x01: "line is busy", 0x02: "already logged in", 0x03: "incorrect password",
	0x04: "account suspended", 0x05: "server down for maintenance", 0x06: "incorrect password",
}

func explain(codes map[uint32]string, code uint32) string {
	if s, ok := codes[code]; ok {
		return s
	}
	return "unknown code"
}

// LogSteps returns a Trace hook that writes each step to logger: commands
// at debug level, everything else at info.
func LogSteps(logger *slog.Logger) func(Step) {
	return func(s Step) {
		level := slog.LevelInfo
		if s.Kind != StepInfo {
			level = slog.LevelDebug
		}
		logger.Log(context.Background(), level, s.Text, "phase", s.Phase)
	}
}
