package server_test

import (
	"log/slog"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

func benchServer(b *testing.B, ping time.Duration) *servertest.Server {
	o := servertest.Options()
	o.Logger = slog.New(slog.DiscardHandler)
	o.PingInterval = ping
	return servertest.Start(b, o)
}

// BenchmarkLogin is one GameCube login over loopback, from connecting to
// the main menu, with a licence already registered (the steady state of a
// LAN party: consoles come back).
func BenchmarkLogin(b *testing.B) {
	srv := benchServer(b, time.Hour)
	addr := srv.Addr(9103)
	const licences = 64
	for i := range licences {
		c, _ := loginGC(b, addr, gcLicence(i), "Bench")
		c.conn.Close()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		c, _ := loginGC(b, addr, gcLicence(i%licences), "Bench")
		c.conn.Close()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "logins/s")
}

// BenchmarkIdleClientMemory keeps b.N GameCubes logged in and idle (in the
// lobbies while there is room: 15 lobbies of 12, then at the main menu)
// and reports the memory and goroutines each costs the process (the test
// clients keep only their sockets). It measures after a ping interval, when
// idle clients have given back the buffers their login batches needed.
func BenchmarkIdleClientMemory(b *testing.B) {
	const ping = 50 * time.Millisecond
	srv := benchServer(b, ping)
	addr := srv.Addr(9103)
	before := memNow()
	goroutines := runtime.NumGoroutine()
	var conns []net.Conn
	for i := 0; b.Loop(); i++ {
		c, _ := loginGC(b, addr, gcLicence(i), "Idle")
		if i < 15*12 {
			c.toLobby()
		}
		conns = append(conns, c.conn)
	}
	b.StopTimer()
	time.Sleep(4 * ping) // the lobby announcements drain, a ping trims the buffers
	after := memNow()
	n := float64(len(conns))
	b.ReportMetric(float64(after-before)/n, "bytes/client")
	b.ReportMetric(float64(runtime.NumGoroutine()-goroutines)/n, "goroutines/client")
	for _, c := range conns {
		c.Close()
	}
}

// memNow is the memory in use after a collection: heap and stacks.
func memNow() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse + m.StackInuse
}

// BenchmarkLobbyRelay is one 60 (player movement, 0x18 bytes) relayed from
// one player to the eleven others of a full lobby.
func BenchmarkLobbyRelay(b *testing.B) {
	srv := benchServer(b, time.Hour)
	addr := srv.Addr(9103)
	var clients []*testClient
	for i := range 12 {
		c, _ := loginGC(b, addr, gcLicence(i), "Relay")
		c.toLobby()
		clients = append(clients, c)
	}
	time.Sleep(100 * time.Millisecond)
	for _, c := range clients {
		drainPending(c)
	}
	sub := []byte{0x3E, 0x06, 0, 0, 1, 0, 0, 0, 0, 0, 0x80, 0x3F, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	fanOut(b, clients[1:], func() { clients[0].send(0x60, 0, sub) })
}

// fanOut runs send b.N times while readers read one command each per
// send. The sender keeps at most window sends ahead of the slowest reader,
// as players do: a reader that falls 512 KB behind is dropped as slow.
func fanOut(b *testing.B, readers []*testClient, send func()) {
	const window = 256
	received := make([]atomic.Int64, len(readers))
	var failed atomic.Bool
	var wg sync.WaitGroup
	for i, c := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range b.N {
				if _, err := c.recv(); err != nil {
					b.Error(err)
					failed.Store(true)
					return
				}
				received[i].Add(1)
			}
		}()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		for j := range received {
			for int64(i)-received[j].Load() > window && !failed.Load() {
				runtime.Gosched()
			}
		}
		send()
	}
	wg.Wait()
}

// drainPending reads what a client was sent while others joined.
func drainPending(c *testClient) {
	for {
		c.conn.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
		if _, err := c.f.ReadCommand(); err != nil {
			return
		}
	}
}

// BenchmarkLobbyChat is one chat line said in a full lobby of GameCubes
// over loopback: read by the server, encoded once and queued for the 12
// players (the speaker included), read by each.
func BenchmarkLobbyChat(b *testing.B) {
	srv := benchServer(b, time.Hour)
	addr := srv.Addr(9103)
	var clients []*testClient
	for i := range 12 {
		c, _ := loginGC(b, addr, gcLicence(i), "Chat")
		c.toLobby()
		clients = append(clients, c)
	}
	time.Sleep(100 * time.Millisecond)
	for _, c := range clients {
		drainPending(c)
	}
	line := wire.NewTextMessage(0x06, wire.GCV3, 0, "\tEAnyone up for the Forest?", text.English)
	fanOut(b, clients, func() { clients[0].sendMsg(line) })
}
