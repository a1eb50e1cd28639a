package server_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/wire"
)

// FuzzQuestCommands: a player in a game sends arbitrary quest commands
// (menus, choices, descriptions, acknowledgements, ready, leaving) with
// arbitrary payloads. The server must not panic or hang, and the other
// player's session must still answer.
func FuzzQuestCommands(f *testing.F) {
	var panics atomic.Int32
	o := servertest.Options()
	o.OnPanic = func(any) { panics.Add(1) }
	o.LoginTimeout, o.IdleTimeout = 2*time.Second, 2*time.Second
	o.QuestDir = questDir(f)
	srv := servertest.Start(f, o)
	category := []byte{0x10, 0, 0x01, 0, 0, 0x01, 4, 0, 0, 0}
	quest58 := []byte{0x10, 0, 0x55, 0x01, 0x01, 0x55, 58, 0, 0, 0}
	ack := append([]byte{0x13, 2}, []byte("quest58.dat\x00\x00\x00\x00\x00")...)
	f.Add(seedCommands([]byte{0xA2, 0}, category, quest58, ack, []byte{0xAC, 0}))
	f.Add(seedCommands([]byte{0xA2, 0}, []byte{0x09, 0, 0x55, 0x01, 0x01, 0x55, 58, 0, 0, 0}, []byte{0xA9, 0}))
	f.Add(seedCommands(quest58, []byte{0x98, 3}, []byte{0xAC, 0}, []byte{0x44, 0, 1, 2, 3, 4}))
	f.Fuzz(func(t *testing.T, data []byte) {
		before := panics.Load()
		a, b := twoInAGame(t, srv)
		for _, cmd := range commands(data) {
			b.conn.SetWriteDeadline(time.Now().Add(ioTimeout))
			if b.f.WriteCommand(cmd.Header.Command, cmd.Header.Flag, cmd.Payload) != nil {
				break
			}
		}
		a.sendMsg(&wire.Empty{Cmd: 0x8A})
		a.until(0x8A)
		a.conn.Close()
		b.conn.Close()
		waitReleased(t, srv, 0)
		if panics.Load() != before {
			t.Fatal("the server panicked")
		}
	})
}
