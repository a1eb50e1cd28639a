package load_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/load"
	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/wire"
)

// consoles are the versions of the smoke test, on the test server's ports.
func consoles(srv *servertest.Server) []load.Console {
	port := func(n int) int { return int(srv.Addrs[n].Port()) }
	return []load.Console{
		{Name: "gc", Version: wire.GCV3, Port: port(9103)},
		{Name: "ep3", Version: wire.GCEp3, Port: port(9103)},
		{Name: "dcv2", Version: wire.DCV2, Port: port(9200)},
		{Name: "pc", Version: wire.PCV2, Port: port(9300)},
		{Name: "xb", Version: wire.XBV3, Port: port(9500)},
	}
}

// TestSmoke runs a small load: fourteen bots of four versions from their
// own loopback addresses, three groups of four in games (GameCube, Episode
// III, Dreamcast) and two PCs in the lobby, chatting and relaying for two
// seconds. Every bot must get in, and chat and probes must arrive.
func TestSmoke(t *testing.T) {
	o := servertest.Options()
	o.MaxPerIP = 1 // one console per address, as on a LAN
	o.Logger = slog.New(slog.DiscardHandler)
	srv := servertest.Start(t, o)
	rep, err := load.Run(context.Background(), load.Options{
		Host:      "127.0.0.1",
		Consoles:  consoles(srv),
		Clients:   14,
		Duration:  2 * time.Second,
		Ramp:      200 * time.Millisecond,
		RelayRate: 20,
		ChatRate:  2,
		GameShare: 1,
		Sources:   netip.MustParsePrefix("127.78.0.0/16"),
		Settle:    10 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	var table bytes.Buffer
	rep.WriteTable(&table)
	t.Log("\n" + table.String())
	if rep.ErrorCount() != 0 || rep.Logins != 14 || rep.InGame != 12 || rep.InLobby != 2 || rep.Games != 3 {
		t.Errorf("want 14 logins, 12 bots in 3 games, 2 in the lobby and no errors; got %d, %d in %d, %d, errors %v",
			rep.Logins, rep.InGame, rep.Games, rep.InLobby, rep.Errors)
	}
	if rep.RelayReceived == 0 || rep.ChatReceived == 0 || rep.RelayLatency.P99 <= 0 || rep.ChatLatency.P50 <= 0 {
		t.Errorf("no traffic measured: relay %d received (%+v), chat %d (%+v)",
			rep.RelayReceived, rep.RelayLatency, rep.ChatReceived, rep.ChatLatency)
	}
	checkOutputs(t, rep)
}

// checkOutputs checks that the JSON and benchmark forms carry the report.
func checkOutputs(t *testing.T, rep *load.Report) {
	t.Helper()
	var bench bytes.Buffer
	rep.WriteBench(&bench, "clients=10")
	line := bench.String()
	for _, want := range []string{"BenchmarkLoad/clients=10 \t       1\t", " ns/op", " relay-p99-ns", " logins/s", " errors\n"} {
		if !strings.Contains(line, want) {
			t.Errorf("benchmark line %q lacks %q", line, want)
		}
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var back load.Report
	if err := json.Unmarshal(b, &back); err != nil || back.RelayReceived != rep.RelayReceived || back.Logins != rep.Logins {
		t.Errorf("JSON does not round-trip: %v\n%s", err, b)
	}
}

// TestSlowBotIsDropped stalls one bot of a lobby under heavy relay
// traffic (1 KB commands, more than the kernel's socket buffers and the
// server's queue hold): the server must drop it, and the others go on
// without an error.
func TestSlowBotIsDropped(t *testing.T) {
	o := servertest.Options()
	o.SendQueueBytes = 2 * wire.MaxCommandSize // the smallest queue the server accepts
	o.Logger = slog.New(slog.DiscardHandler)
	srv := servertest.Start(t, o)
	rep, err := load.Run(context.Background(), load.Options{
		Host:       "127.0.0.1",
		Consoles:   consoles(srv)[:1],
		Clients:    8,
		Slow:       1,
		Duration:   5 * time.Second,
		RelayRate:  250,
		RelayBytes: 1020,
		Settle:     10 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.SlowDropped != 1 || rep.ErrorCount() != 0 || rep.RelayReceived == 0 {
		t.Errorf("want the slow bot dropped, traffic and no errors; got %d dropped, %d received, errors %v",
			rep.SlowDropped, rep.RelayReceived, rep.Errors)
	}
}
