package server_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// relayInput splits fuzz data into relayed commands: a selector (60, 62,
// 6C, 6D), a flag, a 16-bit length, the payload (padded to 4 bytes like
// every command on the wire).
func relayInput(data []byte) []wire.Command {
	var out []wire.Command
	for len(data) >= 4 {
		cmd := []uint16{0x60, 0x62, 0x6C, 0x6D}[data[0]%4]
		n := min(int(binary.LittleEndian.Uint16(data[2:])), len(data)-4, 0x800)
		payload := append([]byte(nil), data[4:4+n]...)
		payload = append(payload, make([]byte, -n&3)...) // as the framer pads it
		unsocial(payload)
		out = append(out, wire.Command{Header: wire.Header{Command: cmd, Flag: uint32(data[1])}, Payload: payload})
		data = data[4+n:]
	}
	return out
}

func relaySeed(cmds ...[]byte) []byte {
	var out []byte
	for _, c := range cmds {
		n := len(c) - 2
		out = append(out, c[0], c[1], byte(n), byte(n>>8))
		out = append(out, c[2:]...)
	}
	return out
}

// unsocial renumbers guild cards, symbol chat and word select (rebuilt
// per receiver, fuzzed with the social commands) to 6x1F, which is relayed
// as it is, when the payload is well framed.
func unsocial(payload []byte) {
	if wire.CheckSubcommands(payload) != nil {
		return
	}
	for rest := payload; len(rest) > 0; {
		sub, next, _ := wire.NextSubcommand(rest)
		if n := sub[0]; n == 0x06 || n == 0x07 || n == 0x74 {
			sub[0] = 0x1F
		}
		rest = next
	}
}

// mayArrive lists, in order, the subcommands of the commands the server
// must accept: up to the first it must reject (framing, size), after which
// the sender is dropped.
func mayArrive(cmds []wire.Command) (subs [][]byte, rejected bool) {
	for _, c := range cmds {
		size := len(c.Payload)
		if wire.CheckSubcommands(c.Payload) != nil || ((c.Header.Command == 0x60 || c.Header.Command == 0x62) && size > wire.MaxRelayPayload) {
			return subs, true
		}
		for sub := range wire.Subcommands(c.Payload) {
			s := append([]byte(nil), sub...)
			if s[0] == 0x71 || s[0] == 0x72 {
				s[2], s[3] = 0, 0
			}
			subs = append(subs, s)
		}
	}
	return subs, false
}

