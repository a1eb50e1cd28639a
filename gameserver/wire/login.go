package wire

import "github.com/psobox/psobox/gameserver/wire/text"

// Credential fields are ASCII.
func ascii(b []byte) string { return text.Decode(text.ASCII, b, text.English) }

// MeetUser is the "meet user" extension of login commands and 41: the lobby
// the player wants to join and the name of the player met.
type MeetUser struct {
	LobbyRefs  [8][2]uint32 // menu ID, item ID
	UnknownA2  uint32
	PlayerName [0x40]byte // 0x20 bytes marked, 0x40 UTF-16 on PC/BB
}

func meetUserSize(v Version) int {
	if v.UsesUTF16() {
		return 0x84
	}
	return 0x64
}

func (m *MeetUser) walk(c *cursor) {
	for i := range m.LobbyRefs {
		c.u32(&m.LobbyRefs[i][0])
		c.u32(&m.LobbyRefs[i][1])
	}
	c.u32(&m.UnknownA2)
	c.field(m.PlayerName[:], textWidth(c.v, 0x20))
}

// textWidth is the byte width of a text field of n characters.
func textWidth(v Version, n int) int {
	if v.UsesUTF16() {
		return 2 * n
	}
	return n
}

// optMeetUser walks an optional trailing extension, present when exactly
// its size remains.
func optMeetUser(c *cursor, has *bool, m *MeetUser) {
	if c.decoding() {
		*has = c.remaining() == meetUserSize(c.v)
	}
	if *has {
		m.walk(c)
	}
}

// LicenseCheck (9A) is the licence check of DC v2, PC and GC.
type LicenseCheck struct {
	Flag        uint32
	V1Serial    [0x10]byte
	V1AccessKey [0x10]byte
	Serial      [0x10]byte
	AccessKey   [0x10]byte
	PlayerTag   uint32
	GuildCard   uint32
	SubVersion  uint32
	Serial2     [0x30]byte // the hardware ID on DC v2
	AccessKey2  [0x30]byte
	Email       [0x30]byte
}

func (m *LicenseCheck) Command() uint16 { return 0x9A }
func (m *LicenseCheck) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	c.bytes(m.V1Serial[:])
	c.bytes(m.V1AccessKey[:])
	c.bytes(m.Serial[:])
	c.bytes(m.AccessKey[:])
	c.u32(&m.PlayerTag)
	c.u32(&m.GuildCard)
	c.u32(&m.SubVersion)
	c.bytes(m.Serial2[:])
	c.bytes(m.AccessKey2[:])
	c.bytes(m.Email[:])
}

// SerialNumber returns the serial number.
func (m *LicenseCheck) SerialNumber() string { return ascii(m.Serial[:]) }

// AccessKeyString returns the access key.
func (m *LicenseCheck) AccessKeyString() string { return ascii(m.AccessKey[:]) }

// Register (9C) registers a console licence (on Xbox: gamertag, user ID
// and "xbox-pso").
type Register struct {
	Flag       uint32
	HardwareID uint64
	SubVersion uint32
	Unused1    uint8
	Language   uint8
	Unused2    [2]byte
	Serial     [0x30]byte
	AccessKey  [0x30]byte
	Password   [0x30]byte
}

func (m *Register) Command() uint16 { return 0x9C }
func (m *Register) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	c.u64be(&m.HardwareID)
	c.u32(&m.SubVersion)
	c.u8(&m.Unused1)
	c.u8(&m.Language)
	c.bytes(m.Unused2[:])
	c.bytes(m.Serial[:])
	c.bytes(m.AccessKey[:])
	c.bytes(m.Password[:])
}

// LoginBase is the part 9D and 9E share.
type LoginBase struct {
	PlayerTag   uint32
	GuildCard   uint32 // 0xFFFFFFFF before the client received an 04
	HardwareID  uint64
	SubVersion  uint32
	IsExtended  uint8
	Language    uint8
	Unused3     [2]byte
	V1Serial    [0x10]byte
	V1AccessKey [0x10]byte
	Serial      [0x10]byte // Xbox: gamertag
	AccessKey   [0x10]byte // Xbox: user ID
	Serial2     [0x30]byte
	AccessKey2  [0x30]byte
	CharName    [0x10]byte
}

func (m *LoginBase) walk(c *cursor) {
	c.u32(&m.PlayerTag)
	c.u32(&m.GuildCard)
	c.u64be(&m.HardwareID)
	c.u32(&m.SubVersion)
	c.u8(&m.IsExtended)
	c.u8(&m.Language)
	c.bytes(m.Unused3[:])
	c.bytes(m.V1Serial[:])
	c.bytes(m.V1AccessKey[:])
	c.bytes(m.Serial[:])
	c.bytes(m.AccessKey[:])
	c.bytes(m.Serial2[:])
	c.bytes(m.AccessKey2[:])
	c.bytes(m.CharName[:])
}

