package server

import (
	"fmt"
	"log/slog"
	"testing"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// mixedVersions fill a bench lobby in turn: every chat layout and both
// text languages.
var mixedVersions = []struct {
	v    wire.Version
	lang text.Language
}{
	{wire.GCV3, text.English}, {wire.DCV2, text.English}, {wire.PCV2, text.English}, {wire.XBV3, text.English},
	{wire.GCV3, text.Japanese}, {wire.DCV1, text.English}, {wire.GCEp3, text.English}, {wire.PCV2, text.Japanese},
}

// benchLobby is a lobby of n clients of mixed versions without
// connections: what the server queues for them stays in their outboxes,
// which the bench empties as a writer would.
func benchLobby(b testing.TB, n int) (*Lobby, []*Client) {
	s, err := New(Options{StateDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	l := &Lobby{ID: 1, block: 1}
	var members []*Client
	for i := range n {
		mv := mixedVersions[i%len(mixedVersions)]
		c := &Client{srv: s, log: slog.New(slog.DiscardHandler), out: newOutbox(mv.v, 1<<20)}
		c.version.Store(uint32(mv.v))
		c.guildCard.Store(uint32(10000001 + i))
		p := wire.Player{GuildCard: c.GuildCard(), Name: fmt.Sprintf("Player%02d", i), Language: mv.lang}
		c.player.Store(&p)
		c.sess.lang = mv.lang
		l.members[i] = c
		c.sess.lobby, c.sess.lobbySlot = l, uint8(i)
		members = append(members, c)
	}
	return l, members
}

// flushAll empties the outboxes as writers do, reusing their buffers.
func flushAll(members []*Client) {
	for _, m := range members {
		items, data, _ := m.out.take()
		m.out.recycle(items, data)
	}
}

// BenchmarkChatFanOut is one chat line (06) received from a GameCube and
// sent to everyone in a lobby of mixed versions, decoding included. The
// allocations per line do not grow with the players: none per receiver.
func BenchmarkChatFanOut(b *testing.B) {
	for _, n := range []int{2, 12} {
		b.Run(fmt.Sprintf("players=%d", n), func(b *testing.B) {
			_, members := benchLobby(b, n)
			speaker := members[0]
			m := wire.NewTextMessage(0x06, wire.GCV3, 0, "\tEAnyone up for the Forest?", text.English)
			h, payload, err := wire.Encode(wire.GCV3, m)
			if err != nil {
				b.Fatal(err)
			}
			cmd := wire.Command{Header: h, Payload: payload}
			b.ReportAllocs()
			for b.Loop() {
				if err := onChat(speaker, cmd); err != nil {
					b.Fatal(err)
				}
				flushAll(members)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/receiver")
		})
	}
}

// A chat line allocates once, for its decoded text, however many receive
// it: the line, its closure and the encoded payloads are reused.
func TestChatFanOutAllocatesOnlyTheText(t *testing.T) {
	_, members := benchLobby(t, 12)
	m := wire.NewTextMessage(0x06, wire.GCV3, 0, "\tEAnyone up for the Forest?", text.English)
	h, payload, err := wire.Encode(wire.GCV3, m)
	if err != nil {
		t.Fatal(err)
	}
	cmd := wire.Command{Header: h, Payload: payload}
	allocs := testing.AllocsPerRun(500, func() {
		onChat(members[0], cmd)
		flushAll(members)
	})
	if allocs > 1 {
		t.Errorf("a chat line to 12 players allocates %.1f times, want 1 (its text)", allocs)
	}
}

// BenchmarkRosterPerReceiver is the full roster (C5 and 67) of a lobby of
// 12 mixed versions built for one newcomer in its layout and language.
func BenchmarkRosterPerReceiver(b *testing.B) {
	l, members := benchLobby(b, 12)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		slot := uint8(i % 12)
		l.sendRoster(members[slot], slot)
		flushAll(members)
	}
}

// BenchmarkArrivalAnnouncement is one join announced to the 11 others
// (C5 and 68 each in its own layout).
func BenchmarkArrivalAnnouncement(b *testing.B) {
	l, members := benchLobby(b, 12)
	b.ReportAllocs()
	for b.Loop() {
		for i, m := range members[1:] {
			l.sendArrival(m, uint8(i+1), members[0], 0)
		}
		flushAll(members)
	}
}
