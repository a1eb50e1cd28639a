package lobbyreplay

import (
	"encoding/binary"
	"strings"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// translate turns a recorded command into the one its bot sends: targets
// of 62/6D and the sender's client ID in subcommand headers become ours.
// A reason is returned for commands that cannot be replayed.
func (r *Replay) translate(c Command) (wire.Command, string) {
	cmd := wire.Command{Header: c.Header, Payload: append([]byte(nil), c.Payload...)}
	switch c.Header.Command {
	case 0x40, 0x81:
		r.translateCards(c, cmd.Payload)
	}
	if !isRelay(c.Header.Command) {
		return cmd, ""
	}
	if isPrivate(c.Header.Command) {
		t, ok := c.Targets[uint8(c.Header.Flag)]
		if !ok || t == c.Player {
			return cmd, "its target was not in a replayed lobby"
		}
		cmd.Header.Flag = uint32(r.slot(t))
	}
	mine := r.slot(c.Player)
	for sub, err := range wire.Subcommands(cmd.Payload) {
		if err != nil {
			break
		}
		if binary.LittleEndian.Uint16(sub[2:]) == uint16(c.Slot) {
			binary.LittleEndian.PutUint16(sub[2:], uint16(mine))
		}
	}
	return cmd, ""
}

// translateCards replaces recorded guild card numbers by the bots' in a
// search (40: searcher, target) or mail (81: sender, recipient).
func (r *Replay) translateCards(c Command, p []byte) {
	offsets := []int{4, 8}
	if c.Header.Command == 0x81 {
		offsets = []int{4, 8 + nameWidth(r.Bots[c.Player].Version())}
	}
	for _, off := range offsets {
		if off+4 > len(p) {
			return
		}
		recorded := binary.LittleEndian.Uint32(p[off:])
		for i, pl := range r.Session.Players {
			if pl.GuildCard == recorded && pl.GuildCard != 0 && r.Bots[i] != nil {
				binary.LittleEndian.PutUint32(p[off:], r.Bots[i].GuildCard())
			}
		}
	}
}

// nameWidth is the bytes of a 16-character name field.
func nameWidth(v wire.Version) int {
	if v.UsesUTF16() {
		return 0x20
	}
	return 0x10
}

func isRelay(cmd uint16) bool   { return cmd == 0x60 || cmd == 0x62 || cmd == 0x6C || cmd == 0x6D }
func isPrivate(cmd uint16) bool { return cmd == 0x62 || cmd == 0x6D }

// slot is a bot's client ID in its lobby now.
func (r *Replay) slot(bot int) uint8 {
	if l := r.Bots[bot].CurrentLobby(); l != nil {
		return l.ClientID
	}
	return 0xFF
}

// Members lists the bots in the same lobby as bot, bot included, as the
// server sees them.
func (r *Replay) Members(bot int) []int {
	where := map[uint32][2]int{}
	for _, p := range r.Srv.Players() {
		where[p.GuildCard] = [2]int{p.Block, p.Lobby}
	}
	mine := where[r.Bots[bot].GuildCard()]
	var out []int
	for i, b := range r.Bots {
		if b == nil {
			continue
		}
		if w, ok := where[b.GuildCard()]; ok && w == mine && mine[1] != 0 {
			out = append(out, i)
		}
	}
	return out
}

// LobbyNoise are commands a lobby sends at any time that replays do not
// check: pings, arrows, records, roster changes, the lobby list.
func LobbyNoise() map[uint16]bool {
	return map[uint16]bool{0x1D: true, 0x88: true, 0xC5: true, 0x68: true, 0x69: true, 0x83: true}
}

// LobbyRules are psobox's answers to lobby commands, as replays check
// them. Relayed commands have no rule: their receivers come from the log
// (relayed).
func LobbyRules() map[uint16]Rule {
	toSender := func(cmd uint16) Rule {
		return func(_ *Replay, from int, _ wire.Command) []Expectation { return []Expectation{{Bot: from, Cmd: cmd}} }
	}
	return map[uint16]Rule{
		0x06: chatRule,
		0x84: changeLobbyRule, 0x8A: toSender(0x8A), 0x1F: toSender(0x01), 0xD8: toSender(0xD8),
		0xA0: mainMenuRule, 0x8E: mainMenuRule, 0xA1: toSender(0xA1), 0x8F: toSender(0x8F),
		0x81: mailRule, 0x40: searchRule,
	}
}

// mainMenuRule: the ship counter leads to the main menu (07), which DC NTE
// and 11/2000 show only after a fresh 04.
func mainMenuRule(r *Replay, from int, _ wire.Command) []Expectation {
	if v := r.Bots[from].Version(); v == wire.DCNTE || v == wire.DC112000 {
		return []Expectation{{Bot: from, Cmd: 0x04}, {Bot: from, Cmd: 0x07}}
	}
	return []Expectation{{Bot: from, Cmd: 0x07}}
}

// chatRule: a chat command is answered to the speaker (B0; 01 on DC NTE
// and 11/2000); other lines go to everyone in the lobby.
func chatRule(r *Replay, from int, cmd wire.Command) []Expectation {
	b := r.Bots[from]
	v := b.Version()
	var m wire.TextMessage
	if wire.DecodeInto(v, cmd.Header, cmd.Payload, &m) != nil {
		return nil
	}
	said := text.Decode(wire.ChatEncoding(v), m.Text, text.English)
	if strings.HasPrefix(said, "$") && !strings.HasPrefix(said, "$$") {
		answer := uint16(0xB0)
		if v == wire.DCNTE || v == wire.DC112000 {
			answer = 0x01
		}
		return []Expectation{{Bot: from, Cmd: answer}}
	}
	var out []Expectation
	for _, m := range r.Members(from) {
		out = append(out, Expectation{Bot: m, Cmd: 0x06})
	}
	return out
}

// relayed is where a relayed command (60, 62, 6C, 6D) must arrive: at
// the players the recorded server delivered it to, and nowhere else (the
// replay fails on any other delivery). The bytes are checked where the
// recorded server did not rewrite them for the receiver.
func relayed(c Command, cmd wire.Command) []Expectation {
	var out []Expectation
	for _, d := range c.Deliveries {
		e := Expectation{Bot: d.Player, Cmd: cmd.Header.Command}
		if d.Verbatim {
			e.Payload = cmd.Payload
		}
		out = append(out, e)
	}
	return out
}

// changeLobbyRule: the mover gets the new lobby (67), or a message when it
// is full or does not exist; moving to the same lobby does nothing.
func changeLobbyRule(r *Replay, from int, cmd wire.Command) []Expectation {
	var m wire.MenuItemRef
	if wire.DecodeInto(r.Bots[from].Version(), cmd.Header, cmd.Payload, &m) != nil {
		return nil
	}
	block, now := 0, 0
	for _, p := range r.Srv.Players() {
		if p.GuildCard == r.Bots[from].GuildCard() {
			block, now = p.Block, p.Lobby
		}
	}
	v := r.Bots[from].Version()
	switch {
	case int(m.ItemID) == now:
		return nil
	case m.ItemID > 15 && !v.IsEp3(), v.IsV1() && m.ItemID > 10:
		return []Expectation{{Bot: from, Cmd: 0x01}}
	}
	for _, l := range r.Srv.Lobbies() {
		if l.Block == block && l.Number == int(m.ItemID) && len(l.Players) < 12 {
			return []Expectation{{Bot: from, Cmd: 0x67}}
		}
	}
	return []Expectation{{Bot: from, Cmd: 0x01}}
}

// inLobby returns the bot with guild card gc if it is in a lobby.
func (r *Replay) inLobby(gc uint32) (int, bool) {
	for _, p := range r.Srv.Players() {
		if p.GuildCard == gc && p.Lobby != 0 {
			for i, b := range r.Bots {
				if b != nil && b.GuildCard() == gc {
					return i, true
				}
			}
		}
	}
	return 0, false
}

// mailRule: mail reaches a recipient in a lobby; otherwise the sender is
// told (kept, or no such player). Auto-replies are not replayed.
func mailRule(r *Replay, from int, cmd wire.Command) []Expectation {
	var m wire.SimpleMail
	if wire.DecodeInto(r.Bots[from].Version(), cmd.Header, cmd.Payload, &m) != nil {
		return nil
	}
	if t, ok := r.inLobby(m.ToCard); ok {
		return []Expectation{{Bot: t, Cmd: 0x81}}
	}
	return []Expectation{{Bot: from, Cmd: 0xB0}}
}

// searchRule: a search finds a player in a lobby (41); nobody else is
// answered.
func searchRule(r *Replay, from int, cmd wire.Command) []Expectation {
	var m wire.GuildCardSearch
	if wire.DecodeInto(r.Bots[from].Version(), cmd.Header, cmd.Payload, &m) != nil {
		return nil
	}
	if _, ok := r.inLobby(m.TargetGuildCard); ok {
		return []Expectation{{Bot: from, Cmd: 0x41}}
	}
	return nil
}
