package wire

import "slices"

// RawBlock is a command carried as size-checked raw bytes: Ep3 tournament
// and spectator menus, battle tables, lobby media and auctions, and the Blue
// Burst data-server files (system file, save files, guild card file, stream
// file chunks, option updates). The server mostly passes these through or
// builds them from files, so their insides are not modelled.
type RawBlock struct {
	Cmd  uint16
	Dir  Direction // allowed sizes differ per direction
	BB   bool      // Blue Burst numbering (set for BB commands)
	Flag uint32
	Data []byte
}

type rawKey struct {
	bb  bool
	dir Direction
	cmd uint16
}

// rawSizes lists the payload sizes each raw command may have; a negative
// size is a minimum, for variable-length commands.
var rawSizes = map[rawKey][]int{
	{false, ServerToClient, 0xB9}: {-0x0C},
	{false, ServerToClient, 0xBB}: {0xDA4},
	{false, ServerToClient, 0xE0}: {0x704, 0x684},
	{false, ServerToClient, 0xE1}: {0x294, 0x28C},
	{false, ServerToClient, 0xE2}: {0x584},
	{false, ServerToClient, 0xE3}: {0x73C, 0x734},
	{false, ServerToClient, 0xE4}: {0x20},
	{false, ServerToClient, 0xE8}: {0x3620},
	{false, ServerToClient, 0xEA}: {-4},
	{false, ServerToClient, 0xEF}: {0x54},
	{false, ClientToServer, 0xE4}: {4},
	{false, ClientToServer, 0xE5}: {4},
	{false, ClientToServer, 0xE6}: {0, 8},
	{false, ClientToServer, 0xE7}: {0x2C},

	{true, ServerToClient, 0x0022}: {0x10},
	{true, ClientToServer, 0x0022}: {0x10},
	{true, ServerToClient, 0x00E1}: {4},
	{true, ServerToClient, 0x00E2}: {0xAF0},
	{true, ServerToClient, 0x00E7}: {0x3994},
	{true, ClientToServer, 0x00E7}: {0x3994},
	{true, ClientToServer, 0x00EC}: {4},
	{true, ClientToServer, 0x01E8}: {8},
	{true, ServerToClient, 0x02E8}: {8},
	{true, ClientToServer, 0x04E8}: {0x108},
	{true, ClientToServer, 0x05E8}: {4},
	{true, ClientToServer, 0x06E8}: {0x108},
	{true, ClientToServer, 0x07E8}: {0x108},
	{true, ClientToServer, 0x08E8}: {4},
	{true, ClientToServer, 0x09E8}: {0xB4},
	{true, ClientToServer, 0x0AE8}: {8},
	{true, ServerToClient, 0x01DC}: {0x0C},
	{true, ServerToClient, 0x02DC}: {-8},
	{true, ClientToServer, 0x03DC}: {0x0C},
	{true, ServerToClient, 0x02EB}: {-4},
	{true, ClientToServer, 0x01ED}: {4},
	{true, ClientToServer, 0x02ED}: {0x4E0},
	{true, ClientToServer, 0x03ED}: {0xA40},
	{true, ClientToServer, 0x04ED}: {0x16C},
	{true, ClientToServer, 0x05ED}: {0x38},
	{true, ClientToServer, 0x06ED}: {0x28},
	{true, ClientToServer, 0x07ED}: {0xE8},
	{true, ClientToServer, 0x08ED}: {0x140},
}

// maxRawChunk bounds the variable-length file chunks (0x6800 data bytes).
const maxRawChunk = 0x6808

func (m *RawBlock) Command() uint16 { return m.Cmd }
func (m *RawBlock) walk(c *cursor) {
	c.command(&m.Cmd)
	c.flagRaw(&m.Flag)
	c.rest(&m.Data)
	n := len(m.Data)
	sizes := rawSizes[rawKey{m.BB, m.Dir, m.Cmd}]
	if n > maxRawChunk || !slices.ContainsFunc(sizes, func(s int) bool { return s == n || (s < 0 && n >= -s) }) {
		c.fail(ErrBadSize, "command %02X cannot be 0x%X bytes %s", m.Cmd, n, m.Dir)
	}
}

func registerRaw(r registry) {
	for k := range rawSizes {
		vs := vsEp3
		if k.bb {
			vs = vsBB
		}
		r.add(k.dir, k.cmd, vs, func() Msg { return &RawBlock{Cmd: k.cmd, Dir: k.dir, BB: k.bb} })
	}
}
