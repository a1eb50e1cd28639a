package capture

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
)

// Faker turns a credential into a fake of the same length and format: the
// same fake for the same value every time (so a serial sent in DB and again
// in 9E, or by the next connection of the same console, stays one serial),
// different fakes under different keys. Nothing of the value can be read
// back from the fake without the key, which lives only in memory. Captures
// mask with one; replays make their own credentials with another.
type Faker struct {
	key []byte
}

// NewFaker returns a Faker with key, or with a random key when key is empty.
func NewFaker(key []byte) Faker {
	if len(key) == 0 {
		key = make([]byte, 32)
		rand.Read(key)
	}
	return Faker{key: key}
}

// Fake returns the fake of a field's value (Field.Value), text or binary.
func (f Faker) Fake(value []byte, text bool) []byte {
	if text {
		return f.text(value)
	}
	return f.binary(value)
}

// stream returns n pseudo-random bytes derived from value.
func (f Faker) stream(value []byte, n int) []byte {
	out := make([]byte, 0, n+sha256.Size)
	for block := uint32(0); len(out) < n; block++ {
		mac := hmac.New(sha256.New, f.key)
		mac.Write(binary.BigEndian.AppendUint32(nil, block))
		mac.Write(value)
		out = mac.Sum(out)
	}
	return out[:n]
}

// text fakes printable text keeping each character's class: digits stay
// digits, upper and lower case letters stay letters of their case (and
// within A-F when the whole value is hexadecimal, so a GameCube serial
// stays a hex number), other printable characters ('@', '.', '-') stay
// as they are; anything else becomes '*'.
func (f Faker) text(value []byte) []byte {
	rnd := f.stream(value, len(value))
	hex := isHex(value)
	out := make([]byte, len(value))
	for i, c := range value {
		r := rnd[i]
		switch {
		case c >= '0' && c <= '9':
			out[i] = '0' + r%10
		case hex && c >= 'A' && c <= 'F':
			out[i] = 'A' + r%6
		case hex && c >= 'a' && c <= 'f':
			out[i] = 'a' + r%6
		case c >= 'A' && c <= 'Z':
			out[i] = 'A' + r%26
		case c >= 'a' && c <= 'z':
			out[i] = 'a' + r%26
		case c >= 0x20 && c < 0x7F:
			out[i] = c
		default:
			out[i] = '*'
		}
	}
	return out
}

func isHex(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'F' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return len(b) > 0
}

// binary fakes raw bytes; all-zero values (a console that sends none)
// stay zero.
func (f Faker) binary(value []byte) []byte {
	if isZero(value) {
		return make([]byte, len(value))
	}
	return f.stream(value, len(value))
}

func isZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
