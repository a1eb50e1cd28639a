package wire

import (
	"net/netip"

	"github.com/psobox/psobox/gameserver/wire/text"
)

// Empty is any command without a payload; its header flag often carries a
// result code, a target, an arrow colour or an event number.
type Empty struct {
	Cmd  uint16
	Flag uint32
}

func (m *Empty) Command() uint16 { return m.Cmd }
func (m *Empty) walk(c *cursor) {
	c.command(&m.Cmd)
	c.flagRaw(&m.Flag)
}

// Results in the flag of 9A (and 90/92/9C) sent to a console.
const (
	LicenseOK         = 0x00 // proceed without saving the licence
	LicenseRegister   = 0x01 // the client must register (9C)
	LicenseOKSave     = 0x02 // proceed and save the licence to the memory card
	LicenseBadAccess  = 0x03 // wrong access key
	LicenseBadSerial  = 0x04 // wrong serial number
	LicenseSuspended  = 0x0F // connection suspended
	LicenseMaintained = 0x13 // server under maintenance
)

// Copyright strings the clients require in their server-init commands.
const (
	CopyrightPortMap = "DreamCast Port Map. Copyright SEGA Enterprises. 1999"     // 17 (first connection)
	CopyrightLobby   = "DreamCast Lobby Server. Copyright SEGA Enterprises. 1999" // 02 (later connections)
	CopyrightBB      = "Phantasy Star Online Blue Burst Game Server. Copyright 1999-2004 SONICTEAM."
)

// ServerInit (02, 17, 91, 9B) hands a console its two cipher seeds. It is
// sent in plaintext; both directions are encrypted after it. After is free
// text the clients ignore.
type ServerInit struct {
	Cmd       uint16
	Flag      uint32
	Copyright [0x40]byte
	ServerKey uint32 // seeds the server-to-client cipher
	ClientKey uint32 // seeds the client-to-server cipher
	After     []byte
}

// NewServerInit builds a server init with the copyright the command needs.
func NewServerInit(cmd uint16, serverKey, clientKey uint32) *ServerInit {
	m := &ServerInit{Cmd: cmd, ServerKey: serverKey, ClientKey: clientKey}
	copyright := CopyrightLobby
	if cmd == 0x17 || cmd == 0x91 {
		copyright = CopyrightPortMap
	}
	text.Put(m.Copyright[:], text.ASCII, copyright, text.English)
	return m
}

func (m *ServerInit) Command() uint16 { return m.Cmd }
func (m *ServerInit) walk(c *cursor) {
	c.command(&m.Cmd)
	c.flagRaw(&m.Flag)
	c.bytes(m.Copyright[:])
	c.u32(&m.ServerKey)
	c.u32(&m.ClientKey)
	c.restMax(&m.After, 0x400)
}

// ServerInitBB (03, 9B on Blue Burst) carries 48-byte cipher seeds.
type ServerInitBB struct {
	Cmd       uint16
	Flag      uint32
	Copyright [0x60]byte
	ServerKey [0x30]byte
	ClientKey [0x30]byte
	After     []byte
}

// NewServerInitBB builds BB's 03 (data server) or 9B init.
func NewServerInitBB(cmd uint16, serverKey, clientKey [0x30]byte) *ServerInitBB {
	m := &ServerInitBB{Cmd: cmd, ServerKey: serverKey, ClientKey: clientKey}
	text.Put(m.Copyright[:], text.ASCII, CopyrightBB, text.English)
	return m
}

func (m *ServerInitBB) Command() uint16 { return m.Cmd }
func (m *ServerInitBB) walk(c *cursor) {
	c.command(&m.Cmd)
	c.flagRaw(&m.Flag)
	c.bytes(m.Copyright[:])
	c.bytes(m.ServerKey[:])
	c.bytes(m.ClientKey[:])
	c.restMax(&m.After, 0x400)
}

