package wire

// DCNTEAccountCheck (88) is DC NTE's account check.
type DCNTEAccountCheck struct {
	Flag      uint32
	Serial    [0x11]byte
	AccessKey [0x11]byte
}

func (m *DCNTEAccountCheck) Command() uint16 { return 0x88 }
func (m *DCNTEAccountCheck) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	c.bytes(m.Serial[:])
	c.bytes(m.AccessKey[:])
}

// SerialNumber returns the serial number.
func (m *DCNTEAccountCheck) SerialNumber() string { return ascii(m.Serial[:]) }

// DCNTEConnectionInfo (8A from DC NTE).
type DCNTEConnectionInfo struct {
	Flag       uint32
	HardwareID uint64
	SubVersion uint32
	Unused     uint32
	Username   [0x30]byte
	Password   [0x30]byte
	Email      [0x30]byte
}

func (m *DCNTEConnectionInfo) Command() uint16 { return 0x8A }
func (m *DCNTEConnectionInfo) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	c.u64be(&m.HardwareID)
	c.u32(&m.SubVersion)
	c.u32(&m.Unused)
	c.bytes(m.Username[:])
	c.bytes(m.Password[:])
	c.bytes(m.Email[:])
}

// DCNTELogin (8B) is DC NTE's login.
type DCNTELogin struct {
	Flag        uint32
	PlayerTag   uint32
	GuildCard   uint32
	HardwareID  uint64
	SubVersion  uint32
	IsExtended  uint8
	Language    uint8
	Unused1     [2]byte
	Serial      [0x11]byte
	AccessKey   [0x11]byte
	Username    [0x30]byte
	Password    [0x30]byte
	CharName    [0x10]byte
	Unused2     [2]byte
	HasMeetUser bool
	MeetUser    MeetUser
}

func (m *DCNTELogin) Command() uint16 { return 0x8B }
func (m *DCNTELogin) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	c.u32(&m.PlayerTag)
	c.u32(&m.GuildCard)
	c.u64be(&m.HardwareID)
	c.u32(&m.SubVersion)
	c.u8(&m.IsExtended)
	c.u8(&m.Language)
	c.bytes(m.Unused1[:])
	c.bytes(m.Serial[:])
	c.bytes(m.AccessKey[:])
	c.bytes(m.Username[:])
	c.bytes(m.Password[:])
	c.bytes(m.CharName[:])
	c.bytes(m.Unused2[:])
	optMeetUser(c, &m.HasMeetUser, &m.MeetUser)
}

// SerialNumber returns the serial number.
func (m *DCNTELogin) SerialNumber() string { return ascii(m.Serial[:]) }

// V1LicenseCheck (90) is DC v1's licence check. Early DC v1 builds send it
// without the two padding bytes later ones add.
type V1LicenseCheck struct {
	Flag      uint32
	Serial    [0x11]byte
	AccessKey [0x11]byte
	Padding   []byte
}

func (m *V1LicenseCheck) Command() uint16 { return 0x90 }
func (m *V1LicenseCheck) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	c.bytes(m.Serial[:])
	c.bytes(m.AccessKey[:])
	c.restMax(&m.Padding, 2)
}

// SerialNumber returns the serial number.
func (m *V1LicenseCheck) SerialNumber() string { return ascii(m.Serial[:]) }

// AccessKeyString returns the access key.
func (m *V1LicenseCheck) AccessKeyString() string { return ascii(m.AccessKey[:]) }

// V1Register (92) is DC v1's registration.
type V1Register struct {
	Flag       uint32
	HardwareID uint64
	SubVersion uint32
	Unused1    uint8
	Language   uint8
	Unused2    [2]byte
	Serial2    [0x30]byte
	AccessKey2 [0x30]byte
	Email      [0x30]byte
}

func (m *V1Register) Command() uint16 { return 0x92 }
func (m *V1Register) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	c.u64be(&m.HardwareID)
	c.u32(&m.SubVersion)
	c.u8(&m.Unused1)
	c.u8(&m.Language)
	c.bytes(m.Unused2[:])
	c.bytes(m.Serial2[:])
	c.bytes(m.AccessKey2[:])
	c.bytes(m.Email[:])
}

// V1Login (93) is the login of DC v1 and 11/2000.
type V1Login struct {
	Flag        uint32
	PlayerTag   uint32
	GuildCard   uint32
	HardwareID  uint64
	SubVersion  uint32
	IsExtended  uint8
	Language    uint8
	Unused1     [2]byte
	Serial      [0x11]byte
	AccessKey   [0x11]byte
	Serial2     [0x30]byte
	AccessKey2  [0x30]byte
	CharName    [0x10]byte
	Unused2     [2]byte
	HasMeetUser bool
	MeetUser    MeetUser
}

func (m *V1Login) Command() uint16 { return 0x93 }
func (m *V1Login) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	c.u32(&m.PlayerTag)
	c.u32(&m.GuildCard)
	c.u64be(&m.HardwareID)
	c.u32(&m.SubVersion)
	c.u8(&m.IsExtended)
	c.u8(&m.Language)
	c.bytes(m.Unused1[:])
	c.bytes(m.Serial[:])
	c.bytes(m.AccessKey[:])
	c.bytes(m.Serial2[:])
	c.bytes(m.AccessKey2[:])
	c.bytes(m.CharName[:])
	c.bytes(m.Unused2[:])
	optMeetUser(c, &m.HasMeetUser, &m.MeetUser)
}

// SerialNumber returns the serial number.
func (m *V1Login) SerialNumber() string { return ascii(m.Serial[:]) }

// AccessKeyString returns the access key.
func (m *V1Login) AccessKeyString() string { return ascii(m.AccessKey[:]) }
