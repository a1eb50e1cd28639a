package wire

import (
	"encoding/binary"
	"fmt"
)

// SubMsg is a typed subcommand (the contents of 60/62/6C/6D).
type SubMsg interface {
	// SubNumber is the subcommand number in the final numbering (DC v1 and
	// later); encoding translates it for DC NTE and 11/2000.
	SubNumber() uint8
	header() *SubHeader
	walk(c *cursor)
}

// SubHeader is what every subcommand header holds besides number and size.
type SubHeader struct {
	Param    uint16 // header bytes 2-3: the sender's client ID for many subcommands
	Extended bool   // the size is a 32-bit byte count after the first 4 bytes
}

func (h *SubHeader) header() *SubHeader { return h }

// subCodecs are the subcommands with a typed layout, by final number.
var subCodecs = map[uint8]func() SubMsg{
	0x06: func() SubMsg { return &SubGuildCard{} },
	0x07: func() SubMsg { return &SubSymbolChat{} },
	0x6B: func() SubMsg { return &SubSyncState{Num: 0x6B} },
	0x6C: func() SubMsg { return &SubSyncState{Num: 0x6C} },
	0x6D: func() SubMsg { return &SubSyncState{Num: 0x6D} },
	0x6E: func() SubMsg { return &SubSyncState{Num: 0x6E} },
	0x6F: func() SubMsg { return &SubQuestFlags{} },
	0x70: func() SubMsg { return &SubPlayerState{} },
	0x71: func() SubMsg { return &SubNoArgs{Num: 0x71} },
	0x72: func() SubMsg { return &SubNoArgs{Num: 0x72} },
	0x73: func() SubMsg { return &SubNoArgs{Num: 0x73} },
	0x74: func() SubMsg { return &SubWordSelect{} },
}

// DecodeSubcommand decodes a subcommand the server needs to understand:
// guild cards, symbol chat, word select and the game-join handshake.
// Other subcommands fail with ErrUnknownCommand; they are relayed as bytes.
func DecodeSubcommand(v Version, sub Subcommand) (SubMsg, error) {
	if framed, rest, err := NextSubcommand(sub); err != nil || len(rest) != 0 || len(framed) != len(sub) {
		return nil, fmt.Errorf("wire: %s subcommand: framing: %w", v, ErrBadSize)
	}
	num, ok := SubcommandToFinal(v, sub.Number())
	newSub := subCodecs[num]
	if !ok || newSub == nil {
		return nil, fmt.Errorf("wire: %s subcommand %02X: %w", v, sub.Number(), ErrUnknownCommand)
	}
	m := newSub()
	h := m.header()
	h.Param, h.Extended = sub.Param(), sub.Extended()
	c := getCursor(cursor{v: v, buf: sub.Body(), cmd: uint16(num)})
	defer putCursor(c)
	m.walk(c)
	if c.err == nil && c.off != len(c.buf) {
		c.fail(ErrBadSize, "0x%X bytes left after the last field", len(c.buf)-c.off)
	}
	if c.err != nil {
		return nil, fmt.Errorf("wire: %s subcommand %02X: %w", v, sub.Number(), c.err)
	}
	return m, nil
}

// AppendSubcommand appends m, header included, in v's layout and numbering.
func AppendSubcommand(dst []byte, v Version, m SubMsg) ([]byte, error) {
	num, ok := SubcommandFromFinal(v, m.SubNumber())
	if !ok {
		return dst, fmt.Errorf("wire: %s has no subcommand %02X: %w", v, m.SubNumber(), ErrUnknownCommand)
	}
	h := m.header()
	start := len(dst)
	dst = append(dst, num, 0, byte(h.Param), byte(h.Param>>8))
	if h.Extended {
		dst = append(dst, 0, 0, 0, 0)
	}
	c := getCursor(cursor{v: v, enc: true, buf: dst, cmd: uint16(m.SubNumber())})
	defer putCursor(c)
	m.walk(c)
	size := len(c.buf) - start
	switch {
	case c.err != nil:
		return dst[:start], fmt.Errorf("wire: subcommand %02X: %w", num, c.err)
	case size%4 != 0:
		return dst[:start], fmt.Errorf("wire: subcommand %02X: size 0x%X is not a multiple of 4: %w", num, size, ErrBadField)
	case h.Extended:
		binary.LittleEndian.PutUint32(c.buf[start+4:], uint32(size))
	case size/4 > 0xFF:
		return dst[:start], fmt.Errorf("wire: subcommand %02X: 0x%X bytes need the extended header: %w", num, size, ErrBadField)
	default:
		c.buf[start+1] = byte(size / 4)
	}
	return c.buf, nil
}