// Reconnect (19) sends the client to another address. The split form is a
// PC command that a console reads as a second 19 inside it, so one command
// sent on a port shared by PC and consoles sends each to its own port.
type Reconnect struct {
	Flag    uint32
	Addr    [4]byte
	Port    uint16
	Unused  uint16
	Split   bool
	SplitGC ReconnectSplitGC
}

// ReconnectSplitGC is the console half of a split reconnect.
type ReconnectSplitGC struct {
	Unused1 [0x0F]byte
	Command uint8 // 0x19
	Flag    uint8
	Size    uint16 // 0x97 as the clients expect
	Addr    [4]byte
	Port    uint16
	Unused2 [0x8D]byte
}

// NewReconnect returns a plain 19 to addr.
func NewReconnect(addr netip.AddrPort) *Reconnect {
	return &Reconnect{Addr: addr.Addr().As4(), Port: addr.Port()}
}

// NewReconnectSplit returns the split 19: PC clients go to pc, consoles to gc.
func NewReconnectSplit(pc, gc netip.AddrPort) *Reconnect {
	m := NewReconnect(pc)
	m.Split = true
	m.SplitGC = ReconnectSplitGC{Command: 0x19, Size: 0x97, Addr: gc.Addr().As4(), Port: gc.Port()}
	return m
}

// AddrPort returns the destination (the PC one for a split reconnect).
func (m *Reconnect) AddrPort() netip.AddrPort {
	return netip.AddrPortFrom(netip.AddrFrom4(m.Addr), m.Port)
}

func (m *Reconnect) Command() uint16 { return 0x19 }
func (m *Reconnect) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	c.bytes(m.Addr[:])
	c.u16(&m.Port)
	if c.decoding() {
		m.Split = c.remaining() > 2
	}
	if !m.Split {
		c.u16(&m.Unused)
		return
	}
	g := &m.SplitGC
	c.bytes(g.Unused1[:])
	c.u8(&g.Command)
	c.u8(&g.Flag)
	c.u16(&g.Size)
	c.bytes(g.Addr[:])
	c.u16(&g.Port)
	c.bytes(g.Unused2[:])
}

// UpdateClientConfig (04) sets the guild card number. V3 and BB clients keep
// Config and return it in 9E/9F. A nonzero Flag is an error code and the
// command then has no body.
type UpdateClientConfig struct {
	Flag      uint32
	PlayerTag uint32
	GuildCard uint32
	Config    [0x28]byte // 0 bytes on DC/PC, 0x20 on V3, 0x28 on BB
	NoBody    bool
}

func (m *UpdateClientConfig) Command() uint16 { return 0x04 }
func (m *UpdateClientConfig) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	if c.decoding() {
		m.NoBody = c.remaining() == 0 && m.Flag != 0
	}
	if m.NoBody {
		return
	}
	c.u32(&m.PlayerTag)
	c.u32(&m.GuildCard)
	c.field(m.Config[:], clientConfigSize(c.v))
}

func clientConfigSize(v Version) int {
	switch {
	case v == BBV4:
		return 0x28
	case v.IsV3():
		return 0x20
	}
	return 0
}

// ClientConfig (9F from the client) returns the config set by 04.
type ClientConfig struct {
	Flag   uint32
	Config [0x28]byte
}

func (m *ClientConfig) Command() uint16 { return 0x9F }
func (m *ClientConfig) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	c.field(m.Config[:], clientConfigSize(c.v))
}

// ServerTime (B1) is the time as "YYYY:MM:DD: HH:MM:SS.000"; V3 clients
// ping every 30 s when bit 0 of TimeFlags is set.
type ServerTime struct {
	Flag      uint32
	Time      [0x19]byte
	TimeFlags [3]byte
}

// NewServerTime formats ts (already in the time zone to show).
func NewServerTime(ts string) *ServerTime {
	m := &ServerTime{TimeFlags: [3]byte{1}}
	text.Put(m.Time[:], text.ASCII, ts, text.English)
	return m
}

