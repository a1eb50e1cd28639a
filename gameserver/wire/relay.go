package wire

import (
	"encoding/binary"
	"fmt"
	"iter"
)

// MaxRelayPayload is the largest payload of 60/62/C9/CB that clients handle;
// longer subcommand groups must go in 6C/6D.
const MaxRelayPayload = 0x400

// GameCommand is a relayed group of subcommands: 60 (to everyone else in the
// lobby or game), 62 (to the client in the flag), 6C/6D (their long forms),
// Ep3's C9/CB (broadcasts) and CA (to the server). Decoding checks the
// subcommand framing; the data is kept whole so relaying is a copy.
type GameCommand struct {
	Cmd  uint16
	Flag uint32 // 62/6D: target client ID
	Data []byte // one or more subcommands
}

func (m *GameCommand) Command() uint16 { return m.Cmd }
func (m *GameCommand) walk(c *cursor) {
	c.command(&m.Cmd)
	c.flagRaw(&m.Flag)
	c.rest(&m.Data)
	if c.decoding() {
		if err := CheckSubcommands(m.Data); err != nil {
			c.fail(ErrBadField, "%v", err)
		}
	}
}

// Subcommand is one subcommand, header included: number, size in 4-byte
// units (or 0 and a 32-bit byte size after two parameter bytes), and a
// 16-bit parameter many subcommands use for the sender's client ID.
type Subcommand []byte

// Number is the subcommand number as sent (DC NTE and 11/2000 number some
// differently; see SubcommandToFinal).
func (s Subcommand) Number() uint8 { return s[0] }

// Param returns header bytes 2-3: the client ID or entity ID for most
// subcommands.
func (s Subcommand) Param() uint16 { return binary.LittleEndian.Uint16(s[2:]) }

// Extended reports the long header form (size byte 0, 32-bit size after).
func (s Subcommand) Extended() bool { return s[1] == 0 }

// Body returns the bytes after the header.
func (s Subcommand) Body() []byte {
	if s.Extended() {
		return s[8:]
	}
	return s[4:]
}

// NextSubcommand splits the first subcommand off data and checks that its
// size is consistent with the data.
func NextSubcommand(data []byte) (Subcommand, []byte, error) {
	if len(data) < 4 {
		return nil, nil, fmt.Errorf("0x%X bytes left, too short for a subcommand header", len(data))
	}
	size := int(data[1]) * 4
	if size == 0 {
		if len(data) < 8 {
			return nil, nil, fmt.Errorf("subcommand %02X: extended header cut short", data[0])
		}
		ext := binary.LittleEndian.Uint32(data[4:])
		if ext < 8 || ext%4 != 0 || ext > uint32(len(data)) {
			return nil, nil, fmt.Errorf("subcommand %02X: extended size 0x%X does not fit 0x%X bytes", data[0], ext, len(data))
		}
		size = int(ext)
	}
	if size > len(data) {
		return nil, nil, fmt.Errorf("subcommand %02X: size 0x%X exceeds the 0x%X bytes left", data[0], size, len(data))
	}
	return Subcommand(data[:size]), data[size:], nil
}

// Subcommands iterates over the subcommands in data; iteration stops after
// the first error.
func Subcommands(data []byte) iter.Seq2[Subcommand, error] {
	return func(yield func(Subcommand, error) bool) {
		for len(data) > 0 {
			sub, rest, err := NextSubcommand(data)
			if !yield(sub, err) || err != nil {
				return
			}
			data = rest
		}
	}
}

// CheckSubcommands checks that data is a non-empty sequence of well-framed
// subcommands.
func CheckSubcommands(data []byte) error {
	if len(data) == 0 {
		return fmt.Errorf("no subcommands")
	}
	for _, err := range Subcommands(data) {
		if err != nil {
			return err
		}
	}
	return nil
}

func registerRelay(r registry) {
	newGame := func() Msg { return &GameCommand{} }
	for _, cmd := range []uint16{0x60, 0x62, 0x6C, 0x6D} {
		r.both(cmd, vsGame, newGame)
	}
	r.both(0xC9, vsEp3, newGame)
	r.both(0xCB, setOf(GCEp3), newGame)
	r.add(ClientToServer, 0xCA, vsEp3, newGame)
}
