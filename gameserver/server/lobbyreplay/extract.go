// Package lobbyreplay replays what real clients did in lobbies, taken from
// recorded sessions (sessionlog), through a psobox game server started by
// servertest, and checks that the server accepts each command and routes
// it to the right receivers.
//
// Extract cuts each recorded client's lobby phases out of a log: from the
// server's 67 (join lobby) until the client leaves for a game (a 64, or a
// game list or creation command), the ship select (A0, DC NTE 8E) or the
// connection. Only what a player does spontaneously is kept (chat, relayed
// commands, lobby changes, arrows, names, boards, mail, searches...);
// answers to the server (player data, pings, time) are not, since the
// bots answer our server themselves.
//
// Replay has a psobot of each recorded client's version where the recorded
// client was: it logs in when its player first enters a lobby, is moved to
// the lobby its player entered, and leaves (its session closed) when its
// player left for a game, the menus or the door. It sends the kept
// commands in the log's order, translating client IDs from the recording
// to ours (62/6D targets, the sender's ID in subcommand headers), and
// after each command checks, for every bot, the commands it receives next
// (Noise aside): a relayed command (60, 62, 6C, 6D) must reach exactly
// the players the recorded server relayed it to while handling it, as the
// log shows, and other commands are answered as Rules expect. A bot that
// receives something unexpected, or misses something, fails the test, as
// does a bot whose session ends.
package lobbyreplay

import (
	"bytes"
	"encoding/binary"

	"github.com/psobox/psobox/gameserver/sessionlog"
	"github.com/psobox/psobox/gameserver/wire"
)

// Player is one recorded client that spent time in a lobby.
type Player struct {
	Name      string // the log's client name, e.g. "C-1"
	Version   wire.Version
	Port      int
	GuildCard uint32 // the recorded server's number for it (04)
}

// Command is one command a player sent in a lobby.
type Command struct {
	Player int // index in Session.Players
	Line   int // in the log
	Header wire.Header
	// Payload is the command after its header.
	Payload []byte
	// Slot is the sender's client ID in the recorded lobby; Targets maps
	// the recorded client IDs of the sender's lobby to players.
	Slot    uint8
	Targets map[uint8]int
	// Deliveries are, for a relayed command (60, 62, 6C, 6D), the players
	// the recorded server sent it to while handling it, as the log shows.
	Deliveries []Delivery
}

// Delivery is a relayed command as the recorded server sent it to one
// player.
type Delivery struct {
	Player int
	// Verbatim: the player got the bytes the sender sent (the server did
	// not rewrite them for the receiver's version).
	Verbatim bool
}

// Session is the lobby activity of one log.
type Session struct {
	File     string
	Players  []Player
	Commands []Command
	// Moves are the players entering and leaving lobbies other than by a
	// kept command of their own, so that a replay has the same players in
	// its lobbies as the recording when each command is sent.
	Moves []Move
}

// Move is a player entering a lobby (the server's 67) or leaving it for a
// game, the menus or the door.
type Move struct {
	Line   int
	Player int
	Enter  bool
	Lobby  uint8 // the lobby entered, as the 67 numbers it (0 is lobby 1)
}

// Kept lists the commands a player sends on its own in a lobby.
var Kept = map[uint16]bool{
	0x06: true, 0x1F: true, 0x40: true, 0x60: true, 0x62: true, 0x6C: true, 0x6D: true,
	0x81: true, 0x84: true, 0x89: true, 0x8A: true, 0xA0: true, 0xA1: true, 0x8E: true, 0x8F: true,
	0xC6: true, 0xC7: true, 0xC8: true, 0xD8: true, 0xD9: true,
}

// leavesLobby lists the client commands after which a lobby phase ends
// (games, the ship and block counters, quitting).
var leavesLobby = map[uint16]bool{0x05: true, 0x08: true, 0x0C: true, 0xC1: true, 0xEC: true, 0xA0: true, 0xA1: true, 0x8E: true, 0x8F: true}

// seat is where a recorded client sits: its lobby (the 67's lobby number)
// and client ID.
type seat struct {
	in          bool
	lobby, slot uint8
}

// extractor walks a log's events.
type extractor struct {
	s     *Session
	index map[string]int // client name -> player index
	port  map[string]int // client name -> port from its connect line
	seats map[string]seat
	cards map[string]uint32 // client name -> guild card number from its 04
	// relaying is the index in s.Commands of the relayed command the
	// recorded server is handling: the one a client sent last, if kept.
	// The server handles one command at a time, so what it relays before
	// the next client command is that command's deliveries.
	relaying int
}

