package server_test

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/wire"
)

// fourInAGame logs four GameCubes in and seats them in one game.
func fourInAGame(b *testing.B) []*testClient {
	srv := benchServer(b, time.Hour)
	addr := srv.Addr(9103)
	var cs []*testClient
	for i := range 4 {
		c, _ := loginGC(b, addr, gcLicence(i), "Bench")
		c.toLobby()
		if i == 0 {
			c.createGame("Bench")
		} else {
			c.selectGame()
			c.joinGame()
			c.finishLoading()
		}
		cs = append(cs, c)
	}
	time.Sleep(50 * time.Millisecond)
	for _, c := range cs {
		drainPending(c)
	}
	return cs
}

// BenchmarkGameRelay is one 60 (player movement, 0x18 bytes) relayed over
// loopback from one player to the three others of a game, until all three
// have read it. The sender keeps at most relayWindow commands ahead of the
// slowest reader: unthrottled, it would fill their queues and the server
// would rightly drop them as too slow.
func BenchmarkGameRelay(b *testing.B) {
	cs := fourInAGame(b)
	b.ReportAllocs()
	b.ResetTimer()
	relayTo(b, cs[0], cs[1:], marker(0, 1))
}

const relayWindow = 256

// relayTo sends b.N 60s from one client and waits until every receiver
// read them all.
func relayTo(b *testing.B, from *testClient, to []*testClient, sub []byte) {
	counts := make([]atomic.Int64, len(to))
	var wg sync.WaitGroup
	for i, c := range to {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range b.N {
				if _, err := c.recv(); err != nil {
					b.Error(err)
					return
				}
				counts[i].Add(1)
			}
		}()
	}
	slowest := func() int64 {
		m := counts[0].Load()
		for i := range counts {
			m = min(m, counts[i].Load())
		}
		return m
	}
	for n := range b.N {
		for int64(n)-slowest() > relayWindow {
			runtime.Gosched()
		}
		from.send(0x60, 0, sub)
	}
	wg.Wait()
}

// BenchmarkGameJoin is a whole join and leave over loopback: choosing the
// game (10), the 64 and its ping, 6F and the time, then leaving (98, 84)
// back to the lobby (67), while the leader hears of it (65, 66).
func BenchmarkGameJoin(b *testing.B) {
	srv := benchServer(b, time.Hour)
	addr := srv.Addr(9103)
	leader, _ := loginGC(b, addr, gcLicence(0), "Leader")
	leader.toLobby()
	leader.createGame("Bench")
	go drainForever(leader)
	c, _ := loginGC(b, addr, gcLicence(1), "Joiner")
	lobby := c.toLobby()
	c.selectGame()
	c.joinGame()
	c.finishLoading()
	leave := testPlayer("Joiner").CharacterData(wire.GCV3, 0x98)
	c.sendMsg(leave)
	c.sendMsg(&wire.MenuItemRef{Cmd: 0x84, MenuID: 0x33000033, ItemID: uint32(lobby.LobbyNumber) + 1})
	c.until(0x67)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		c.sendMsg(&wire.MenuSelection{MenuID: 0x44000044, ItemID: 1})
		c.joinGame()
		c.finishLoading()
		c.sendMsg(leave)
		c.sendMsg(&wire.MenuItemRef{Cmd: 0x84, MenuID: 0x33000033, ItemID: uint32(lobby.LobbyNumber) + 1})
		c.until(0x67)
	}
}

// drainForever reads and drops everything c is sent until it is closed.
func drainForever(c *testClient) {
	for {
		c.conn.SetReadDeadline(time.Time{})
		if _, err := c.f.ReadCommand(); err != nil {
			return
		}
	}
}
