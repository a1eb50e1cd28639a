package wire

import "github.com/psobox/psobox/gameserver/wire/text"

// RankUpdate (B7 from the server) sets an Ep3 player's rank and meseta.
type RankUpdate struct {
	Flag                 uint32
	Rank                 uint32
	RankText             [0x0C]byte // lightly obfuscated by the client's own scheme; kept raw
	CurrentMeseta        uint32
	TotalMesetaEarned    uint32
	UnlockedJukeboxSongs uint32
}

func (m *RankUpdate) Command() uint16 { return 0xB7 }
func (m *RankUpdate) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	c.u32(&m.Rank)
	c.bytes(m.RankText[:])
	c.u32(&m.CurrentMeseta)
	c.u32(&m.TotalMesetaEarned)
	c.u32(&m.UnlockedJukeboxSongs)
}

// CardDefinitions (B8 from the server) is the PRS-compressed Ep3 card list.
type CardDefinitions struct {
	Flag uint32
	Size uint32
	Data []byte
}

func (m *CardDefinitions) Command() uint16 { return 0xB8 }
func (m *CardDefinitions) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	c.u32(&m.Size)
	c.rest(&m.Data)
	if c.decoding() && int(m.Size) > len(m.Data) {
		c.fail(ErrBadField, "card data size 0x%X exceeds the 0x%X bytes sent", m.Size, len(m.Data))
	}
}

// MesetaTransaction (BA) is an Ep3 meseta request (client: transaction,
// value, token) or answer (server: current meseta, total earned, token). The
// flag is the purpose: 1 init, 2 spend, 3 done, 4 insufficient.
type MesetaTransaction struct {
	Flag         uint32
	A            uint32 // client: transaction number; server: current meseta
	B            uint32 // client: value; server: total meseta earned
	RequestToken uint32
}

func (m *MesetaTransaction) Command() uint16 { return 0xBA }
func (m *MesetaTransaction) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	c.u32(&m.A)
	c.u32(&m.B)
	c.u32(&m.RequestToken)
}

// TournamentEntry (CC) sets what an Ep3 player sees of the tournament they
// entered; flag 1 means registered.
type TournamentEntry struct {
	Flag           uint32
	Name           [0x40]byte
	NumTeams       uint16
	PlayersPerTeam uint16
	Unused1        uint16
	Unused2        uint16
	ServerName     [0x20]byte
	StartTime      [0x20]byte
	Bracket        [0x20][0x24]byte
}

func (m *TournamentEntry) Command() uint16 { return 0xCC }
func (m *TournamentEntry) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	c.bytes(m.Name[:])
	c.u16(&m.NumTeams)
	c.u16(&m.PlayersPerTeam)
	c.u16(&m.Unused1)
	c.u16(&m.Unused2)
	c.bytes(m.ServerName[:])
	c.bytes(m.StartTime[:])
	for i := range m.Bracket {
		c.bytes(m.Bracket[i][:])
	}
}

// NameString decodes the tournament name.
func (m *TournamentEntry) NameString(lang text.Language) string {
	return text.Decode(text.Marked, m.Name[:], lang)
}

// Card trade steps, carried in the flag of EE.
const (
	CardTradeBegin    = 0xD0 // client: offer (CardTradeBody)
	CardTradeAdvance  = 0xD1 // server: one u32
	CardTradeProceed  = 0xD2 // client: no body
	CardTradeExecute  = 0xD3 // server: the other side's offer
	CardTradeComplete = 0xD4 // client: cancel (no body); server: success u32
)

// CardTrade (EE on Ep3) steps the card trade window.
type CardTrade struct {
	Flag           uint32
	TargetClientID uint16
	EntryCount     uint16
	Entries        [4][2]uint32 // card type, count
	HasValue       bool
	Value          uint32
}

func (m *CardTrade) Command() uint16 { return 0xEE }
func (m *CardTrade) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	if m.Flag == CardTradeBegin || m.Flag == CardTradeExecute {
		c.u16(&m.TargetClientID)
		c.u16(&m.EntryCount)
		for i := range m.Entries {
			c.u32(&m.Entries[i][0])
			c.u32(&m.Entries[i][1])
		}
		return
	}
	if c.decoding() {
		m.HasValue = c.remaining() == 4
	}
	if m.HasValue {
		c.u32(&m.Value)
	}
}

func registerEp3(r registry) {
	for _, cmd := range []uint16{0xB7, 0xB8, 0xB9, 0xE2, 0xEF} {
		r.add(ClientToServer, cmd, vsEp3, newEmpty)
	}
	r.both(0xDC, vsEp3, newEmpty)
	r.add(ServerToClient, 0xB7, vsEp3, func() Msg { return &RankUpdate{} })
	r.add(ServerToClient, 0xB8, vsEp3, func() Msg { return &CardDefinitions{} })
	r.both(0xBA, vsEp3, func() Msg { return &MesetaTransaction{} })
	r.add(ServerToClient, 0xCC, vsEp3, func() Msg { return &TournamentEntry{} })
	r.both(0xEE, vsEp3, func() Msg { return &CardTrade{} })
}
