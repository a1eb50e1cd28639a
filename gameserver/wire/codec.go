package wire

import (
	"errors"
	"fmt"
	"strings"
)

// Msg is a typed command. Each implementation encodes and decodes itself in
// the layout of any version it supports; fields that vary between layouts
// are sized for the widest one. Header flags that carry data (result codes,
// targets, counts) are fields of the message.
type Msg interface {
	// Command is the command number, e.g. 0x61 (16 bits on Blue Burst).
	Command() uint16
	walk(c *cursor)
}

// versionSet is a set of versions as a bit mask.
type versionSet uint32

func setOf(vs ...Version) versionSet {
	var s versionSet
	for _, v := range vs {
		s |= 1 << v
	}
	return s
}

func (s versionSet) has(v Version) bool { return v < numVersions && s&(1<<v) != 0 }

// Version groups used by the codec registrations.
var (
	vsV1       = setOf(DCNTE, DC112000, DCV1)
	vsDC       = setOf(DCNTE, DC112000, DCV1, DCV2)
	vsPC       = setOf(PCNTE, PCV2)
	vsV3       = setOf(GCV3, GCEp3NTE, GCEp3, XBV3)
	vsEp3      = setOf(GCEp3NTE, GCEp3)
	vsBB       = setOf(BBV4)
	vsConsole  = vsDC | vsPC | setOf(GCNTE) | vsV3 // every non-BB game client
	vsGame     = vsConsole | vsBB
	vsDCHeader = vsDC | setOf(GCNTE) | vsV3 // shared GC-family ports: login commands of any of them
	vsV2Plus   = vsGame &^ vsV1
	vsV3BB     = vsV3 | vsBB
)

// codec is one registered (versions, direction, command) -> message type.
type codec struct {
	versions versionSet
	newMsg   func() Msg
}

type codecKey struct {
	dir Direction
	cmd uint16
}

// registry maps direction and command to the codecs of the versions that
// have it. It is built once and never changed.
type registry map[codecKey][]codec

func (r registry) add(dir Direction, cmd uint16, vs versionSet, newMsg func() Msg) {
	k := codecKey{dir, cmd}
	for _, c := range r[k] {
		if c.versions&vs != 0 {
			panic("wire: overlapping codec registrations")
		}
	}
	r[k] = append(r[k], codec{vs, newMsg})
}

// both registers a message type that has the same layout in both directions.
func (r registry) both(cmd uint16, vs versionSet, newMsg func() Msg) {
	r.add(ClientToServer, cmd, vs, newMsg)
	r.add(ServerToClient, cmd, vs, newMsg)
}

func (r registry) lookup(v Version, dir Direction, cmd uint16) (func() Msg, bool) {
	for _, c := range r[codecKey{dir, cmd}] {
		if c.versions.has(v) {
			return c.newMsg, true
		}
	}
	return nil, false
}

var codecs = buildRegistry()

func buildRegistry() registry {
	r := registry{}
	for _, register := range []func(registry){
		registerSession, registerLogin, registerMessages, registerMenus, registerLobby,
		registerPlayer, registerGame, registerRelay, registerQuest, registerSocial, registerEp3,
		registerRaw, registerBB,
	} {
		register(r)
	}
	return r
}

// Decode decodes a received command's payload in v's layout. Commands with
// no codec for v and dir fail with ErrUnknownCommand; payloads that do not
// fit the layout exactly fail with ErrBadSize or ErrBadField. Errors are a
// *DecodeError. The message does not alias payload.
func Decode(v Version, dir Direction, h Header, payload []byte) (Msg, error) {
	newMsg, ok := codecs.lookup(v, dir, h.Command)
	if !ok {
		return nil, &DecodeError{Version: v, Direction: dir, Command: h.Command, Size: len(payload),
			Err: ErrUnknownCommand, Reason: "no codec for this version and direction"}
	}
	m := newMsg()
	if err := DecodeInto(v, h, payload, m); err != nil {
		err.(*DecodeError).Direction = dir
		return nil, err
	}
	return m, nil
}

// DecodeInto decodes into an existing message of the right type, reusing its
// slices: a server that keeps one message per hot command decodes without
// allocating.
func DecodeInto(v Version, h Header, payload []byte, m Msg) error {
	c := getCursor(cursor{v: v, buf: payload, flag: h.Flag, cmd: h.Command})
	defer putCursor(c)
	m.walk(c)
	if c.err == nil && c.off != len(payload) {
		c.fail(ErrBadSize, "0x%X bytes left after the last field", len(payload)-c.off)
	}
	if c.err == nil && m.Command() != h.Command {
		c.fail(ErrBadField, "message type is for command %02X", m.Command())
	}
	if c.err != nil {
		return decodeError(v, h, payload, c.err)
	}
	return nil
}

func decodeError(v Version, h Header, payload []byte, err error) *DecodeError {
	de := &DecodeError{Version: v, Command: h.Command, Size: len(payload), Err: ErrBadSize}
	for _, kind := range []error{ErrBadField, ErrUnknownCommand} {
		if errors.Is(err, kind) {
			de.Err = kind
		}
	}
	de.Reason = strings.TrimPrefix(err.Error(), de.Err.Error()+": ")
	return de
}

// AppendPayload appends m's payload in v's layout to dst and returns the
// header flag to send with it.
func AppendPayload(dst []byte, v Version, m Msg) ([]byte, uint32, error) {
	c := getCursor(cursor{v: v, enc: true, buf: dst, cmd: m.Command()})
	defer putCursor(c)
	m.walk(c)
	if c.err != nil {
		return dst, 0, fmt.Errorf("wire: encoding %s command %02X: %w", v, m.Command(), c.err)
	}
	return c.buf, c.flag, nil
}

// Encode returns m's header (size unpadded) and payload in v's layout.
func Encode(v Version, m Msg) (Header, []byte, error) {
	payload, flag, err := AppendPayload(nil, v, m)
	if err != nil {
		return Header{}, nil, err
	}
	size := v.HeaderFormat().Len() + len(payload)
	if size > MaxCommandSize {
		return Header{}, nil, &FrameError{Header: Header{Command: m.Command(), Flag: flag}, Err: ErrTooLarge}
	}
	return Header{Command: m.Command(), Flag: flag, Size: uint16(size)}, payload, nil
}

// QueueMsg encodes m straight into the pending output (see Queue).
func (f *Framer) QueueMsg(m Msg) error {
	start := len(f.pending)
	f.pending = append(f.pending, make([]byte, f.version.HeaderFormat().Len())...)
	out, flag, err := AppendPayload(f.pending, f.version, m)
	if err != nil {
		f.pending = f.pending[:start]
		return err
	}
	f.pending = out
	return f.seal(start, m.Command(), flag)
}

// WriteMsg queues m and flushes.
func (f *Framer) WriteMsg(m Msg) error {
	if err := f.QueueMsg(m); err != nil {
		return err
	}
	return f.Flush()
}
