package wire

// BBLogin (93 on Blue Burst) logs in to the data or game server. The phase
// says why: 0 first connection, 1 choose character, 2 create, 3 dressing
// room, 4 login server, 5/6 lobby. Newer clients insert a hardware ID.
type BBLogin struct {
	Flag             uint32
	PlayerTag        uint32
	GuildCard        uint32
	SubVersion       uint32
	Language         uint8
	CharacterSlot    uint8
	ConnectionPhase  uint8
	ClientCode       uint8
	SecurityToken    uint32
	Username         [0x30]byte
	Password         [0x30]byte
	MenuID           uint32
	PreferredLobbyID uint32
	HasHardwareID    bool
	HardwareID       uint64
	ClientConfig     [0x28]byte
}

func (m *BBLogin) Command() uint16 { return 0x93 }
func (m *BBLogin) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	c.u32(&m.PlayerTag)
	c.u32(&m.GuildCard)
	c.u32(&m.SubVersion)
	c.u8(&m.Language)
	c.u8(&m.CharacterSlot)
	c.u8(&m.ConnectionPhase)
	c.u8(&m.ClientCode)
	c.u32(&m.SecurityToken)
	c.bytes(m.Username[:])
	c.bytes(m.Password[:])
	c.u32(&m.MenuID)
	c.u32(&m.PreferredLobbyID)
	if c.decoding() {
		m.HasHardwareID = c.remaining() == 0x30
	}
	if m.HasHardwareID {
		c.u64be(&m.HardwareID)
	}
	c.bytes(m.ClientConfig[:])
}

// UsernameString returns the account name.
func (m *BBLogin) UsernameString() string { return ascii(m.Username[:]) }

// PasswordString returns the password.
func (m *BBLogin) PasswordString() string { return ascii(m.Password[:]) }

// BBRegister (9C on Blue Burst).
type BBRegister struct {
	Flag       uint32
	SubVersion uint32
	Unused1    uint8
	Language   uint8
	Unused2    [2]byte
	Username   [0x30]byte
	Password   [0x30]byte
	GameTag    [0x30]byte
}

func (m *BBRegister) Command() uint16 { return 0x9C }
func (m *BBRegister) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	c.u32(&m.SubVersion)
	c.u8(&m.Unused1)
	c.u8(&m.Language)
	c.bytes(m.Unused2[:])
	c.bytes(m.Username[:])
	c.bytes(m.Password[:])
	c.bytes(m.GameTag[:])
}

// BBLoginWithConfig (9E on Blue Burst).
type BBLoginWithConfig struct {
	Flag          uint32
	PlayerTag     uint32
	GuildCard     uint32
	SubVersion    uint32
	Language32    uint32
	UnknownA2     uint32
	V1Serial      [0x10]byte
	V1AccessKey   [0x10]byte
	Serial        [0x10]byte
	AccessKey     [0x10]byte
	Username      [0x30]byte
	Password      [0x30]byte
	GuildCardText [0x10]byte
	ClientConfig  [0x28]byte
	MeetUser      MeetUser
}

func (m *BBLoginWithConfig) Command() uint16 { return 0x9E }
func (m *BBLoginWithConfig) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	for _, p := range []*uint32{&m.PlayerTag, &m.GuildCard, &m.SubVersion, &m.Language32, &m.UnknownA2} {
		c.u32(p)
	}
	for _, b := range [][]byte{m.V1Serial[:], m.V1AccessKey[:], m.Serial[:], m.AccessKey[:],
		m.Username[:], m.Password[:], m.GuildCardText[:], m.ClientConfig[:]} {
		c.bytes(b)
	}
	m.MeetUser.walk(c)
}

// BBVerifyAccount (DB on Blue Burst).
type BBVerifyAccount struct {
	Flag        uint32
	V1Serial    [0x10]byte
	V1AccessKey [0x10]byte
	Serial      [0x10]byte
	AccessKey   [0x10]byte
	SubVersion  uint32
	Username    [0x30]byte
	Password    [0x30]byte
	GameTag     [0x30]byte
}

func (m *BBVerifyAccount) Command() uint16 { return 0xDB }
func (m *BBVerifyAccount) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	for _, b := range [][]byte{m.V1Serial[:], m.V1AccessKey[:], m.Serial[:], m.AccessKey[:]} {
		c.bytes(b)
	}
	c.u32(&m.SubVersion)
	for _, b := range [][]byte{m.Username[:], m.Password[:], m.GameTag[:]} {
		c.bytes(b)
	}
}

