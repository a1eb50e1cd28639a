package wire_test

import (
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/psobox/psobox/gameserver/sessionlog"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
	"github.com/psobox/psobox/internal/testenv"
)

// TestPlayersMatchRosters reads every player's data (61/98) in the logs and
// checks that each name the server later put in a roster (64/65/67/68, in
// the receiver's layout) is the name of one of those players.
func TestPlayersMatchRosters(t *testing.T) {
	dir := testenv.FixturesDir(t, "pso-sessions")
	files, _ := filepath.Glob(filepath.Join(dir, "*.test.txt"))
	for _, file := range files {
		players, rosterNames := map[string]wire.Version{}, map[string]wire.Version{}
		for _, ev := range readEvents(t, file) {
			collectNames(t, ev, players, rosterNames)
		}
		for name, v := range rosterNames {
			if _, ok := players[name]; !ok {
				t.Errorf("%s: roster name %q (sent to %s) is no player's name; players: %v", filepath.Base(file), name, v, keys(players))
			}
		}
		if len(players) == 0 || len(rosterNames) == 0 {
			t.Errorf("%s: %d players, %d roster names", filepath.Base(file), len(players), len(rosterNames))
		}
	}
}

func collectNames(t *testing.T, ev sessionlog.Event, players, rosters map[string]wire.Version) {
	if ev.Kind != sessionlog.FromClient && ev.Kind != sessionlog.FromServer {
		return
	}
	v := ev.Version
	h, _ := v.HeaderFormat().Decode(ev.Data)
	dir := wire.ServerToClient
	if ev.Kind == sessionlog.FromClient {
		dir = wire.ClientToServer
	}
	m, err := wire.Decode(v, dir, h, ev.Data[v.HeaderFormat().Len():])
	if err != nil {
		return
	}
	switch m := m.(type) {
	case *wire.CharacterData:
		p := m.Player(v, 1)
		if p.Name == "" || p.Level > 199 || p.SectionID > 9 {
			t.Errorf("%s 61 at line %d: implausible player %+v", v, ev.Line, p)
		}
		players[p.Name] = v
	case *wire.JoinLobby:
		for _, e := range m.Entries {
			rosters[e.Lobby.NameString(v, e.Inventory.Language())] = v
		}
	}
}

func keys(m map[string]wire.Version) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestPlayerExportsToEveryRoster(t *testing.T) {
	p := goldenPlayer()
	p.Disp[0x18] = 41 // level 42
	for _, v := range []wire.Version{wire.DCNTE, wire.DCV1, wire.DCV2, wire.PCV2, wire.GCNTE, wire.GCV3, wire.GCEp3, wire.XBV3, wire.BBV4} {
		e := p.LobbyEntry(v, 3, [4]byte{10, 0, 0, 9})
		msg := &wire.JoinLobby{Cmd: 0x68, Entries: []wire.LobbyEntry{e}}
		h, payload, err := wire.Encode(v, msg)
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		m, err := wire.Decode(v, wire.ServerToClient, h, payload)
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		got := m.(*wire.JoinLobby).Entries[0]
		if name := got.Lobby.NameString(v, text.English); name != "Tali" || got.Lobby.ClientID != 3 || got.Lobby.GuildCard != p.GuildCard {
			t.Errorf("%s: roster entry %q client %d card %d", v, name, got.Lobby.ClientID, got.Lobby.GuildCard)
		}
		level := got.Disp.Level()
		if v == wire.BBV4 {
			level = got.DispBB.Level()
			if got.DispBB.Name() != "Tali" {
				t.Errorf("BB disp name %q", got.DispBB.Name())
			}
		}
		if level != 41 {
			t.Errorf("%s: level %d", v, level)
		}
	}
}

func TestDispConversionRoundTrip(t *testing.T) {
	var d wire.DispV123
	for i := range d {
		d[i] = byte(i*7 + 1)
	}
	copy(d[0x24:0x34], "Hunter\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")
	v4 := d.ToV4(text.English)
	back := v4.ToV123(text.English)
	if diff := cmp.Diff(d, back); diff != "" {
		t.Errorf("V123 -> V4 -> V123 (-want +got):\n%s", diff)
	}
	if v4.Name() != "Hunter" || v4.SectionID() != d.SectionID() || v4.Class() != d.Class() {
		t.Errorf("V4 name %q section %d class %d", v4.Name(), v4.SectionID(), v4.Class())
	}
}

func TestCharacterDataExport(t *testing.T) {
	p := goldenPlayer()
	p.InfoBoard, p.AutoReply = "hi there", "away"
	for _, v := range []wire.Version{wire.DCV1, wire.DCV2, wire.PCV2, wire.GCNTE, wire.GCV3, wire.GCEp3, wire.XBV3, wire.BBV4} {
		h, payload, err := wire.Encode(v, p.CharacterData(v, 0x61))
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		m, err := wire.Decode(v, wire.ClientToServer, h, payload)
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		got := m.(*wire.CharacterData).Player(v, p.GuildCard)
		if got.Name != p.Name || got.SectionID != p.SectionID || got.Class != p.Class {
			t.Errorf("%s: player %q section %d class %d", v, got.Name, got.SectionID, got.Class)
		}
		if v.IsV3() && got.InfoBoard != p.InfoBoard {
			t.Errorf("%s: info board %q", v, got.InfoBoard)
		}
		if !v.IsV1() && v != wire.DCV2 && got.AutoReply != p.AutoReply {
			t.Errorf("%s: auto reply %q", v, got.AutoReply)
		}
	}
}
