package status

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// manyPlayersOptions is a big party: n players, each on its own console
// with a lease and a lookup, a quarter of them in games of four.
func manyPlayersOptions(n int) Options {
	game, dns, dhcp := &fakeGame{}, newFakeDNS(), newFakeDHCP()
	dns.lookups, dhcp.leases = nil, nil
	for i := range n {
		ip := fmt.Sprintf("10.55.%d.%d", i/250, i%250+2)
		p := PlayerInfo{Name: fmt.Sprintf("Hunter%04d", i), Version: []string{"GC Ep1&2", "DC v2", "PC", "BB"}[i%4],
			GuildCard: uint32(42000000 + i), Address: ip, Lobby: i%15 + 1, Since: now.Add(-time.Duration(i) * time.Second)}
		if i%4 == 0 {
			p.Lobby, p.Game = 0, fmt.Sprintf("room %d", i/16)
		}
		game.players = append(game.players, p)
		dhcp.leases = append(dhcp.leases, LeaseInfo{MAC: fmt.Sprintf("00:09:bf:00:%02x:%02x", i/256, i%256),
			Vendor: "Nintendo (GameCube BBA)", IP: ip, State: "bound", Expires: now.Add(time.Hour), Console: true})
		dns.lookups = append(dns.lookups, LookupInfo{Time: now, Client: ip, Name: "gc01.st-pso.games.sega.net",
			Platform: "GameCube", Label: "PSO GC US", Count: 1, Summary: "GameCube at " + ip + " looked up gc01.st-pso.games.sega.net → PSO GC US"})
	}
	for l := range 15 {
		lobby := LobbyInfo{Number: l + 1}
		for _, p := range game.players {
			if p.Lobby == l+1 {
				lobby.Players = append(lobby.Players, p.Name)
			}
		}
		game.lobbies = append(game.lobbies, lobby)
	}
	for g := 0; g*16 < n; g++ {
		game.games = append(game.games, GameInfo{Name: fmt.Sprintf("room %d", g), Group: "GC/Xbox",
			Players: []string{"a", "b", "c", "d"}, Episode: 1, Difficulty: "Ultimate", Mode: "Normal"})
	}
	opts := fakeOptions()
	opts.Game, opts.DNS, opts.DHCP = game, dns, dhcp
	return opts
}

func benchmarkRender(b *testing.B, pick func(*Server) render) {
	s := New(manyPlayersOptions(1000))
	fn := pick(s)
	b.ReportAllocs()
	var size int
	for b.Loop() {
		body, _, err := fn(s.snapshot(context.Background()))
		if err != nil {
			b.Fatal(err)
		}
		size = len(body)
	}
	b.ReportMetric(float64(size), "bytes/page")
}

// BenchmarkPage1000Players: gathering the snapshot and rendering the HTML
// page with 1000 players on 1000 consoles.
func BenchmarkPage1000Players(b *testing.B) {
	benchmarkRender(b, func(s *Server) render { return s.writePage })
}

func BenchmarkJSON1000Players(b *testing.B) {
	benchmarkRender(b, func(*Server) render { return writeJSON })
}

func BenchmarkMetrics1000Players(b *testing.B) {
	benchmarkRender(b, func(*Server) render { return writePrometheus })
}