// SubSymbolChat (6x07) is a symbol chat; Data is the symbol (spec, corner
// objects, face parts) as sent.
type SubSymbolChat struct {
	SubHeader
	ClientID uint32
	Data     [0x3C]byte
}

func (m *SubSymbolChat) SubNumber() uint8 { return 0x07 }
func (m *SubSymbolChat) walk(c *cursor) {
	c.u32(&m.ClientID)
	c.bytes(m.Data[:])
}

// SubWordSelect (6x74) is a word select message. GameCube clients send the
// client ID (Param) and all fields big-endian; DC NTE and 11/2000 send only
// six tokens and no parameters.
type SubWordSelect struct {
	SubHeader
	NumTokens    uint16
	TargetType   uint16
	Tokens       [8]uint16
	NumericParam uint32
	UnknownA4    uint32
}

// ClientID returns the sender's client ID, as sent by version v.
func (m *SubWordSelect) ClientID(v Version) uint16 {
	if isBigEndian(v) {
		return m.Param>>8 | m.Param<<8
	}
	return m.Param
}

func isBigEndian(v Version) bool { return v.IsGC() }

func (m *SubWordSelect) SubNumber() uint8 { return 0x74 }
func (m *SubWordSelect) walk(c *cursor) {
	be := isBigEndian(c.v)
	c.u16e(&m.NumTokens, be)
	c.u16e(&m.TargetType, be)
	if c.v == DCNTE || c.v == DC112000 {
		for i := range m.Tokens[:6] {
			c.u16(&m.Tokens[i])
		}
		return
	}
	for i := range m.Tokens {
		c.u16e(&m.Tokens[i], be)
	}
	c.u32e(&m.NumericParam, be)
	c.u32e(&m.UnknownA4, be)
}

// SubSyncState is 6x6B-6x6E, the compressed enemy, object, item and flag
// state the leader sends a joining player. DC NTE omits the compressed size.
type SubSyncState struct {
	SubHeader
	Num              uint8
	DecompressedSize uint32
	CompressedSize   uint32
	Data             []byte
}

func (m *SubSyncState) SubNumber() uint8 { return m.Num }
func (m *SubSyncState) walk(c *cursor) {
	n := uint16(m.Num)
	c.command(&n)
	m.Num = uint8(n)
	if !m.Extended {
		c.fail(ErrBadField, "sync state without the extended header")
		return
	}
	c.u32(&m.DecompressedSize)
	if c.v != DCNTE {
		c.u32(&m.CompressedSize)
	}
	c.rest(&m.Data)
	if c.decoding() && c.v != DCNTE && int(m.CompressedSize) > len(m.Data) {
		c.fail(ErrBadField, "compressed size 0x%X exceeds the 0x%X bytes sent", m.CompressedSize, len(m.Data))
	}
}

// SubQuestFlags (6x6F) is the quest flag state sent to a joining player
// (Ep3: its sequence variables).
type SubQuestFlags struct {
	SubHeader
	Data []byte
}

func questFlagsSize(v Version) int {
	switch {
	case v.IsV1():
		return 0x180
	case v.IsEp3():
		return 0x400
	case v == BBV4:
		return 0x204
	}
	return 0x200
}

func (m *SubQuestFlags) SubNumber() uint8 { return 0x6F }
func (m *SubQuestFlags) walk(c *cursor)   { fixedBytes(c, &m.Data, questFlagsSize(c.v)) }

// SubPlayerState (6x70) is a player's live state (position, HP, status,
// appearance, inventory) sent to a joining player, kept raw; its layout
// differs on every version. Param is the player's client ID.
type SubPlayerState struct {
	SubHeader
	Data []byte
}

func playerStateSize(v Version) int {
	switch {
	case v == DCNTE:
		return 0x424
	case v == DC112000:
		return 0x430
	case v == XBV3:
		return 0x498
	case v == BBV4:
		return 0x4B8
	case v.IsGC():
		return 0x48C
	}
	return 0x488 // DC v1/v2, PC
}

func (m *SubPlayerState) SubNumber() uint8 { return 0x70 }
func (m *SubPlayerState) walk(c *cursor) {
	if !m.Extended {
		c.fail(ErrBadField, "player state without the extended header")
		return
	}
	fixedBytes(c, &m.Data, playerStateSize(c.v))
}

// SubNoArgs is a subcommand with only a header: 6x71 (unblock join), 6x72
// (done loading), 6x73 (exit quest).
type SubNoArgs struct {
	SubHeader
	Num uint8
}

func (m *SubNoArgs) SubNumber() uint8 { return m.Num }
func (m *SubNoArgs) walk(c *cursor) {
	n := uint16(m.Num)
	c.command(&n)
	m.Num = uint8(n)
}
