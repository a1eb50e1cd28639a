package client

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// Chat lines as the reference server sent them in the recorded sessions.
func TestDecodeChat(t *testing.T) {
	tests := []struct {
		v          wire.Version
		lang       text.Language
		raw        []byte
		from, text string
	}{
		{wire.GCV3, text.Japanese, []byte("NN\t\tJ\x81\x9b\x81\x7e\x00"), "NN", "○×"},
		{wire.DCV1, text.English, []byte("Tali\t\tEabcef\x00\x00"), "Tali", "abcef"},
		{wire.DCNTE, text.Japanese, []byte("Yasa>01234567890xyz!?;::\x00"), "Yasa", "1234567890xyz!?;::"},
		{wire.PCV2, text.English, []byte("T\x00a\x00\t\x00\t\x00E\x00h\x00i\x00\x00\x00"), "Ta", "hi"},
		{wire.GCEp3, text.English, []byte("Ed\t\x05\tEpsst\x00"), "Ed", "psst"},
		{wire.GCV3, text.English, []byte("no tab here\x00"), "", "no tab here"},
	}
	for _, tc := range tests {
		from, got := decodeChat(tc.v, tc.lang, tc.raw)
		if diff := cmp.Diff([]string{tc.from, tc.text}, []string{from, got}); diff != "" {
			t.Errorf("%v %q (-want +got):\n%s", tc.v, tc.raw, diff)
		}
	}
}

// FuzzDecodeEvent: any command from a server decodes to an event or to
// nothing, never a panic.
func FuzzDecodeEvent(f *testing.F) {
	f.Add(byte(4), uint16(0x06), []byte("\x00\x00\x00\x00\x01\x00\x00\x00NN\t\tEhi\x00\x00\x00"))
	f.Add(byte(3), uint16(0x62), []byte{0x06, 0x3D, 0, 0})
	f.Add(byte(4), uint16(0x41), make([]byte, 0x100))
	f.Add(byte(4), uint16(0xD8), make([]byte, 0x1BC))
	f.Fuzz(func(t *testing.T, sel byte, cmd uint16, payload []byte) {
		v := fuzzVersions[int(sel)%len(fuzzVersions)]
		c := newClient(Config{Version: v, Lang: "en"})
		defer c.cancel()
		h := wire.Header{Command: cmd & 0xFF, Flag: uint32(len(payload) / 0x1BC)}
		r := Received{Header: h, Payload: payload}
		r.Msg, r.Err = wire.Decode(v, wire.ServerToClient, h, payload)
		c.DecodeEvent(r)
	})
}
