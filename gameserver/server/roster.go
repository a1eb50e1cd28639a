package server

import (
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// Rosters are built in each receiver's layout from the members' canonical
// players, so that every version sees every other one.

// entry is member m (in slot) as receiver version rv shows it.
func rosterEntry(m *Client, slot uint8, rv wire.Version) wire.LobbyEntry {
	p := m.Player()
	if p == nil {
		p = &wire.Player{GuildCard: m.GuildCard(), Name: "?"}
	}
	return p.LobbyEntry(rv, uint32(slot), rosterIP)
}

// localizedEntry is member m (in slot) as receiver r shows it: the names
// are re-encoded in r's language, so that a Japanese name reaches a
// European console behind a Shift-JIS marker and a European one reaches a
// Japanese console behind a Latin-1 marker, rather than as the sender's
// bytes read in the wrong character set.
func localizedEntry(m *Client, slot uint8, rv wire.Version, lang text.Language) wire.LobbyEntry {
	e := rosterEntry(m, slot, rv)
	name := nameOf(m)
	e.Lobby.SetName(rv, name, lang)
	if rv != wire.BBV4 {
		text.Put(e.Disp[dispNameOffset:dispNameOffset+0x10], text.Marked, name, lang)
	}
	return e
}

// dispNameOffset is where the name sits in the DC/PC/GC/Xbox disp block.
const dispNameOffset = 0x24

// recordsFamily groups versions whose C5 entries share a layout (0: none).
func recordsFamily(v wire.Version) int {
	switch {
	case v.IsV1():
		return 0
	case v == wire.DCV2, v == wire.GCNTE:
		return 1
	case v.IsPC():
		return 2
	case v == wire.BBV4:
		return 4
	}
	return 3
}

// recordsEntry is m's C5 entry for version rv: its records when they were
// sent in rv's layout, blank otherwise (converting records between layouts
// comes with games).
func recordsEntry(m *Client, slot uint8, rv wire.Version) wire.RecordsEntry {
	e := wire.RecordsEntry{ClientID: uint32(slot)}
	if r := m.records.Load(); r != nil && recordsFamily(r.version) == recordsFamily(rv) {
		copy(e.Data[:], r.data[4:])
	}
	return e
}

func (l *Lobby) joinFlags(cmd uint16, receiverSlot uint8) wire.JoinLobby {
	return wire.JoinLobby{
		Cmd: cmd, ClientID: receiverSlot, LeaderID: l.leader, DisableUDP: 1,
		LobbyNumber: uint8(l.ID - 1), BlockNumber: uint8(l.ID), EnableBattleV1: 1,
		Event: l.event, XBVoiceChat: 1,
	}
}

// sendRoster sends the newcomer in slot the whole lobby. Called with l.mu.
func (l *Lobby) sendRoster(c *Client, slot uint8) {
	rv := c.Version()
	join := l.joinFlags(0x67, slot)
	n := l.count()
	join.Entries = make([]wire.LobbyEntry, 0, n)
	recs := wire.PlayerRecords{Entries: make([]wire.RecordsEntry, 0, n)}
	for i, m := range l.members {
		if m == nil {
			continue
		}
		join.Entries = append(join.Entries, localizedEntry(m, uint8(i), rv, languageOf(c)))
		recs.Entries = append(recs.Entries, recordsEntry(m, uint8(i), rv))
	}
	if recordsFamily(rv) != 0 {
		c.Send(&recs)
	}
	c.Send(&join)
}

// sendArrival tells member m (in mslot) that c joined in slot. Called with
// l.mu.
func (l *Lobby) sendArrival(m *Client, mslot uint8, c *Client, slot uint8) {
	rv := m.Version()
	if recordsFamily(rv) != 0 {
		m.Send(&wire.PlayerRecords{Entries: []wire.RecordsEntry{recordsEntry(c, slot, rv)}})
	}
	join := l.joinFlags(0x68, mslot)
	join.Entries = []wire.LobbyEntry{localizedEntry(c, slot, rv, languageOf(m))}
	m.Send(&join)
}

// sendArrows sends every member but DC v1-family ones the lobby's arrow
// colours (88). Arrows are all "none" until players pick colours (89).
func (l *Lobby) sendArrows() {
	l.mu.Lock()
	defer l.mu.Unlock()
	var arrows wire.Arrows
	for _, m := range l.members {
		if m != nil {
			arrows.Entries = append(arrows.Entries, wire.ArrowEntry{PlayerTag: playerTag, GuildCard: m.GuildCard(), Color: m.arrow.Load()})
		}
	}
	for _, m := range l.members {
		if m != nil && !m.Version().IsV1() {
			m.Send(&arrows)
		}
	}
}
