package server_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// fuzzServer starts one server for a fuzz target; panics are counted and
// every input checks the count did not move.
func fuzzServer(f *testing.F) (*servertest.Server, *atomic.Int32) {
	var panics atomic.Int32
	o := servertest.Options()
	o.OnPanic = func(any) { panics.Add(1) }
	o.LoginTimeout, o.IdleTimeout = 2*time.Second, 2*time.Second
	return servertest.Start(f, o), &panics
}

// commands splits fuzz data into commands: command, flag, payload length in
// words, payload.
func commands(data []byte) []wire.Command {
	var out []wire.Command
	for len(data) >= 3 {
		n := min(int(data[2])*4, len(data)-3)
		out = append(out, wire.Command{Header: wire.Header{Command: uint16(data[0]), Flag: uint32(data[1])}, Payload: data[3 : 3+n]})
		data = data[3+n:]
	}
	return out
}

func seedCommands(cmds ...[]byte) []byte {
	var out []byte
	for _, c := range cmds {
		out = append(out, c[0], c[1], byte((len(c)-2)/4))
		out = append(out, c[2:]...)
	}
	return out
}

// waitReleased fails unless the server is back to want sessions: a session
// stuck after its client left would be a deadlock.
func waitReleased(t *testing.T, srv *servertest.Server, want int) {
	t.Helper()
	deadline := time.Now().Add(ioTimeout)
	for srv.Clients() > want {
		if time.Now().After(deadline) {
			t.Fatalf("%d sessions still running after their clients left (want %d)", srv.Clients(), want)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// FuzzDispatch sends arbitrary command sequences after a valid handshake,
// in the login phase (after a valid DB), at the main menu, or in a lobby:
// the server must neither panic nor leave a session hanging.
func FuzzDispatch(f *testing.F) {
	srv, panics := fuzzServer(f)
	chat := wire.NewTextMessage(0x06, wire.GCV3, 0, "hi", text.English)
	_, chatPayload, _ := wire.Encode(wire.GCV3, chat)
	for mode := range byte(3) {
		f.Add(mode, seedCommands([]byte{0x60, 0, 0x23, 0x01, 0, 0}, []byte{0x89, 2}, append([]byte{0x06, 0}, chatPayload...)))
		f.Add(mode, seedCommands([]byte{0x10, 0, 0x11, 0, 0, 0x11, 0x11, 0x33, 0x33, 0x11}, []byte{0xD6, 0}, []byte{0x1D, 0}))
		f.Add(mode, seedCommands([]byte{0x84, 0, 0x33, 0, 0, 0x33, 2, 0, 0, 0}, []byte{0x62, 5, 0x06, 0x01, 0, 0}, []byte{0x6D, 0, 0x70, 0, 0, 0, 8, 0, 0, 0}))
		f.Add(mode, seedCommands([]byte{0x61, 3, 1, 2, 3, 4}, []byte{0x9E, 1}, []byte{0xB1, 0}, []byte{0x08, 0}, []byte{0xC1, 0}))
	}
	for _, seed := range socialSeeds() {
		f.Add(byte(2), seed)
	}
	f.Fuzz(func(t *testing.T, mode byte, data []byte) {
		before := panics.Load()
		c := fuzzClient(t, srv, mode%3)
		for _, cmd := range commands(data) {
			c.conn.SetWriteDeadline(time.Now().Add(ioTimeout))
			if c.f.WriteCommand(cmd.Header.Command, cmd.Header.Flag, cmd.Payload) != nil {
				break
			}
		}
		c.conn.Close()
		waitReleased(t, srv, 0)
		if panics.Load() != before {
			t.Fatal("the server panicked")
		}
	})
}

// fuzzClient gets a client to the phase the fuzz input starts in.
func fuzzClient(t *testing.T, srv *servertest.Server, mode byte) *testClient {
	g := gcLicence(1)
	switch mode {
	case 0:
		c := dial(t, srv.Addr(9103), wire.GCV3)
		c.start(wire.GCV3)
		c.sendMsg(g.verifyAccount())
		return c
	case 1:
		c, _ := loginGC(t, srv.Addr(9103), g, "Fuzz")
		return c
	}
	c, _ := loginGC(t, srv.Addr(9103), g, "Fuzz")
	c.toLobby()
	return c
}

// FuzzFirstBytes sends arbitrary bytes as the first data on any port (the
// 9100 split and the cipher detection of console ports included), either
// raw or encrypted with the client key the server handed out.
func FuzzFirstBytes(f *testing.F) {
	srv, panics := fuzzServer(f)
	ports := sortedPorts(srv)
	f.Add(uint8(0), true, []byte{0xDB, 0, 0xE0, 0})
	f.Add(uint8(1), true, []byte{0x9A, 0, 0xE0, 0})
	f.Add(uint8(5), false, []byte{0, 0, 0, 0})
	f.Add(uint8(6), true, []byte{0x88, 0, 0x26, 0, 1, 2})
	f.Add(uint8(12), true, []byte{0xE0, 0, 0x9A, 0})
	f.Add(uint8(13), true, []byte{0x9E, 1, 0x98, 1})
	f.Fuzz(func(t *testing.T, port uint8, encrypt bool, data []byte) {
		before := panics.Load()
		p := ports[int(port)%len(ports)]
		v := portVersion(p)
		c := dial(t, srv.Addr(p), v)
		keys, ok := readInitKeys(c.f, v)
		if ok && encrypt {
			keys.encrypt(c.conn, v, data)
		} else {
			c.conn.Write(data)
		}
		c.conn.Close()
		waitReleased(t, srv, 0)
		if panics.Load() != before {
			t.Fatal("the server panicked")
		}
	})
}

// socialSeeds are lobby inputs of the social commands (search, mail, info
// boards, auto-reply, blocked senders, ship and block counters, guild
// cards, symbol chat and word select) in GameCube layout.
func socialSeeds() [][]byte {
	enc := func(m wire.Msg) []byte {
		h, p, err := wire.Encode(wire.GCV3, m)
		if err != nil {
			panic(err)
		}
		return append([]byte{byte(h.Command), byte(h.Flag)}, p...)
	}
	sub := func(cmd, flag byte, m wire.SubMsg) []byte {
		p, err := wire.AppendSubcommand(nil, wire.GCV3, m)
		if err != nil {
			panic(err)
		}
		return append([]byte{cmd, flag}, p...)
	}
	mail := &wire.SimpleMail{FromCard: 10000001, ToCard: 10000001}
	mail.SetText(wire.GCV3, "hi", text.English)
	return [][]byte{
		seedCommands(enc(&wire.GuildCardSearch{SearcherCard: 10000001, TargetGuildCard: 10000001}), enc(mail), enc(&wire.Empty{Cmd: 0xD8})),
		seedCommands(enc(wire.NewPlainText(0xD9, wire.GCV3, "board", text.English)), enc(wire.NewPlainText(0xC7, wire.GCV3, "away", text.English)),
			enc(&wire.Empty{Cmd: 0xC8}), enc(&wire.BlockedSenders{})),
		seedCommands(enc(&wire.ChangeShipOrBlock{Cmd: 0xA1}), []byte{0x10, 0, 0x66, 0, 0, 0x66, 1, 0, 0, 0}, enc(&wire.ChangeShipOrBlock{Cmd: 0xA0})),
		seedCommands(sub(0x62, 0, &wire.SubGuildCard{}), sub(0x60, 0, &wire.SubSymbolChat{}), sub(0x60, 0, &wire.SubWordSelect{NumTokens: 1})),
		seedCommands(enc(wire.NewTextMessage(0x06, wire.GCV3, 0, "$who", text.English)), enc(wire.NewTextMessage(0x06, wire.GCV3, 0, "$$x", text.English))),
	}
}