// Extract returns the lobby activity in a log; nil when there is none.
func Extract(file string, evs []sessionlog.Event) *Session {
	x := &extractor{s: &Session{File: file}, index: map[string]int{}, port: map[string]int{},
		seats: map[string]seat{}, cards: map[string]uint32{}, relaying: -1}
	for _, e := range evs {
		x.event(e)
	}
	if len(x.s.Commands) == 0 {
		return nil
	}
	return x.s
}

func (x *extractor) event(e sessionlog.Event) {
	switch e.Kind {
	case sessionlog.Connect:
		x.port[e.Client] = e.Port
	case sessionlog.Disconnect:
		x.leave(e)
	case sessionlog.FromServer:
		x.fromServer(e)
	case sessionlog.FromClient:
		x.relaying = -1
		x.fromClient(e)
	}
}

func (x *extractor) fromServer(e sessionlog.Event) {
	h, body, ok := split(e)
	switch {
	case !ok:
	case h.Command == 0x04 && len(body) >= 8:
		x.cards[e.Client] = binary.LittleEndian.Uint32(body[4:])
	case h.Command == 0x67 && len(body) >= 4:
		n := lobbyNumber(e.Version, body)
		x.s.Moves = append(x.s.Moves, Move{Line: e.Line, Player: x.player(e), Enter: true, Lobby: n})
		x.seats[e.Client] = seat{in: true, lobby: n, slot: body[0]}
	case h.Command == 0x64:
		x.leave(e)
	case isRelay(h.Command) && x.relaying >= 0:
		x.delivered(e, body)
	}
}

// delivered records that the recorded server relayed the command it is
// handling to e's client.
func (x *extractor) delivered(e sessionlog.Event, body []byte) {
	c := &x.s.Commands[x.relaying]
	if _, seated := x.seats[e.Client]; !seated {
		return // it is in a game: not a delivery of a lobby command
	}
	c.Deliveries = append(c.Deliveries, Delivery{Player: x.player(e), Verbatim: bytes.Equal(body, c.Payload)})
}

// lobbyNumber is the 67's lobby number (DC NTE has none: one lobby).
func lobbyNumber(v wire.Version, body []byte) uint8 {
	if v == wire.DCNTE {
		return 0
	}
	return body[3]
}

func (x *extractor) fromClient(e sessionlog.Event) {
	st := x.seats[e.Client]
	h, body, ok := split(e)
	if !ok || !st.in {
		return
	}
	if Kept[h.Command] {
		if isRelay(h.Command) {
			x.relaying = len(x.s.Commands)
		}
		x.s.Commands = append(x.s.Commands, Command{Player: x.player(e), Line: e.Line, Header: h,
			Payload: body, Slot: st.slot, Targets: x.targets(st.lobby)})
	}
	if leavesLobby[h.Command] && Kept[h.Command] {
		delete(x.seats, e.Client) // the player's bot sends it too
	} else if leavesLobby[h.Command] {
		x.leave(e)
	}
}

// leave notes that e's client left its lobby.
func (x *extractor) leave(e sessionlog.Event) {
	if st := x.seats[e.Client]; st.in {
		x.s.Moves = append(x.s.Moves, Move{Line: e.Line, Player: x.index[e.Client]})
	}
	delete(x.seats, e.Client)
}

// targets maps the client IDs of recorded lobby number to players.
func (x *extractor) targets(lobby uint8) map[uint8]int {
	m := map[uint8]int{}
	for name, st := range x.seats {
		if st.in && st.lobby == lobby {
			if i, ok := x.index[name]; ok {
				m[st.slot] = i
			}
		}
	}
	return m
}

func (x *extractor) player(e sessionlog.Event) int {
	if i, ok := x.index[e.Client]; ok {
		return i
	}
	x.index[e.Client] = len(x.s.Players)
	x.s.Players = append(x.s.Players, Player{Name: e.Client, Version: e.Version, Port: x.port[e.Client], GuildCard: x.cards[e.Client]})
	return x.index[e.Client]
}

// split decodes a logged command's header and returns the payload.
func split(e sessionlog.Event) (wire.Header, []byte, bool) {
	f := e.Version.HeaderFormat()
	h, err := f.Decode(e.Data)
	if err != nil || int(h.Size) > len(e.Data) || int(h.Size) < f.Len() {
		return h, nil, false
	}
	return h, e.Data[f.Len():h.Size], true
}
