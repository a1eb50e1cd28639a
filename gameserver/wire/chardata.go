package wire

import "github.com/psobox/psobox/gameserver/wire/text"

// charLayout is what a version's 61/98 holds after inventory and disp.
type charLayout struct {
	records   int  // size of the records entry (0: none)
	blocked   bool // blocked senders and the auto-reply switch
	infoBoard int  // info board bytes (0: none)
	autoReply int  // >0: fixed-size auto-reply; -1: variable tail; 0: none
	ep3Config int  // Episode 3 configuration block
}

func charLayoutFor(v Version) charLayout {
	switch {
	case v.IsV1():
		return charLayout{}
	case v == DCV2:
		return charLayout{records: 0xBC}
	case v.IsPC():
		return charLayout{records: 0xF4, blocked: true, autoReply: -1}
	case v == GCNTE:
		return charLayout{records: 0xBC, blocked: true, autoReply: -1}
	case v.IsEp3():
		return charLayout{records: 0x11C, blocked: true, infoBoard: 0xAC, autoReply: 0xAC, ep3Config: 0x2350}
	case v == BBV4:
		return charLayout{records: 0x15C, blocked: true, infoBoard: 0x158, autoReply: -1}
	}
	return charLayout{records: 0x11C, blocked: true, infoBoard: 0xAC, autoReply: -1}
}

// CharacterData is the player data of 61 (answer to 95) and 98 (leave
// game). The flag is the format: 1 DC v1, 2 DC v2/PC, 3 GC/Xbox/BB, 4 Ep3.
type CharacterData struct {
	Cmd              uint16
	Flag             uint32
	Inventory        Inventory
	Disp             DispV123 // all but BB
	DispBB           DispV4   // BB only
	Records          [0x15C]byte
	ChoiceSearch     [0x18]byte
	InfoBoard        [0x158]byte
	BlockedSenders   [30]uint32
	AutoReplyEnabled uint32
	AutoReply        []byte // variable on PC/GC/Xbox/BB (NUL-padded to 4), 0xAC bytes on Ep3
	Ep3Config        []byte // Episode 3 only
}

func (m *CharacterData) Command() uint16 { return m.Cmd }
func (m *CharacterData) walk(c *cursor) {
	c.command(&m.Cmd)
	c.flagRaw(&m.Flag)
	c.bytes(m.Inventory[:])
	if c.v == BBV4 {
		c.bytes(m.DispBB[:])
	} else {
		c.bytes(m.Disp[:])
	}
	l := charLayoutFor(c.v)
	if l.records == 0 {
		return
	}
	c.field(m.Records[:], l.records)
	c.bytes(m.ChoiceSearch[:])
	c.field(m.InfoBoard[:], l.infoBoard)
	if !l.blocked {
		return
	}
	for i := range m.BlockedSenders {
		c.u32(&m.BlockedSenders[i])
	}
	c.u32(&m.AutoReplyEnabled)
	m.walkTail(c, l)
}

func (m *CharacterData) walkTail(c *cursor, l charLayout) {
	if l.autoReply < 0 {
		c.restMax(&m.AutoReply, 0x400)
		return
	}
	fixedBytes(c, &m.AutoReply, l.autoReply)
	fixedBytes(c, &m.Ep3Config, l.ep3Config)
}

// fixedBytes walks a fixed-size block held in a slice (to keep big, rarely
// present blocks out of the struct).
func fixedBytes(c *cursor, p *[]byte, n int) {
	if c.enc {
		c.buf = append(c.buf, (*p)[:min(n, len(*p))]...)
		c.buf = append(c.buf, make([]byte, n-min(n, len(*p)))...)
		return
	}
	if b := c.take(n); b != nil {
		*p = append((*p)[:0], b...)
	}
}

// Player returns the canonical player of this data, sent by a client of
// version v whose account has the given guild card number.
func (m *CharacterData) Player(v Version, guildCard uint32) Player {
	p := Player{GuildCard: guildCard, Inventory: m.Inventory, Language: m.Inventory.Language()}
	if v == BBV4 {
		p.Disp = m.DispBB.ToV123(p.Language)
		p.Name = m.DispBB.Name()
	} else {
		p.Disp = m.Disp
		p.Name = m.Disp.Name(p.Language)
	}
	p.SectionID, p.Class, p.Level = p.Disp.SectionID(), p.Disp.Class(), p.Disp.Level()
	l := charLayoutFor(v)
	if l.infoBoard > 0 {
		p.InfoBoard = text.Decode(FieldEncoding(v), m.InfoBoard[:l.infoBoard], p.Language)
	}
	if m.AutoReplyEnabled != 0 {
		p.AutoReply = text.Decode(ChatEncoding(v), m.AutoReply, p.Language)
	}
	p.Blocked = m.BlockedSenders
	return p
}

// CharacterData exports the player as v's 61 (or 98) command, as psobot
// sends it.
func (p *Player) CharacterData(v Version, cmd uint16) *CharacterData {
	m := &CharacterData{Cmd: cmd, Flag: charDataFormat(v), Inventory: p.Inventory, Disp: p.Disp, BlockedSenders: p.Blocked}
	if v == BBV4 {
		m.DispBB = p.Disp.ToV4(p.Language)
	}
	l := charLayoutFor(v)
	if l.infoBoard > 0 {
		text.Put(m.InfoBoard[:l.infoBoard], FieldEncoding(v), p.InfoBoard, p.Language)
	}
	if p.AutoReply != "" {
		m.AutoReplyEnabled = 1
	}
	switch {
	case l.autoReply > 0:
		m.AutoReply = make([]byte, l.autoReply)
		text.Put(m.AutoReply, ChatEncoding(v), p.AutoReply, p.Language)
		m.Ep3Config = make([]byte, l.ep3Config)
	case l.autoReply < 0:
		m.AutoReply = appendTerminated(nil, v, p.AutoReply, p.Language)
		m.AutoReply = padZero(m.AutoReply, roundUp(len(m.AutoReply), 4))
	}
	return m
}

func charDataFormat(v Version) uint32 {
	switch {
	case v.IsV1():
		return 1
	case v.IsEp3():
		return 4
	case v.IsV3() || v == BBV4:
		return 3
	}
	return 2
}

// PlayerRecords (C5) lists the challenge and battle records of the players
// in a lobby; the entry layout is the version's (kept raw after the client
// ID).
type PlayerRecords struct {
	Entries []RecordsEntry
}

// RecordsEntry is one player's records.
type RecordsEntry struct {
	ClientID uint32
	Data     [0x158]byte
}

func (m *PlayerRecords) Command() uint16 { return 0xC5 }
func (m *PlayerRecords) walk(c *cursor) {
	size := charLayoutFor(c.v).records
	n := c.count(len(m.Entries), size, 12)
	m.Entries = resize(m.Entries, n)
	c.flagIs(uint32(n))
	for i := range m.Entries {
		c.u32(&m.Entries[i].ClientID)
		c.field(m.Entries[i].Data[:], size-4)
	}
}

func registerPlayer(r registry) {
	newChar := func() Msg { return &CharacterData{} }
	r.add(ClientToServer, 0x61, vsGame, newChar)
	r.add(ClientToServer, 0x98, vsGame, newChar)
	r.add(ServerToClient, 0xC5, vsV2Plus, func() Msg { return &PlayerRecords{} })
}