// FuzzRelay: a player in a game sends arbitrary 60/62/6C/6D. The server
// must not panic, and the other player receives only well-framed
// subcommands the sender sent, one per command, in order; nothing of a
// malformed command.
func FuzzRelay(f *testing.F) {
	srv, panics := fuzzServer(f)
	f.Add(relaySeed([]byte{0, 0, 0x3F, 0x06, 0x01, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}))
	f.Add(relaySeed([]byte{0, 0, 0x3E, 0x06, 0x00, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}))
	f.Add(relaySeed([]byte{3, 0, 0x6B, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, []byte{1, 0, 0x71, 1, 5, 5}))
	f.Add(relaySeed([]byte{0, 0, 0x23, 0x02, 0x01, 0x00}))
	f.Add(relaySeed([]byte{1, 0, 0x06, 0x01, 0, 0}, []byte{0, 0, 0x74, 0x01, 0x01, 0x00}))
	f.Add(relaySeed(append([]byte{0, 0, 0x3F, 0, 1, 0, 0x08, 0x04, 0, 0}, make([]byte, 0x400)...)))
	f.Fuzz(func(t *testing.T, data []byte) {
		before := panics.Load()
		a, b := twoInAGame(t, srv)
		cmds := relayInput(data)
		for _, c := range cmds {
			b.conn.SetWriteDeadline(time.Now().Add(ioTimeout))
			if b.f.WriteCommand(c.Header.Command, c.Header.Flag, c.Payload) != nil {
				break
			}
		}
		end := marker(1, 0xEE)
		b.conn.SetWriteDeadline(time.Now().Add(ioTimeout))
		b.f.WriteCommand(0x60, 0, end)
		want, rejected := mayArrive(cmds)
		checkArrivals(t, a, want, end, rejected)
		a.conn.Close()
		b.conn.Close()
		waitReleased(t, srv, 0)
		if panics.Load() != before {
			t.Fatal("the server panicked")
		}
	})
}

// checkArrivals reads what a received until the end marker (or the
// sender's leaving, 66): every relayed command must be one subcommand of
// want, in order.
func checkArrivals(t *testing.T, a *testClient, want [][]byte, end []byte, rejected bool) {
	for {
		r, err := a.recv()
		if errors.Is(err, io.EOF) {
			t.Fatal("the receiver was disconnected")
		}
		if err != nil {
			t.Fatalf("waiting for the end marker: %v", err)
		}
		switch cmd := r.Header.Command; {
		case cmd == 0x66:
			if !rejected {
				t.Fatal("the sender was dropped for commands the server must accept")
			}
			return
		case cmd == 0x60 && bytes.Equal(r.Payload, end):
			if rejected {
				t.Fatal("the sender stayed after a command the server must reject")
			}
			return
		case cmd == 0x60 || cmd == 0x62 || cmd == 0x6C || cmd == 0x6D:
			i := indexOf(want, r.Payload)
			if i < 0 {
				t.Fatalf("received %02X %X, which was not sent as one subcommand", cmd, r.Payload)
			}
			want = want[i+1:]
		}
	}
}

func indexOf(subs [][]byte, b []byte) int {
	for i, s := range subs {
		if bytes.Equal(s, b) {
			return i
		}
	}
	return -1
}

// FuzzGameCommands sends arbitrary command sequences from a lobby in which
// a game exists: game list, create, join, leave, done loading, relays. The
// server must neither panic nor leave a session hanging.
func FuzzGameCommands(f *testing.F) {
	srv, panics := fuzzServer(f)
	create := &wire.CreateGame{Cmd: 0xC1, Difficulty: 3, Episode: 2}
	create.SetName(wire.GCV3, "Fuzz", text.English)
	_, createPayload, _ := wire.Encode(wire.GCV3, create)
	join := []byte{0x10, 0, 0x44, 0, 0, 0x44, 1, 0, 0, 0}
	f.Add(seedCommands([]byte{0x08, 0}, join, []byte{0x1D, 0}, []byte{0x6F, 0}, []byte{0x8A, 0}))
	f.Add(seedCommands(append([]byte{0xC1, 0}, createPayload...), []byte{0x1D, 0}, []byte{0x6F, 0}, []byte{0x98, 3, 1, 2, 3, 4}))
	f.Add(seedCommands(join, []byte{0x62, 0, 0x6F, 0x01, 0, 0}, []byte{0x98, 3}, []byte{0x84, 0, 0x33, 0, 0, 0x33, 1, 0, 0, 0}))
	f.Add(seedCommands([]byte{0x09, 0, 0x44, 0, 0, 0x44, 1, 0, 0, 0}, []byte{0xEE, 0xD0, 1, 0}, []byte{0xDC, 1}, []byte{0xA0, 0}))
	f.Fuzz(func(t *testing.T, data []byte) {
		before := panics.Load()
		owner, _ := loginGC(t, srv.Addr(9103), gcLicence(1), "Owner")
		owner.toLobby()
		owner.createGame("Fuzz")
		c, _ := loginGC(t, srv.Addr(9103), gcLicence(2), "Fuzz")
		c.toLobby()
		for _, cmd := range commands(data) {
			c.conn.SetWriteDeadline(time.Now().Add(ioTimeout))
			if c.f.WriteCommand(cmd.Header.Command, cmd.Header.Flag, cmd.Payload) != nil {
				break
			}
		}
		c.conn.Close()
		owner.conn.Close()
		waitReleased(t, srv, 0)
		if panics.Load() != before {
			t.Fatal("the server panicked")
		}
	})
}
