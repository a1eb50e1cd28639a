package wire

import (
	"errors"
	"fmt"
)

// Sentinel errors; the errors returned by this package wrap one of them so
// that a server can log a reason and disconnect (errors.Is).
var (
	// ErrTooSmall: a header's size field is smaller than the header itself.
	ErrTooSmall = errors.New("command size smaller than its header")
	// ErrTooLarge: a command exceeds MaxCommandSize.
	ErrTooLarge = errors.New("command larger than the client receive buffer")
	// ErrUnknownCommand: no codec for this version, direction and command.
	ErrUnknownCommand = errors.New("unknown command")
	// ErrBadSize: a payload does not match the sizes its command allows.
	ErrBadSize = errors.New("bad command size")
	// ErrBadField: a field holds a value inconsistent with the rest.
	ErrBadField = errors.New("bad field value")
)

// FrameError is a framing failure of one command header.
type FrameError struct {
	Header Header
	Err    error // ErrTooSmall or ErrTooLarge
}

func (e *FrameError) Error() string {
	return fmt.Sprintf("wire: command %02X flag %X size 0x%X: %v", e.Header.Command, e.Header.Flag, e.Header.Size, e.Err)
}

func (e *FrameError) Unwrap() error { return e.Err }

// DecodeError is a command that does not decode in its version's layout.
type DecodeError struct {
	Version   Version
	Direction Direction
	Command   uint16
	Size      int // payload size
	Reason    string
	Err       error // ErrUnknownCommand, ErrBadSize or ErrBadField
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("wire: %s %s command %02X (payload 0x%X bytes): %v: %s",
		e.Version, e.Direction, e.Command, e.Size, e.Err, e.Reason)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// Direction says who sent a command.
type Direction uint8

// The two directions.
const (
	ClientToServer Direction = iota
	ServerToClient
)

func (d Direction) String() string {
	if d == ClientToServer {
		return "client->server"
	}
	return "server->client"
}
