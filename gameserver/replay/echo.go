package replay

import (
	"bytes"
	"encoding/binary"

	"github.com/psobox/psobox/gameserver/capture"
	"github.com/psobox/psobox/gameserver/client"
	"github.com/psobox/psobox/gameserver/sessionlog"
	"github.com/psobox/psobox/gameserver/wire"
)

// menuRef is a (menu ID, item ID) pair as a client sends it back.
type menuRef struct{ menu, item uint32 }

// echoes are the rewrites a run has learned: what the recorded server chose
// and what the live one chose instead (doc.go). They span the run's
// connections, as a console carries them from one connection to the next.
type echoes struct {
	menus map[menuRef]menuRef
	bytes []substitution // guild card numbers, client configs
	creds capture.Faker  // credentials of this run
	keep  bool           // send the recorded credentials
}

type substitution struct{ from, to []byte }

func newEchoes(keepCredentials bool) *echoes {
	return &echoes{menus: map[menuRef]menuRef{}, creds: capture.NewFaker(nil), keep: keepCredentials}
}

// menuCommands are server commands that list menu or lobby entries.
var menuCommands = map[uint16]bool{0x07: true, 0x08: true, 0x1F: true, 0xA0: true, 0xA1: true, 0x8E: true, 0x8F: true, 0xE6: true}

// learn compares a recorded server command with the live one that matched it.
func (e *echoes) learn(rec sessionlog.Event, recHdr wire.Header, recPayload []byte, live client.Received, v wire.Version) {
	switch cmd := recHdr.Command; {
	case cmd == 0x04:
		e.learnConfig(rec.Version, recHdr, recPayload, v, live)
	case cmd == 0x83:
		var r, l wire.LobbyList
		if decodeBoth(rec.Version, recHdr, recPayload, &r, v, live, &l) {
			for i := range min(len(r.Entries), len(l.Entries)) {
				e.menus[menuRef{r.Entries[i].MenuID, r.Entries[i].ItemID}] = menuRef{l.Entries[i].MenuID, l.Entries[i].ItemID}
			}
		}
	case menuCommands[cmd]:
		var r, l wire.Menu
		if decodeBoth(rec.Version, recHdr, recPayload, &r, v, live, &l) {
			for i := range min(len(r.Items), len(l.Items)) {
				e.menus[menuRef{r.Items[i].MenuID, r.Items[i].ItemID}] = menuRef{l.Items[i].MenuID, l.Items[i].ItemID}
			}
		}
	}
}

func decodeBoth(rv wire.Version, rh wire.Header, rp []byte, r wire.Msg, lv wire.Version, live client.Received, l wire.Msg) bool {
	return wire.DecodeInto(rv, rh, rp, r) == nil && wire.DecodeInto(lv, live.Header, live.Payload, l) == nil
}

// learnConfig: the guild card number and client config of 04.
func (e *echoes) learnConfig(rv wire.Version, rh wire.Header, rp []byte, lv wire.Version, live client.Received) {
	var r, l wire.UpdateClientConfig
	if !decodeBoth(rv, rh, rp, &r, lv, live, &l) || r.NoBody || l.NoBody {
		return
	}
	if r.GuildCard != l.GuildCard && r.GuildCard != 0 && r.GuildCard != 0xFFFFFFFF {
		e.add(binary.LittleEndian.AppendUint32(nil, r.GuildCard), binary.LittleEndian.AppendUint32(nil, l.GuildCard))
	}
	if !bytes.Equal(r.Config[:], l.Config[:]) && !isZero(r.Config[:]) {
		e.add(bytes.Clone(r.Config[:0x20]), bytes.Clone(l.Config[:0x20]))
	}
}

func (e *echoes) add(from, to []byte) {
	for i, s := range e.bytes {
		if bytes.Equal(s.from, from) {
			e.bytes[i].to = to
			return
		}
	}
	e.bytes = append(e.bytes, substitution{from, to})
}

// rewrite returns the payload of a recorded client command as this run
// sends it: its own credentials, the live server's menu items, guild card
// number and client config.
func (e *echoes) rewrite(rec sessionlog.Event, h wire.Header, payload []byte) []byte {
	data := bytes.Clone(rec.Data)
	if !e.keep {
		data, _, _ = capture.RewriteCredentials(rec.Version, data, func(f capture.Field) {
			copy(f.Bytes, e.creds.Fake(f.Value(), f.Text))
		})
	}
	hl := rec.Version.HeaderFormat().Len()
	out := data[hl : hl+len(payload)]
	switch h.Command {
	case 0x09, 0x10, 0x84:
		e.rewriteMenuRef(out)
	}
	for _, s := range e.bytes {
		out = bytes.ReplaceAll(out, s.from, s.to)
	}
	return out
}

// rewriteMenuRef patches the menu and item ID at the start of 09, 10, 84.
func (e *echoes) rewriteMenuRef(p []byte) {
	if len(p) < 8 {
		return
	}
	rec := menuRef{binary.LittleEndian.Uint32(p), binary.LittleEndian.Uint32(p[4:])}
	if live, ok := e.menus[rec]; ok {
		binary.LittleEndian.PutUint32(p, live.menu)
		binary.LittleEndian.PutUint32(p[4:], live.item)
	}
}

func isZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
