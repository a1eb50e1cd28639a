package capture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/psobox/psobox/gameserver/wire"
)

// Field is one credential field of a login command. Bytes is the field's
// whole fixed-size area: for text, the value up to the first NUL (and
// whatever the console left after it); for binary fields the raw bytes.
// Changing Bytes in place (never its length) changes the command.
type Field struct {
	Name  string // "serial", "access key", "password", "username", "email", "hardware ID", "xbox network"
	Text  bool
	Bytes []byte
}

// Value is the field's text up to the first NUL (binary fields: all of it).
func (f Field) Value() []byte {
	if !f.Text {
		return f.Bytes
	}
	if i := bytes.IndexByte(f.Bytes, 0); i >= 0 {
		return f.Bytes[:i]
	}
	return f.Bytes
}

// ErrNotExact is a login command that did not decode, or whose decoding
// does not encode back to the same bytes: its fields cannot be rewritten
// exactly, and a masker must fall back to something coarser.
var ErrNotExact = errors.New("login command does not round-trip through its codec")

// RewriteCredentials finds the credentials in a command a client sent
// (header included, in v's layout): serial numbers, access keys,
// passwords, user names, e-mail addresses, hardware IDs, and Xbox gamertags,
// user IDs and network data. It calls fn with each field, in the order of
// the command, and returns the command with fn's changes; same length,
// header untouched. ok is false for commands that carry no credentials
// (the command is returned as it is). Fields rewritten are exact: the
// command is decoded with its codec, changed and encoded again, and only
// when decoding and encoding give back the original bytes (else
// ErrNotExact).
func RewriteCredentials(v wire.Version, command []byte, fn func(Field)) (out []byte, ok bool, err error) {
	if !loginCommand(command, v) {
		return command, false, nil
	}
	hl := v.HeaderFormat().Len()
	h, err := v.HeaderFormat().Decode(command)
	if err != nil || int(h.Size) > len(command) || int(h.Size) < hl {
		return command, true, ErrNotExact
	}
	payload := command[hl:h.Size]
	m, err := wire.Decode(v, wire.ClientToServer, h, payload)
	if err != nil {
		return command, true, fmt.Errorf("%w: %v", ErrNotExact, err)
	}
	fields, writeBack := credentialFields(m)
	if len(fields) == 0 {
		return command, false, nil
	}
	if !reencodes(v, m, h.Flag, payload) {
		return command, true, ErrNotExact
	}
	for _, f := range fields {
		fn(f)
	}
	writeBack()
	enc, _, err := wire.AppendPayload(nil, v, m)
	if err != nil || len(enc) != len(payload) {
		return command, true, ErrNotExact
	}
	out = append(bytes.Clone(command[:hl]), enc...)
	return append(out, command[h.Size:]...), true, nil
}

// loginCommands are the commands that may carry credentials, client to
// server, in some version.
var loginCommands = map[uint16]bool{0x88: true, 0x8A: true, 0x8B: true, 0x90: true, 0x92: true,
	0x93: true, 0x9A: true, 0x9C: true, 0x9D: true, 0x9E: true, 0xDB: true}

func loginCommand(command []byte, v wire.Version) bool {
	h, err := v.HeaderFormat().Decode(command)
	return err == nil && loginCommands[h.Command]
}

func reencodes(v wire.Version, m wire.Msg, flag uint32, payload []byte) bool {
	enc, encFlag, err := wire.AppendPayload(nil, v, m)
	return err == nil && encFlag == flag && bytes.Equal(enc, payload)
}

// fieldList collects a message's credential fields; numbers (hardware IDs)
// are offered as their 8 big-endian bytes and stored back afterwards.
type fieldList struct {
	fields []Field
	backs  []func()
}

func (l *fieldList) text(name string, b []byte) {
	l.fields = append(l.fields, Field{Name: name, Text: true, Bytes: b})
}

func (l *fieldList) raw(name string, b []byte) {
	l.fields = append(l.fields, Field{Name: name, Bytes: b})
}

func (l *fieldList) u64(name string, p *uint64) {
	b := binary.BigEndian.AppendUint64(nil, *p)
	l.raw(name, b)
	l.backs = append(l.backs, func() { *p = binary.BigEndian.Uint64(b) })
}

