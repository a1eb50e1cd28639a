package client

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/psobox/psobox/gameserver/sessionlog"
	"github.com/psobox/psobox/gameserver/sessionlog/sessionlogtest"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/internal/testenv"
)

// fixtureCase is one real client of the recorded sessions that psobot
// imitates.
type fixtureCase struct {
	name   string
	file   string
	client string // the client's ID in the log
	cfg    Config
	// split: the real client first met the PC/console split on port 9100.
	split bool
	// menuOnly: after the main menu the player browsed other menus, which a
	// bot does not do, so the comparison stops at the first main menu.
	menuOnly bool
}

var fixtureCases = []fixtureCase{
	{name: "dcnte", file: "DC-NTE-GameSmokeTest", client: "C-1", cfg: Config{Version: wire.DCNTE}},
	{name: "dcv1", file: "DCv1-DCv2-PCv2-CrossplayPrivateDrops", client: "C-3", cfg: Config{Version: wire.DCV1}},
	{name: "dcv2", file: "DCv1-DCv2-PCv2-CrossplayPrivateDrops", client: "C-2", cfg: Config{Version: wire.DCV2}},
	{name: "pc", file: "DCv1-DCv2-PCv2-CrossplayPrivateDrops", client: "C-1", cfg: Config{Version: wire.PCV2}, split: true},
	{name: "pc-2", file: "GC-HeartSymbol", client: "C-2", cfg: Config{Version: wire.PCV2}},
	{name: "gc", file: "GC-HeartSymbol", client: "C-1", cfg: Config{Version: wire.GCV3, SubVersion: 0x35}},
	{name: "gc-split", file: "XB-GC-EnemyDamageSyncSwitch", client: "C-2", cfg: Config{Version: wire.GCV3}, split: true},
	{name: "gc-event", file: "GC-CustomizationSegregation", client: "C-4", cfg: Config{Version: wire.GCV3}},
	{name: "gc-menus", file: "GC-JungleGame", client: "C-A", cfg: Config{Version: wire.GCV3}, split: true, menuOnly: true},
	{name: "gcplus-quest", file: "GC-CustomizationSegregation", client: "C-5",
		cfg: Config{Version: wire.GCV3, SubVersion: SubVersionGCPlus}, menuOnly: true},
	{name: "ep3-quest", file: "GCEp3-CardTrade", client: "C-1", cfg: Config{Version: wire.GCEp3}},
	{name: "ep3-quest-2", file: "GCEp3-CardTrade", client: "C-2", cfg: Config{Version: wire.GCEp3}},
	{name: "xb", file: "XB-GC-EnemyDamageSyncSwitch", client: "C-3", cfg: Config{Version: wire.XBV3}},
}

// TestAgainstRealClients replays the server side of each real client's
// session up to its lobby join (or main menu) and checks that psobot sends
// the same commands, with the same sizes, in the same order as the console
// did: the real consoles are the ground truth of the login sequences.
func TestAgainstRealClients(t *testing.T) {
	dir := testenv.FixturesDir(t, "pso-sessions")
	for _, tc := range fixtureCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			script := loginScript(t, filepath.Join(dir, tc.file+".test.txt"), tc.client, tc.cfg.Version, tc.menuOnly)
			srv := newScriptServer(t, tc.cfg.Version, script, tc.split)
			go srv.serve()
			lobby, err := runBot(t, srv, tc)
			close(srv.release)
			<-srv.done
			if diff := cmp.Diff(srv.want, srv.got); diff != "" || srv.err != nil {
				t.Fatalf("psobot's commands differ from the real client's (-real +psobot):\n%s\nreplay: %v", diff, srv.err)
			}
			if err != nil {
				t.Fatalf("psobot: %v", err)
			}
			checkLobby(t, tc, script, lobby)
			t.Logf("%d client commands match the real %s client", len(srv.got), tc.cfg.Version)
		})
	}
}

// runBot logs in against the script server and, unless the case stops at
// the main menu, joins the lobby.
func runBot(t *testing.T, srv *scriptServer, tc fixtureCase) (*Lobby, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cfg := tc.cfg
	cfg.Trace = func(s Step) { t.Logf("%-13s %s", s.Phase, s.Text) }
	c, err := Dial(ctx, srv.addr(), cfg)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if tc.menuOnly {
		return nil, nil
	}
	return c.Lobby(ctx)
}

// loginScript is one client's commands both ways, up to and including the
// server's first 67 (or first 07 when menuOnly).
func loginScript(t *testing.T, file, client string, v wire.Version, menuOnly bool) []sessionlog.Event {
	t.Helper()
	events := sessionlogtest.ReadFile(t, file)
	last := byte(0x67)
	if menuOnly {
		last = 0x07
	}
	var script []sessionlog.Event
	for _, ev := range events {
		if ev.Client != client || (ev.Kind != sessionlog.FromClient && ev.Kind != sessionlog.FromServer) {
			continue
		}
		script = append(script, ev)
		if ev.Kind == sessionlog.FromServer && commandByte(v, ev.Data) == last {
			return script
		}
	}
	t.Fatalf("%s: %s never got command %02X", file, client, last)
	return nil
}

// commandByte reads the command from the recorded bytes (the number in the
// log line is informative only); PC headers put it at offset 2.
func commandByte(v wire.Version, data []byte) byte {
	h, err := v.HeaderFormat().Decode(data)
	if err != nil {
		return 0
	}
	return byte(h.Command)
}

// checkLobby compares the lobby psobot reports with the recorded 67.
func checkLobby(t *testing.T, tc fixtureCase, script []sessionlog.Event, got *Lobby) {
	t.Helper()
	if tc.menuOnly {
		return
	}
	ev := script[len(script)-1]
	hf := tc.cfg.Version.HeaderFormat()
	h, _ := hf.Decode(ev.Data)
	m, err := wire.Decode(tc.cfg.Version, wire.ServerToClient, h, ev.Data[hf.Len():h.Size])
	if err != nil {
		t.Fatal(err)
	}
	want := m.(*wire.JoinLobby)
	if got == nil || got.ClientID != want.ClientID || len(got.Players) != len(want.Entries) {
		t.Fatalf("lobby = %+v, want client %d with %d players", got, want.ClientID, len(want.Entries))
	}
}
