// Package replaytest is the regression harness of recorded sessions: it
// replays every capture under testdata/sessions/ (psobox's own, made by
// psobot or sent in by users) and the login phase of every log of real
// consoles in ../shared/fixtures/pso-sessions/ against a fresh psobox,
// through package replay. The helpers here let other tests (deeper replays
// of lobby and game phases) set psobox up the way those logs need.
package replaytest

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/psobox/psobox/gameserver/replay"
	"github.com/psobox/psobox/gameserver/server"
	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/sessionlog"
	"github.com/psobox/psobox/gameserver/wire"
)

// Directives are the harness's instructions a capture may carry as
// "### replay ..." lines (testdata/sessions/README.md).
type Directives struct {
	Clients   []string // "### replay clients C-3 C-4": only these connections
	LoginOnly bool     // "### replay login-only": each connection up to its lobby join
}

// ReadDirectives collects the replay directives of a log.
func ReadDirectives(events []sessionlog.Event) (Directives, error) {
	var d Directives
	for _, ev := range events {
		words := strings.Fields(ev.Text)
		if ev.Kind != sessionlog.Directive || len(words) < 2 || words[0] != "replay" {
			continue
		}
		switch words[1] {
		case "clients":
			d.Clients = append(d.Clients, words[2:]...)
		case "login-only":
			d.LoginOnly = true
		default:
			return d, fmt.Errorf("line %d: unknown directive %q", ev.Line, ev.Text)
		}
	}
	return d, nil
}

// LoginPhase ends a connection's replay at the server's lobby join (67).
func LoginPhase(fromServer bool, cmd uint16) bool { return fromServer && cmd == 0x67 }

// FlagsThatMatter are commands whose header flag is protocol (a result
// code, the lobby count, the event), not a count of things the server may
// choose like menu items.
var FlagsThatMatter = map[uint16]bool{
	0x04: true, 0x83: true, 0x88: true, 0x8A: true, 0x8D: true, 0x90: true, 0x92: true,
	0x95: true, 0x97: true, 0x9A: true, 0x9C: true, 0xB1: true, 0xDA: true,
}

// NewservSkipReasons lists what the reference server does in its logs that
// psobox deliberately does not.
var NewservSkipReasons = map[string]string{
	"quest": "newserv's optional function-call quest installs its own client patches; psobox sends no " +
		"client code. Skipped: the server's 44/13/AC, the client's 44/13/AC acknowledgements, the 98 and " +
		"84 that end the quest, and the BA meseta exchange Episode III's quest script makes.",
	"pc-b2": "newserv's B2 runs its own x86 function and checksums pso.exe to pick PC patches; psobox " +
		"sends no client code. Skipped: B2 and the client's B3.",
}

// NewservSkipper skips exactly NewservSkipReasons: the quest window opens
// with the server's first 44 and closes with the client's 84.
func NewservSkipper() replay.Skipper {
	inQuest := false
	return func(fromServer bool, v wire.Version, cmd uint16) (string, bool) {
		if v.IsPC() && (fromServer && cmd == 0xB2 || !fromServer && cmd == 0xB3) {
			return "pc-b2", true
		}
		if fromServer && cmd == 0x44 {
			inQuest = true
		}
		if !inQuest {
			return "", false
		}
		switch cmd {
		case 0x44, 0x13, 0xAC, 0xBA:
			return "quest", true
		case 0x98:
			return "quest", !fromServer
		case 0x84:
			inQuest = fromServer
			return "quest", !fromServer
		}
		return "", false
	}
}

// NewservOptions are psobox's options set the way the reference server was
// when it recorded its logs, where that shows on the wire: the menu event
// (Christmas), a welcome message, 16 information pages, and the Episode III
// card list the logs carry (written to dir).
func NewservOptions(t testing.TB, logs [][]sessionlog.Event, dir string) server.Options {
	t.Helper()
	o := servertest.Options()
	o.MenuEvent = 1
	o.WelcomeMessage = "You are connected."
	o.Information = nil
	for i := range 16 {
		o.Information = append(o.Information, server.InfoPage{Title: fmt.Sprintf("Page %d", i), Short: "A page", Text: fmt.Sprintf("Text of page %d", i)})
	}
	o.Ep3CardDefinitions = ep3CardList(t, logs, dir)
	o.SplitCloseDelay = 200e6
	return o
}

// ep3CardList writes the Episode III card list a recorded server sent (B8)
// into dir, as a user would supply it; "" when no log has one.
func ep3CardList(t testing.TB, logs [][]sessionlog.Event, dir string) string {
	for _, events := range logs {
		for _, ev := range events {
			if ev.Kind != sessionlog.FromServer || !ev.Version.IsEp3() || len(ev.Data) < 8 || ev.Data[0] != 0xB8 {
				continue
			}
			body := ev.Data[4:]
			n := int(binary.LittleEndian.Uint32(body))
			if n > len(body)-4 {
				continue
			}
			path := filepath.Join(dir, "card-definitions.mnr")
			if err := os.WriteFile(path, body[4:4+n], 0o600); err != nil {
				t.Fatal(err)
			}
			return path
		}
	}
	return ""
}