func (l *fieldList) licence(serial, key []byte) {
	l.text("serial", serial)
	l.text("access key", key)
}

// credentialFields lists m's credentials and returns the function that
// stores the numeric ones back into m.
func credentialFields(m wire.Msg) ([]Field, func()) {
	var l fieldList
	switch m := m.(type) {
	case *wire.DCNTEAccountCheck:
		l.licence(m.Serial[:], m.AccessKey[:])
	case *wire.DCNTEConnectionInfo:
		l.u64("hardware ID", &m.HardwareID)
		l.account(m.Username[:], m.Password[:])
		l.text("email", m.Email[:])
	case *wire.DCNTELogin:
		l.u64("hardware ID", &m.HardwareID)
		l.licence(m.Serial[:], m.AccessKey[:])
		l.account(m.Username[:], m.Password[:])
	case *wire.V1LicenseCheck:
		l.licence(m.Serial[:], m.AccessKey[:])
	case *wire.V1Register:
		l.u64("hardware ID", &m.HardwareID)
		l.licence(m.Serial2[:], m.AccessKey2[:])
		l.text("email", m.Email[:])
	case *wire.V1Login:
		l.u64("hardware ID", &m.HardwareID)
		l.licence(m.Serial[:], m.AccessKey[:])
		l.licence(m.Serial2[:], m.AccessKey2[:])
	default:
		l.laterLogins(m)
	}
	return l.fields, func() {
		for _, back := range l.backs {
			back()
		}
	}
}

func (l *fieldList) account(user, password []byte) {
	l.text("username", user)
	l.text("password", password)
}

// laterLogins: DC v2, PC, GameCube, Xbox and Blue Burst.
func (l *fieldList) laterLogins(m wire.Msg) {
	switch m := m.(type) {
	case *wire.LicenseCheck:
		l.licence(m.V1Serial[:], m.V1AccessKey[:])
		l.licence(m.Serial[:], m.AccessKey[:])
		l.licence(m.Serial2[:], m.AccessKey2[:])
		l.text("email", m.Email[:])
	case *wire.Register:
		l.u64("hardware ID", &m.HardwareID)
		l.licence(m.Serial[:], m.AccessKey[:])
		l.text("password", m.Password[:])
	case *wire.Login:
		l.loginBase(&m.LoginBase)
	case *wire.LoginWithConfig:
		l.loginBase(&m.LoginBase)
		if m.HasXB {
			l.raw("xbox network", m.XB[:])
		}
	case *wire.VerifyAccount:
		l.licence(m.V1Serial[:], m.V1AccessKey[:])
		l.licence(m.Serial[:], m.AccessKey[:])
		l.u64("hardware ID", &m.HardwareID)
		l.licence(m.Serial2[:], m.AccessKey2[:])
		l.text("password", m.Password[:])
	default:
		l.blueBurst(m)
	}
}

func (l *fieldList) loginBase(b *wire.LoginBase) {
	l.u64("hardware ID", &b.HardwareID)
	l.licence(b.V1Serial[:], b.V1AccessKey[:])
	l.licence(b.Serial[:], b.AccessKey[:])
	l.licence(b.Serial2[:], b.AccessKey2[:])
}

func (l *fieldList) blueBurst(m wire.Msg) {
	switch m := m.(type) {
	case *wire.BBLogin:
		l.account(m.Username[:], m.Password[:])
		if m.HasHardwareID {
			l.u64("hardware ID", &m.HardwareID)
		}
	case *wire.BBRegister:
		l.account(m.Username[:], m.Password[:])
	case *wire.BBLoginWithConfig:
		l.licence(m.V1Serial[:], m.V1AccessKey[:])
		l.licence(m.Serial[:], m.AccessKey[:])
		l.account(m.Username[:], m.Password[:])
	case *wire.BBVerifyAccount:
		l.licence(m.V1Serial[:], m.V1AccessKey[:])
		l.licence(m.Serial[:], m.AccessKey[:])
		l.account(m.Username[:], m.Password[:])
	}
}
