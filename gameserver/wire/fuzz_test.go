package wire

import (
	"bytes"
	"cmp"
	"errors"
	"io"
	"slices"
	"testing"
)

// FuzzReadCommand frames arbitrary bytes, plaintext or through the test
// cipher: it must never panic or return a payload inconsistent with the
// header, and without a cipher re-framing what was read reproduces the input.
func FuzzReadCommand(f *testing.F) {
	f.Add([]byte{0x60, 0, 8, 0, 1, 2, 3, 4, 0x1D, 0, 4, 0}, uint8(GCV3), false)
	f.Add([]byte{8, 0, 0x61, 0, 1, 2, 3, 4}, uint8(PCV2), true)
	f.Add([]byte{12, 0, 0xE8, 1, 0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0}, uint8(BBV4), true)
	f.Add([]byte{0x90, 0, 7, 0, 'a', 'b', 'c'}, uint8(DCV1), true)
	f.Add([]byte{0x60, 0, 0, 0x7D}, uint8(XBV3), false)
	f.Fuzz(func(t *testing.T, data []byte, version uint8, encrypted bool) {
		v := Version(version % uint8(numVersions))
		var out bytes.Buffer
		r := NewFramer(bytes.NewReader(data), nil, v)
		w := NewFramer(nil, &out, v)
		if encrypted {
			r.SetCiphers(&xorStream{block: blockFor(v)}, nil)
		}
		hl := v.HeaderFormat().Len()
		for i := 0; i < 64; i++ {
			cmd, err := r.ReadCommand()
			if err != nil {
				var fe *FrameError
				if err != io.EOF && err != io.ErrUnexpectedEOF && !errors.As(err, &fe) {
					t.Fatalf("unexpected error type %T: %v", err, err)
				}
				break
			}
			if int(cmd.Header.Size) != hl+len(cmd.Payload) || int(cmd.Header.Size) > MaxCommandSize {
				t.Fatalf("header %+v with payload of %d bytes", cmd.Header, len(cmd.Payload))
			}
			if err := w.WriteCommand(cmd.Header.Command, cmd.Header.Flag, cmd.Payload); err != nil {
				t.Fatalf("re-framing %+v: %v", cmd.Header, err)
			}
		}
		if !encrypted && !bytes.HasPrefix(data, out.Bytes()) {
			t.Fatalf("re-framed plaintext differs from the input")
		}
	})
}

// FuzzDecode feeds arbitrary commands to the registry: decoding must never
// panic, and whatever decodes must re-encode to exactly the same bytes, as
// must the typed subcommands of relayed commands.
func FuzzDecode(f *testing.F) {
	f.Add(uint8(GCV3), false, uint16(0x06), uint32(0), []byte("\x00\x00\x00\x00\x00\x00\x00\x00\tEhi\x00"))
	f.Add(uint8(PCV2), true, uint16(0x67), uint32(1), make([]byte, 0xC+0x44C))
	f.Add(uint8(DCNTE), false, uint16(0x60), uint32(0), []byte{0x62, 5, 1, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8, 0})
	f.Add(uint8(XBV3), false, uint16(0x9E), uint32(0), make([]byte, 0x130))
	f.Add(uint8(GCEp3), true, uint16(0xEE), uint32(0xD3), make([]byte, 0x24))
	f.Add(uint8(BBV4), false, uint16(0x93), uint32(0), make([]byte, 0xAC))
	keys := registeredKeys()
	f.Fuzz(func(t *testing.T, version uint8, fromServer bool, cmd uint16, flag uint32, payload []byte) {
		v := Version(version % uint8(numVersions))
		dir := ClientToServer
		if fromServer {
			dir = ServerToClient
		}
		if cmd&0x8000 != 0 { // half the inputs aim at a registered command
			k := keys[int(cmd&0x7FFF)%len(keys)]
			dir, cmd = k.dir, k.cmd
		}
		if len(payload) > MaxCommandSize-8 {
			return
		}
		m, err := Decode(v, dir, Header{Command: cmd, Flag: flag}, payload)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		again, flag2, err := AppendPayload(nil, v, m)
		if err != nil || flag2 != flag || !bytes.Equal(again, payload) {
			t.Fatalf("%s %s %02X: decode->encode changed the command (flag %X->%X, err %v)", v, dir, cmd, flag, flag2, err)
		}
		if gc, ok := m.(*GameCommand); ok {
			checkSubcommandsRoundTrip(t, v, gc.Data)
		}
	})
}

// registeredKeys lists every registered direction and command, sorted so
// that fuzz inputs map to the same command from run to run.
func registeredKeys() []codecKey {
	keys := make([]codecKey, 0, len(codecs))
	for k := range codecs {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b codecKey) int {
		return cmp.Or(cmp.Compare(a.dir, b.dir), cmp.Compare(a.cmd, b.cmd))
	})
	return keys
}

func checkSubcommandsRoundTrip(t *testing.T, v Version, data []byte) {
	for sub, err := range Subcommands(data) {
		if err != nil {
			t.Fatalf("a decoded relay command has bad framing: %v", err)
		}
		sm, err := DecodeSubcommand(v, sub)
		if err != nil {
			continue
		}
		again, err := AppendSubcommand(nil, v, sm)
		if err != nil || !bytes.Equal(again, sub) {
			t.Fatalf("%s subcommand %02X: decode->encode changed it (%v)", v, sub.Number(), err)
		}
	}
}
