package client

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Phases of a session, as named in steps and errors.
const (
	PhaseConnect    = "connect"
	PhaseInit       = "server init"
	PhaseLicence    = "licence check"
	PhaseRegister   = "registration"
	PhaseLogin      = "login"
	PhasePlayerData = "player data"
	PhaseMainMenu   = "main menu"
	PhaseLobby      = "lobby join"
	PhaseInLobby    = "in lobby"
)

var (
	// ErrClosed is returned by calls on a Client after Close.
	ErrClosed = errors.New("client closed")
	// ErrInboxFull ends a session whose received commands are not read.
	ErrInboxFull = errors.New("too many received commands queued: nobody reads them (Next/Expect)")
)

// StepError is how a session fails: the phase it was in and why.
type StepError struct {
	Phase string
	Err   error
}

func (e *StepError) Error() string { return "failed at " + e.Phase + ": " + e.Err.Error() }
func (e *StepError) Unwrap() error { return e.Err }

// RefusedError is a server's refusal: a result code in the flag of a
// licence, registration or login result.
type RefusedError struct {
	Cmd    uint16
	Code   uint32
	Reason string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("server refused: %02X code %02X (%s)", e.Cmd, e.Code, e.Reason)
}

// ClosedError is the server closing the connection (or the connection
// breaking) while the client still expected something.
type ClosedError struct {
	Waiting     string // what the client was waiting for, e.g. "9A (licence result)"
	LastCmd     string // the last command received, if any
	LastMessage string // the last message box text, if any: servers explain refusals there
	Err         error
}

func (e *ClosedError) Error() string {
	var b strings.Builder
	b.WriteString("connection closed")
	if e.Waiting != "" {
		fmt.Fprintf(&b, " while waiting for %s", e.Waiting)
	}
	if e.LastCmd != "" {
		fmt.Fprintf(&b, "; last received %s", e.LastCmd)
	}
	if e.LastMessage != "" {
		fmt.Fprintf(&b, "; server said %q", e.LastMessage)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, " (%v)", e.Err)
	}
	return b.String()
}

func (e *ClosedError) Unwrap() error { return e.Err }

// WaitError is a wait that ended (timeout or cancellation) before what it
// waited for arrived.
type WaitError struct {
	Waiting string        // e.g. "67 (join lobby)"
	LastCmd string        // the last command received, if any
	Since   time.Duration // time since it arrived
	Err     error         // the context's error
}

func (e *WaitError) Error() string {
	what := "timed out"
	if errors.Is(e.Err, context.Canceled) {
		what = "canceled"
	}
	msg := fmt.Sprintf("%s waiting for %s", what, e.Waiting)
	if e.LastCmd == "" {
		return msg + "; nothing received from the server"
	}
	return msg + fmt.Sprintf("; last received %s %s ago", e.LastCmd, e.Since.Round(time.Millisecond))
}

func (e *WaitError) Unwrap() error { return e.Err }