// BBClientInit (00E6) answers 93: an error code (0 = OK), the guild card
// number, the security token and client config the client returns in its
// next 93.
type BBClientInit struct {
	Flag          uint32
	ErrorCode     uint32
	PlayerTag     uint32
	GuildCard     uint32
	SecurityToken uint32
	ClientConfig  [0x28]byte
	CanCreateTeam uint8
	Ep4Unlocked   uint8
	Unused        [2]byte
}

func (m *BBClientInit) Command() uint16 { return 0x00E6 }
func (m *BBClientInit) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	for _, p := range []*uint32{&m.ErrorCode, &m.PlayerTag, &m.GuildCard, &m.SecurityToken} {
		c.u32(p)
	}
	c.bytes(m.ClientConfig[:])
	c.u8(&m.CanCreateTeam)
	c.u8(&m.Ep4Unlocked)
	c.bytes(m.Unused[:])
}

// BBCharacterSlot is 00E3 (preview request) and 00E4 (approval or "no
// player"): a slot index and a second word (result code from the server).
type BBCharacterSlot struct {
	Cmd    uint16
	Flag   uint32
	Index  int32
	Result uint32
}

func (m *BBCharacterSlot) Command() uint16 { return m.Cmd }
func (m *BBCharacterSlot) walk(c *cursor) {
	c.command(&m.Cmd)
	c.flagRaw(&m.Flag)
	idx := uint32(m.Index)
	c.u32(&idx)
	m.Index = int32(idx)
	c.u32(&m.Result)
}

// BBCharacterPreview (00E5) is a character preview from the server or a new
// character / dressing room result from the client.
type BBCharacterPreview struct {
	Flag    uint32
	Index   int32
	Preview [0x7C]byte // experience, level, visual config, play time
}

func (m *BBCharacterPreview) Command() uint16 { return 0x00E5 }
func (m *BBCharacterPreview) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	idx := uint32(m.Index)
	c.u32(&idx)
	m.Index = int32(idx)
	c.bytes(m.Preview[:])
}

// StreamFileEntry is one file of the BB stream file index.
type StreamFileEntry struct {
	Size     uint32
	Checksum uint32 // CRC32
	Offset   uint32
	Filename [0x40]byte
}

// StreamFileIndex (01EB) lists the files of the BB stream file; the flag
// counts them.
type StreamFileIndex struct {
	Entries []StreamFileEntry
}

func (m *StreamFileIndex) Command() uint16 { return 0x01EB }
func (m *StreamFileIndex) walk(c *cursor) {
	n := c.count(len(m.Entries), 0x4C, 0x100)
	m.Entries = resize(m.Entries, n)
	c.flagIs(uint32(n))
	for i := range m.Entries {
		e := &m.Entries[i]
		c.u32(&e.Size)
		c.u32(&e.Checksum)
		c.u32(&e.Offset)
		c.bytes(e.Filename[:])
	}
}

func registerBB(r registry) {
	r.add(ClientToServer, 0x93, vsBB, func() Msg { return &BBLogin{} })
	r.add(ClientToServer, 0x9C, vsBB, func() Msg { return &BBRegister{} })
	r.add(ClientToServer, 0x9E, vsBB, func() Msg { return &BBLoginWithConfig{} })
	r.add(ClientToServer, 0xDB, vsBB, func() Msg { return &BBVerifyAccount{} })
	r.add(ServerToClient, 0x00E6, vsBB, func() Msg { return &BBClientInit{} })
	r.add(ClientToServer, 0x00E3, vsBB, func() Msg { return &BBCharacterSlot{} })
	r.add(ServerToClient, 0x00E4, vsBB, func() Msg { return &BBCharacterSlot{} })
	r.both(0x00E5, vsBB, func() Msg { return &BBCharacterPreview{} })
	r.add(ServerToClient, 0x01EB, vsBB, func() Msg { return &StreamFileIndex{} })
	for _, cmd := range []uint16{0x00E0, 0x03E8, 0x03EB, 0x04EB, 0x016F} {
		r.add(ClientToServer, cmd, vsBB, newEmpty)
	}
	r.add(ServerToClient, 0x0101, vsBB, func() Msg { return &TextMessage{} })
}