func (m *ServerTime) Command() uint16 { return 0xB1 }
func (m *ServerTime) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	c.bytes(m.Time[:])
	c.bytes(m.TimeFlags[:])
}

// ExecuteCode (B2) asks the client to run code and/or checksum memory; the
// client answers B3 with the same flag.
type ExecuteCode struct {
	Flag          uint32
	CodeSize      uint32
	ChecksumStart uint32
	ChecksumSize  uint32
	Code          []byte
}

func (m *ExecuteCode) Command() uint16 { return 0xB2 }
func (m *ExecuteCode) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	c.u32(&m.CodeSize)
	c.u32(&m.ChecksumStart)
	c.u32(&m.ChecksumSize)
	c.rest(&m.Code)
}

// ExecuteCodeResult (B3) answers B2.
type ExecuteCodeResult struct {
	Flag        uint32
	ReturnValue uint32
	Checksum    uint32
}

func (m *ExecuteCodeResult) Command() uint16 { return 0xB3 }
func (m *ExecuteCodeResult) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	c.u32(&m.ReturnValue)
	c.u32(&m.Checksum)
}

// CharSaveInfo (96) is the character's creation time and event counter.
type CharSaveInfo struct {
	Flag              uint32
	CreationTimestamp uint32
	EventCounter      uint32
}

func (m *CharSaveInfo) Command() uint16 { return 0x96 }
func (m *CharSaveInfo) walk(c *cursor) {
	c.flagRaw(&m.Flag)
	c.u32(&m.CreationTimestamp)
	c.u32(&m.EventCounter)
}

func newEmpty() Msg { return &Empty{} }

func registerSession(r registry) {
	for _, cmd := range []uint16{0x05, 0x1D} {
		r.both(cmd, vsGame, newEmpty)
	}
	for _, cmd := range []uint16{0x08, 0x1F, 0x6F, 0x89, 0x99, 0xA2, 0xA9, 0xB1, 0xC0, 0xC8, 0xD2, 0xD4, 0xD6, 0xD8} {
		r.add(ClientToServer, cmd, vsGame, newEmpty)
	}
	for _, cmd := range []uint16{0x90, 0x92, 0x95, 0x97, 0x9A, 0x9C, 0x9F, 0x18, 0xD1, 0xD4, 0xD7, 0xDA} {
		r.add(ServerToClient, cmd, vsGame, newEmpty)
	}
	r.add(ClientToServer, 0x8A, vsV2Plus, newEmpty)     // lobby name request
	r.add(ServerToClient, 0x8A, vsV1, newEmpty)         // DC NTE connection result
	r.add(ServerToClient, 0x88, setOf(DCNTE), newEmpty) // DC NTE account check result
	r.add(ServerToClient, 0x8D, vsV1, newEmpty)         // DC NTE's request for player data
	r.both(0xAC, vsV3BB, newEmpty)                      // quest barrier
	for _, cmd := range []uint16{0x02, 0x17, 0x91, 0x9B} {
		r.add(ServerToClient, cmd, vsConsole, func() Msg { return &ServerInit{} })
	}
	for _, cmd := range []uint16{0x03, 0x9B} {
		r.add(ServerToClient, cmd, vsBB, func() Msg { return &ServerInitBB{} })
	}
	r.add(ServerToClient, 0x19, vsGame, func() Msg { return &Reconnect{} })
	r.add(ServerToClient, 0x04, vsGame, func() Msg { return &UpdateClientConfig{} })
	r.add(ServerToClient, 0xB1, vsGame, func() Msg { return &ServerTime{} })
	r.add(ServerToClient, 0xB2, vsV2Plus, func() Msg { return &ExecuteCode{} })
	r.add(ClientToServer, 0xB3, vsV2Plus, func() Msg { return &ExecuteCodeResult{} })
	r.add(ClientToServer, 0x96, vsGame, func() Msg { return &CharSaveInfo{} })
	r.add(ClientToServer, 0x9F, vsPC|vsV3BB, func() Msg { return &ClientConfig{} })
}
