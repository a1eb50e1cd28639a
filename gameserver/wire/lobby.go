package wire

// LobbyEntry is one player of a lobby or game roster.
type LobbyEntry struct {
	Lobby     LobbyData
	Inventory Inventory
	Disp      DispV123 // all but BB
	DispBB    DispV4   // BB only
}

func lobbyEntrySize(v Version) int {
	if v == BBV4 {
		return lobbyDataSize(v) + len(Inventory{}) + len(DispV4{})
	}
	return lobbyDataSize(v) + len(Inventory{}) + len(DispV123{})
}

func (e *LobbyEntry) walk(c *cursor) {
	e.Lobby.walk(c)
	c.bytes(e.Inventory[:])
	if c.v == BBV4 {
		c.bytes(e.DispBB[:])
	} else {
		c.bytes(e.Disp[:])
	}
}

// usesShortLobbyFlags: DC NTE and 11/2000 have a 4-byte lobby header.
func usesShortLobbyFlags(v Version) bool { return v == DCNTE || v == DC112000 }

// JoinLobby is 67 (join a lobby: everyone in it), 68 (a player joined the
// lobby), 65 (a player joined the game) and Ep3's EB. The flag counts the
// entries.
type JoinLobby struct {
	Cmd            uint16
	ClientID       uint8
	LeaderID       uint8
	DisableUDP     uint8
	LobbyNumber    uint8 // DC NTE/11-2000: unused byte
	BlockNumber    uint8
	EnableBattleV1 uint8
	Event          uint8
	XBVoiceChat    uint8
	RandomSeed     uint32
	XBVoiceConfig  [0x18]byte // Xbox only
	Entries        []LobbyEntry
}

func (m *JoinLobby) Command() uint16 { return m.Cmd }
func (m *JoinLobby) walk(c *cursor) {
	c.command(&m.Cmd)
	c.u8(&m.ClientID)
	c.u8(&m.LeaderID)
	c.u8(&m.DisableUDP)
	c.u8(&m.LobbyNumber)
	if !usesShortLobbyFlags(c.v) {
		c.u8(&m.BlockNumber)
		c.u8(&m.EnableBattleV1)
		c.u8(&m.Event)
		c.u8(&m.XBVoiceChat)
		c.u32(&m.RandomSeed)
	}
	if c.v == XBV3 {
		c.bytes(m.XBVoiceConfig[:])
	}
	n := c.count(len(m.Entries), lobbyEntrySize(c.v), 12)
	m.Entries = resize(m.Entries, n)
	c.flagIs(uint32(n))
	for i := range m.Entries {
		m.Entries[i].walk(c)
	}
}

// JoinGame (64) sends a player into a game: the four player slots (blank
// where empty), the game's settings and, on Ep3, each player's inventory and
// disp. The flag is the number of players.
type JoinGame struct {
	Flag          uint32
	Variations    [0x80]byte
	Players       [4]LobbyData
	ClientID      uint8
	LeaderID      uint8
	DisableUDP    uint8
	Difficulty    uint8
	BattleMode    uint8
	Event         uint8
	SectionID     uint8
	ChallengeMode uint8
	RandomSeed    uint32
	Episode       uint8
	Tail          [3]byte    // GC: unused; Xbox: voice chat + unused; BB: unused, solo mode, in quest
	XBVoiceConfig [0x18]byte // Xbox only
	HasEp3Players bool
	Ep3Players    [4]Ep3GamePlayer
	NTEUnused     uint8 // DC NTE and 11/2000 only
}

// Ep3GamePlayer is the extra player data of an Episode 3 64.
type Ep3GamePlayer struct {
	Inventory Inventory
	Disp      DispV123
}

func (m *JoinGame) Command() uint16 { return 0x64 }
func (m *JoinGame) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	if usesShortLobbyFlags(c.v) {
		m.walkNTE(c)
		return
	}
	c.bytes(m.Variations[:])
	for i := range m.Players {
		m.Players[i].walk(c)
	}
	for _, p := range []*uint8{&m.ClientID, &m.LeaderID, &m.DisableUDP, &m.Difficulty, &m.BattleMode, &m.Event, &m.SectionID, &m.ChallengeMode} {
		c.u8(p)
	}
	c.u32(&m.RandomSeed)
	if !c.v.IsV3() && c.v != GCNTE && c.v != BBV4 {
		return
	}
	c.u8(&m.Episode)
	c.bytes(m.Tail[:])
	if c.v == XBV3 {
		c.bytes(m.XBVoiceConfig[:])
	}
	m.walkEp3(c)
}

func (m *JoinGame) walkNTE(c *cursor) {
	c.u8(&m.ClientID)
	c.u8(&m.LeaderID)
	c.u8(&m.DisableUDP)
	c.u8(&m.NTEUnused)
	c.bytes(m.Variations[:])
	for i := range m.Players {
		m.Players[i].walk(c)
	}
}

func (m *JoinGame) walkEp3(c *cursor) {
	if !c.v.IsEp3() {
		return
	}
	if c.decoding() {
		m.HasEp3Players = c.remaining() > 0
	}
	if m.HasEp3Players {
		for i := range m.Ep3Players {
			c.bytes(m.Ep3Players[i].Inventory[:])
			c.bytes(m.Ep3Players[i].Disp[:])
		}
	}
}

// LeaveLobby is 66 (a player left the game), 69 (left the lobby) and Ep3's
// E9. The flag is the leaving client ID.
type LeaveLobby struct {
	Cmd        uint16
	Flag       uint32
	ClientID   uint8
	LeaderID   uint8
	DisableUDP uint8
	Unused     uint8
}

func (m *LeaveLobby) Command() uint16 { return m.Cmd }
func (m *LeaveLobby) walk(c *cursor) {
	c.command(&m.Cmd)
	c.flagRaw(&m.Flag)
	c.u8(&m.ClientID)
	c.u8(&m.LeaderID)
	c.u8(&m.DisableUDP)
	c.u8(&m.Unused)
}

func registerLobby(r registry) {
	newJoin := func() Msg { return &JoinLobby{} }
	for _, cmd := range []uint16{0x65, 0x67, 0x68} {
		r.add(ServerToClient, cmd, vsGame, newJoin)
	}
	r.add(ServerToClient, 0xEB, vsEp3, newJoin)
	r.add(ServerToClient, 0x64, vsGame, func() Msg { return &JoinGame{} })
	for _, cmd := range []uint16{0x66, 0x69} {
		r.add(ServerToClient, cmd, vsGame, func() Msg { return &LeaveLobby{} })
	}
	r.add(ServerToClient, 0xE9, vsEp3, func() Msg { return &LeaveLobby{} })
}