// SerialNumber returns the serial number.
func (m *LoginBase) SerialNumber() string { return ascii(m.Serial[:]) }

// AccessKeyString returns the access key.
func (m *LoginBase) AccessKeyString() string { return ascii(m.AccessKey[:]) }

// Login (9D) is the login of DC v2, PC and GC NTE.
type Login struct {
	Flag uint32
	LoginBase
	HasMeetUser bool
	MeetUser    MeetUser
}

func (m *Login) Command() uint16 { return 0x9D }
func (m *Login) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	m.LoginBase.walk(c)
	optMeetUser(c, &m.HasMeetUser, &m.MeetUser)
}

// LoginWithConfig (9E) is the login of PC, GC and Xbox, with the client config.
// Xbox adds its network location (raw) after the config.
type LoginWithConfig struct {
	Flag uint32
	LoginBase
	ClientConfig [0x20]byte
	HasXB        bool
	XB           [0x48]byte // network location and Xbox user ID
	HasMeetUser  bool
	MeetUser     MeetUser
}

const xbLoginExtSize = 0x48

func (m *LoginWithConfig) Command() uint16 { return 0x9E }
func (m *LoginWithConfig) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	m.LoginBase.walk(c)
	c.bytes(m.ClientConfig[:])
	if c.decoding() {
		r := c.remaining()
		m.HasXB = !c.v.UsesUTF16() && (r == xbLoginExtSize || r == xbLoginExtSize+meetUserSize(c.v))
	}
	if m.HasXB {
		c.bytes(m.XB[:])
	}
	optMeetUser(c, &m.HasMeetUser, &m.MeetUser)
}

// VerifyAccount (DB) is the licence check of GC and Xbox.
type VerifyAccount struct {
	Flag        uint32
	V1Serial    [0x10]byte
	V1AccessKey [0x10]byte
	Serial      [0x10]byte
	AccessKey   [0x10]byte
	HardwareID  uint64
	SubVersion  uint32
	Serial2     [0x30]byte
	AccessKey2  [0x30]byte
	Password    [0x30]byte
}

func (m *VerifyAccount) Command() uint16 { return 0xDB }
func (m *VerifyAccount) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	c.bytes(m.V1Serial[:])
	c.bytes(m.V1AccessKey[:])
	c.bytes(m.Serial[:])
	c.bytes(m.AccessKey[:])
	c.u64be(&m.HardwareID)
	c.u32(&m.SubVersion)
	c.bytes(m.Serial2[:])
	c.bytes(m.AccessKey2[:])
	c.bytes(m.Password[:])
}

// SerialNumber returns the serial number.
func (m *VerifyAccount) SerialNumber() string { return ascii(m.Serial[:]) }

// AccessKeyString returns the access key.
func (m *VerifyAccount) AccessKeyString() string { return ascii(m.AccessKey[:]) }

// PasswordString returns the password.
func (m *VerifyAccount) PasswordString() string { return ascii(m.Password[:]) }

// On ports shared by the GC family the version is not known when the first
// login command arrives, so these are accepted from any console version.
func registerLogin(r registry) {
	r.add(ClientToServer, 0x88, vsDCHeader, func() Msg { return &DCNTEAccountCheck{} })
	r.add(ClientToServer, 0x8A, vsV1, func() Msg { return &DCNTEConnectionInfo{} })
	r.add(ClientToServer, 0x8B, vsDCHeader, func() Msg { return &DCNTELogin{} })
	r.add(ClientToServer, 0x90, vsDCHeader|vsPC, func() Msg { return &V1LicenseCheck{} })
	r.add(ClientToServer, 0x92, vsDCHeader, func() Msg { return &V1Register{} })
	r.add(ClientToServer, 0x93, vsDCHeader, func() Msg { return &V1Login{} })
	r.add(ClientToServer, 0x9A, vsConsole, func() Msg { return &LicenseCheck{} })
	r.add(ClientToServer, 0x9C, vsConsole, func() Msg { return &Register{} })
	r.add(ClientToServer, 0x9D, vsConsole, func() Msg { return &Login{} })
	r.add(ClientToServer, 0x9E, vsConsole, func() Msg { return &LoginWithConfig{} })
	r.add(ClientToServer, 0xDB, vsDCHeader, func() Msg { return &VerifyAccount{} })
}
