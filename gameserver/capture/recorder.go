package capture

import (
	"bytes"
	"fmt"
	"net/netip"
	"sync"
	"time"

	"github.com/psobox/psobox/gameserver/sessionlog"
	"github.com/psobox/psobox/gameserver/wire"
)

// Conn describes a new game connection (the game server's ConnInfo).
type Conn struct {
	ID       uint64
	Remote   netip.AddrPort
	Port     int
	Listener string // "TG-9103-GC_V3-gc-us3-game_server"
	Time     time.Time
}

// maxLearned bounds the credential values a connection remembers for
// scrubbing them from its other commands.
const maxLearned = 64

// minScrubbed is the shortest credential scrubbed wherever it appears:
// shorter values would match unrelated bytes.
const minScrubbed = 6

// Recorder records one connection. Its methods satisfy the game server's
// Recorder (a wire.Tap plus Ended); they are safe for concurrent use.
type Recorder struct {
	cap    *Capture
	con    *console
	client string // "C-1A"
	peer   string // "10.55.0.23:51234"

	mu      sync.Mutex
	learned []substitution // credential value -> its fake, for scrubbing
}

type substitution struct{ from, to []byte }

// Received records a command the client sent.
func (r *Recorder) Received(v wire.Version, command []byte) {
	r.command(sessionlog.FromClient, v, command)
}

// Sent records a command the server sent.
func (r *Recorder) Sent(v wire.Version, command []byte) {
	r.command(sessionlog.FromServer, v, command)
}

// Ended records the end of the connection and why.
func (r *Recorder) Ended(reason string) {
	now := r.cap.now()
	r.cap.write(r.con, sessionlog.Event{Kind: sessionlog.Note, Time: now, Client: r.client, Text: "disconnected: " + reason})
	r.cap.write(r.con, sessionlog.Event{Kind: sessionlog.Disconnect, Time: now, Client: r.client})
	r.cap.release(r.con)
}

func (r *Recorder) command(kind sessionlog.Kind, v wire.Version, command []byte) {
	if !r.cap.Enabled() {
		return
	}
	data := bytes.Clone(command)
	if r.cap.mask {
		data = r.mask(kind, v, data)
	}
	h, err := v.HeaderFormat().Decode(data)
	if err != nil {
		return // shorter than a header: the Framer never passes one
	}
	r.cap.noteVersion(r.con, v)
	r.cap.write(r.con, sessionlog.Event{Kind: kind, Time: r.cap.now(), Client: r.client, Peer: r.peer,
		Version: v, Command: h.Command, Flag: h.Flag, Data: data})
}

// mask replaces the credentials of a client's login commands with fakes of
// the same format, and scrubs credentials seen before from every command.
// A login command that cannot be rewritten exactly loses every printable
// byte of its payload instead: sizes stay, secrets go.
func (r *Recorder) mask(kind sessionlog.Kind, v wire.Version, data []byte) []byte {
	if kind == sessionlog.FromClient {
		out, ok, err := RewriteCredentials(v, data, r.maskField)
		switch {
		case ok && err != nil:
			blankPrintable(data[min(v.HeaderFormat().Len(), len(data)):])
		case ok:
			data = out
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.learned {
		data = bytes.ReplaceAll(data, s.from, s.to)
	}
	return data
}

// maskField fakes one credential field in place and remembers long values
// for scrubbing.
func (r *Recorder) maskField(f Field) {
	value := f.Value()
	fake := r.cap.faker.Fake(value, f.Text)
	if f.Text {
		blankPrintable(f.Bytes[len(value):]) // what a console left after the NUL
	}
	if len(value) >= minScrubbed && !isZero(value) {
		r.learn(bytes.Clone(value), fake)
	}
	copy(f.Bytes, fake)
}

func (r *Recorder) learn(value, fake []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.learned {
		if bytes.Equal(s.from, value) {
			return
		}
	}
	if len(r.learned) < maxLearned {
		r.learned = append(r.learned, substitution{value, fake})
	}
}

// blankPrintable turns printable ASCII into '*', keeping NULs and sizes.
func blankPrintable(b []byte) {
	for i, c := range b {
		if c >= 0x20 && c < 0x7F {
			b[i] = '*'
		}
	}
}

// clientName is the connection's name in the log, as the reference
// server writes it: C- and the number in hex.
func clientName(id uint64) string { return fmt.Sprintf("C-%X", id) }
