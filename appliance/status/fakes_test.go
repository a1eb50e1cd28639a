package status

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"
)

var (
	started = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	now     = started.Add(3*time.Hour + 25*time.Second)
)

// fakeGame stands in for the game server (gameserver/server), which this
// package cannot import; the browser test's hook swaps in the real one.
type fakeGame struct {
	players []PlayerInfo
	lobbies []LobbyInfo
	games   []GameInfo
}

func (g *fakeGame) Players() []PlayerInfo { return g.players }
func (g *fakeGame) Lobbies() []LobbyInfo  { return g.lobbies }
func (g *fakeGame) Games() []GameInfo     { return g.games }

func newFakeGame() *fakeGame {
	return &fakeGame{
		players: []PlayerInfo{
			{Name: "Alice", Version: "GC Ep1&2", GuildCard: 42000001, Address: "10.55.0.100", Lobby: 1, Since: now.Add(-time.Hour)},
			{Name: "Bob", Version: "DC v2", GuildCard: 42000002, Address: "10.55.0.101", Game: "Forest run", Since: now.Add(-12 * time.Minute)},
			{Name: "Newbie", Version: "PC", Address: "192.168.1.50", Since: now.Add(-30 * time.Second)},
		},
		lobbies: []LobbyInfo{{Number: 1, Players: []string{"Alice"}}, {Number: 2}, {Number: 3, Players: []string{}}},
		games: []GameInfo{{Name: "Forest run", Group: "DC/PC", Players: []string{"Bob"}, Episode: 1,
			Difficulty: "Hard", Mode: "Normal", Password: true}},
	}
}

type fakeDNS struct {
	lookups  []LookupInfo
	counters DNSCounters
}

func (d *fakeDNS) Lookups() []LookupInfo { return d.lookups }
func (d *fakeDNS) Counters() DNSCounters { return d.counters }

func newFakeDNS() *fakeDNS {
	return &fakeDNS{
		lookups: []LookupInfo{
			{Time: now.Add(-2 * time.Minute), Client: "10.55.0.100", Name: "gc01.st-pso.games.sega.net", Platform: "GameCube",
				Label: "PSO GC US", Count: 2, Summary: "GameCube at 10.55.0.100 looked up gc01.st-pso.games.sega.net → PSO GC US"},
			{Time: now.Add(-5 * time.Minute), Client: "10.55.0.101", Name: "game01.st-pso.games.sega.net", Platform: "Dreamcast",
				Label: "PSO DC US", Count: 1, Summary: "Dreamcast at 10.55.0.101 looked up game01.st-pso.games.sega.net → PSO DC US"},
			{Time: now.Add(-10 * time.Minute), Client: "192.168.1.50", Name: "pso20.sonic.isao.net", Platform: "PC",
				Label: "PSO PC", Count: 1, Summary: "PC at 192.168.1.50 looked up pso20.sonic.isao.net → PSO PC"},
		},
		counters: DNSCounters{Queries: 11, NoError: 8, NXDomain: 1, Refused: 1, Dropped: 1, GameAnswers: 5,
			CacheHits: 2, CacheMisses: 3, Forwarded: 3, UpstreamErrors: 1},
	}
}

type fakeDHCP struct {
	leases []LeaseInfo
	status DHCPStatus
}

func (d *fakeDHCP) Leases() []LeaseInfo { return d.leases }
func (d *fakeDHCP) Status() DHCPStatus  { return d.status }

func newFakeDHCP() *fakeDHCP {
	return &fakeDHCP{
		leases: []LeaseInfo{
			{MAC: "00:09:bf:12:34:56", Vendor: "Nintendo (GameCube BBA)", IP: "10.55.0.100", State: "bound",
				Expires: now.Add(23 * time.Hour), Console: true},
			{MAC: "00:d0:f1:aa:bb:cc", Vendor: "Sega (Dreamcast BBA)", IP: "10.55.0.101", Hostname: "dreamcast-1",
				State: "bound", Expires: now.Add(time.Hour), Reserved: true, Console: true},
			{MAC: "00:d0:f1:aa:bb:cd", Vendor: "Sega (Dreamcast BBA)", IP: "10.55.0.102", State: "expired",
				Expires: now.Add(-5 * time.Minute), Console: true},
		},
		status: DHCPStatus{Interface: "eth0", State: "serving", PoolSize: 100, LeasesActive: 2, Forced: true,
			Rogues:   []RogueServer{{ServerID: "10.55.0.254", MAC: "02:00:00:00:00:fe"}},
			Counters: DHCPCounters{Received: 9, Discover: 3, Request: 3, Release: 1, Offer: 3, Ack: 3, Nak: 1, Ignored: 2}},
	}
}

func fakeSections() []Source {
	return []Source{NewSource("services", func(context.Context) Section {
		return Section{Title: "Services", Columns: []string{"service", "serving on"},
			Rows: [][]string{{"status", "http://127.0.0.1:8080/"}, {"game", "<all> 9000-9300"}}}
	})}
}

// fakeOptions is a LAN party in full swing: every part present.
func fakeOptions() Options {
	return Options{
		Listen: "127.0.0.1:0", Version: "v1.0 (commit abc)", Mode: "island",
		Addresses: Addresses{Interface: "eth0", Subnet: "10.55.0.0/24", DNS: "10.55.0.1", Router: "10.55.0.1", Game: "198.18.55.1"},
		Game:      newFakeGame(), DNS: newFakeDNS(), DHCP: newFakeDHCP(),
		Warnings: []WarningSource{
			WarningFunc(func() []Warning {
				return []Warning{{Component: "dhcp", Level: LevelWarning, Message: "another DHCP server answers: 10.55.0.254"}}
			}),
			WarningFunc(func() []Warning {
				return []Warning{{Component: "capture", Level: LevelInfo, Message: "capture is on"}}
			}),
		},
		Sources: fakeSections(),
		Capture: newFakeCapture(),
		Started: started, Now: func() time.Time { return now },
		Process: func() ProcessStats {
			return ProcessStats{RSSBytes: 12 << 20, HeapBytes: 3 << 20, Goroutines: 42, OpenFDs: 17, GoVersion: "go1.26.8"}
		},
	}
}

// start runs a whole Server on 127.0.0.1:0 and returns its base URL.
func start(t testing.TB, opts Options) (string, context.CancelFunc, <-chan error) {
	t.Helper()
	s := New(opts)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := s.Listen(ctx); err != nil {
		t.Fatalf("Listen: %v", err)
	}
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(ctx) }()
	return "http://" + s.Addr().String(), cancel, errc
}

func get(t testing.TB, method, url string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", url, err)
	}
	return resp, string(body)
}
