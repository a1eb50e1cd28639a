package wire

import (
	"testing"

	"github.com/psobox/psobox/gameserver/wire/text"
)

func benchFramer(b *testing.B, v Version, size int) {
	loop := &loopback{}
	f := NewFramer(loop, loop, v)
	f.SetCiphers(nopCipher{blockFor(v)}, nopCipher{blockFor(v)})
	payload := make([]byte, size)
	b.SetBytes(int64(size + v.HeaderFormat().Len()))
	b.ReportAllocs()
	for b.Loop() {
		if err := f.WriteCommand(0x60, 0, payload); err != nil {
			b.Fatal(err)
		}
		if _, err := f.ReadCommand(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFramerWriteRead(b *testing.B) {
	b.Run("GC_0x10", func(b *testing.B) { benchFramer(b, GCV3, 0x10) })
	b.Run("GC_0x400", func(b *testing.B) { benchFramer(b, GCV3, 0x400) })
	b.Run("BB_0x10", func(b *testing.B) { benchFramer(b, BBV4, 0x10) })
}

func BenchmarkChat06(b *testing.B) {
	msg := NewTextMessage(0x06, GCV3, 42, "\tEhello, hunters of Ragol", text.English)
	payload, flag, _ := AppendPayload(nil, GCV3, msg)
	h := Header{Command: 0x06, Flag: flag}
	b.Run("DecodeInto", func(b *testing.B) {
		var m TextMessage
		b.ReportAllocs()
		for b.Loop() {
			if err := DecodeInto(GCV3, h, payload, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Decode(GCV3, ClientToServer, h, payload); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Encode", func(b *testing.B) {
		buf := make([]byte, 0, 256)
		b.ReportAllocs()
		for b.Loop() {
			buf, _, _ = AppendPayload(buf[:0], GCV3, msg)
		}
	})
}

// BenchmarkRelay60 is the hot path: decode a 60, walk its subcommands,
// queue it to three other players.
func BenchmarkRelay60(b *testing.B) {
	data := []byte{0x42, 3, 0, 0, 0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0}
	h := Header{Command: 0x60}
	peers := make([]*Framer, 3)
	for i := range peers {
		peers[i] = NewFramer(nil, discard{}, GCV3)
		peers[i].SetCiphers(nil, nopCipher{4})
	}
	var m GameCommand
	b.ReportAllocs()
	for b.Loop() {
		if err := DecodeInto(GCV3, h, data, &m); err != nil {
			b.Fatal(err)
		}
		for sub, err := range Subcommands(m.Data) {
			if err != nil || sub.Param() != 0 {
				b.Fatal("bad subcommand")
			}
		}
		for _, p := range peers {
			if err := p.Queue(m.Cmd, m.Flag, m.Data); err != nil {
				b.Fatal(err)
			}
			_ = p.Flush()
		}
	}
}

type discard struct{}

func (discard) Write(b []byte) (int, error) { return len(b), nil }

func BenchmarkJoinLobby67(b *testing.B) {
	p := Player{GuildCard: 42, Name: "Tali", Language: text.English}
	msg := &JoinLobby{Cmd: 0x67}
	for i := range 12 {
		msg.Entries = append(msg.Entries, p.LobbyEntry(GCV3, uint32(i), [4]byte{10, 0, 0, 2}))
	}
	payload, flag, _ := AppendPayload(nil, GCV3, msg)
	b.Run("Encode", func(b *testing.B) {
		buf := make([]byte, 0, len(payload))
		b.SetBytes(int64(len(payload)))
		b.ReportAllocs()
		for b.Loop() {
			buf, _, _ = AppendPayload(buf[:0], GCV3, msg)
		}
	})
	b.Run("DecodeInto", func(b *testing.B) {
		var m JoinLobby
		b.SetBytes(int64(len(payload)))
		b.ReportAllocs()
		for b.Loop() {
			if err := DecodeInto(GCV3, Header{Command: 0x67, Flag: flag}, payload, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("QueueMsg", func(b *testing.B) {
		f := NewFramer(nil, discard{}, GCV3)
		f.SetCiphers(nil, nopCipher{4})
		b.SetBytes(int64(len(payload)))
		b.ReportAllocs()
		for b.Loop() {
			if err := f.WriteMsg(msg); err != nil {
				b.Fatal(err)
			}
		}
	})
}
