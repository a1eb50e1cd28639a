package client

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/crypt"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// fuzzVersions are the versions the fuzz target's selector byte picks from.
var fuzzVersions = []wire.Version{wire.DCNTE, wire.DCV1, wire.DCV2, wire.PCV2, wire.GCV3, wire.GCEp3, wire.XBV3}

// FuzzServerCommands has a server send arbitrary bytes to psobot: either
// from the very start of the connection (where the plaintext init is
// expected) or as the plaintext of encrypted commands after a valid init.
// psobot must end with a session or an error: never panic, never hang.
func FuzzServerCommands(f *testing.F) {
	for i, v := range fuzzVersions {
		f.Add(byte(i+16), encodeCommands(v, happyPath(v)...))
		f.Add(byte(i+16), encodeCommands(v, questCommands()...))
		f.Add(byte(i+16), encodeCommands(v, &wire.Empty{Cmd: 0x9A, Flag: 3}))
		f.Add(byte(i), encodeCommands(wire.PCV2, wire.NewReconnectSplit(netip.MustParseAddrPort("127.0.0.1:9300"),
			netip.MustParseAddrPort("127.0.0.1:9103"))))
	}
	f.Fuzz(func(t *testing.T, sel byte, data []byte) {
		v := fuzzVersions[int(sel%16)%len(fuzzVersions)]
		afterInit := sel&16 != 0
		clientEnd, serverEnd := net.Pipe()
		var dials atomic.Int32
		cfg := Config{Version: v, Dial: func(context.Context, string, string) (net.Conn, error) {
			if dials.Add(1) > 1 {
				return nil, errors.New("the fuzz server takes one connection")
			}
			return clientEnd, nil
		}}
		go fuzzServe(serverEnd, v, afterInit, data, nil)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c, err := Dial(ctx, "fuzz", cfg)
		if err != nil {
			return
		}
		c.Lobby(ctx)
		c.Close()
	})
}

// fuzzServe sends data (after a valid init, encrypted, when afterInit),
// discards whatever the client says and hangs up (once hold is closed, if
// it is not nil).
func fuzzServe(conn net.Conn, v wire.Version, afterInit bool, data []byte, hold chan struct{}) {
	defer conn.Close()
	if hold != nil {
		defer func() { <-hold }()
	}
	go io.Copy(io.Discard, conn)
	if afterInit {
		init := wire.NewServerInit(0x17, 0x33333333, 0x44444444)
		var buf bytes.Buffer
		wire.NewFramer(nil, &buf, v).WriteMsg(init)
		out, _ := crypt.NewStream(v.Cipher(), init.ServerKey)
		padded := append(append([]byte(nil), data...), make([]byte, (4-len(data)%4)%4)...)
		out.Encrypt(padded)
		data = append(buf.Bytes(), padded...)
	}
	conn.Write(data)
}

// encodeCommands frames messages in plaintext, as seeds.
func encodeCommands(v wire.Version, msgs ...wire.Msg) []byte {
	var buf bytes.Buffer
	fr := wire.NewFramer(nil, &buf, v)
	for _, m := range msgs {
		if err := fr.QueueMsg(m); err != nil {
			panic(err)
		}
	}
	fr.Flush()
	return buf.Bytes()
}

// happyPath is a server's side of a login and lobby join, minus the init.
func happyPath(v wire.Version) []wire.Msg {
	lobby := joinLobby(v, 0x67, 0, "psobot", "Alice")
	return []wire.Msg{
		&wire.Empty{Cmd: 0x9A, Flag: wire.LicenseOKSave}, &wire.UpdateClientConfig{PlayerTag: playerTag, GuildCard: 1},
		wire.NewServerTime("2025:01:01: 12:00:00.000"), &wire.Empty{Cmd: 0x95},
		wire.NewPlainText(0xD5, v, "Welcome", text.English), mainMenu(v, "Go to lobby"),
		&wire.Empty{Cmd: 0x97, Flag: 1}, &wire.Empty{Cmd: 0x1D}, lobby,
	}
}

func questCommands() []wire.Msg {
	var msgs []wire.Msg
	for _, name := range []string{"q1.bin", "q1.dat"} {
		open := &wire.OpenFile{Cmd: 0x44, FileSize: 3}
		open.SetFilename(name)
		chunk := &wire.WriteFile{Cmd: 0x13, DataSize: 3}
		copy(chunk.Filename[:], name)
		msgs = append(msgs, open, chunk)
	}
	return append(msgs, &wire.Empty{Cmd: 0xAC})
}

// The happy-path seed is a whole login: every version gets to the lobby
// through the fuzz server, so the fuzzer starts from deep states.
func TestFuzzSeedReachesTheLobby(t *testing.T) {
	for _, v := range fuzzVersions {
		clientEnd, serverEnd := net.Pipe()
		cfg := Config{Version: v, Dial: func(context.Context, string, string) (net.Conn, error) { return clientEnd, nil }}
		hold := make(chan struct{})
		go fuzzServe(serverEnd, v, true, encodeCommands(v, happyPath(v)...), hold)
		ctx := testContext(t)
		c, err := Dial(ctx, "fuzz", cfg)
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		if l, err := c.Lobby(ctx); err != nil || len(l.Players) != 2 {
			t.Errorf("%s: lobby %+v, %v", v, l, err)
		}
		c.Close()
		close(hold)
	}
}
