package wire_test

import (
	"bytes"
	"encoding/hex"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// goldenPlayer is a made-up character used to build rosters.
func goldenPlayer() wire.Player {
	p := wire.Player{GuildCard: 42000001, Name: "Tali", Language: text.English, SectionID: 5, Class: 2}
	p.Inventory[3] = byte(text.English)
	copy(p.Disp[0x24:], "Tali")
	p.Disp[0x54], p.Disp[0x55] = 5, 2
	return p
}

type goldenCase struct {
	name string
	dir  wire.Direction
	msg  wire.Msg
}

func goldenCases(t *testing.T, v wire.Version) []goldenCase {
	p := goldenPlayer()
	lang := text.English
	menu := &wire.Menu{Cmd: 0x07, Items: make([]wire.MenuItem, 2)}
	menu.Items[0].SetName(v, "psobox", lang)
	menu.Items[1] = wire.MenuItem{MenuID: 1, ItemID: 2}
	menu.Items[1].SetName(v, "BLOCK01", lang)
	createCmd := uint16(0xC1)
	if v.IsV1() {
		createCmd = 0x0C
	}
	create := &wire.CreateGame{Cmd: createCmd, Difficulty: 3, Episode: 1}
	create.SetName(v, "LAN party", lang)
	create.SetPassword(v, "pw", lang)
	mail := &wire.SimpleMail{PlayerTag: 0x00010000, FromCard: 42000001, ToCard: 42000002}
	mail.SetFromName(v, "Tali", lang)
	mail.SetText(v, "see you in lobby 3", lang)
	card, err := wire.AppendSubcommand(nil, v, &wire.SubGuildCard{Card: wire.NewGuildCard(v, wire.GuildCardInfo{
		Number: 42000001, Name: "Tali", Description: "hello", Language: lang, SectionID: 5, Class: 2})})
	if err != nil {
		t.Fatal(err)
	}
	game := &wire.JoinGame{Flag: 1, ClientID: 0, LeaderID: 0, DisableUDP: 1, Difficulty: 3, SectionID: 5, RandomSeed: 0x12345678, Episode: 1}
	game.Players[0] = p.LobbyEntry(v, 0, [4]byte{10, 0, 0, 2}).Lobby
	game.HasEp3Players = v.IsEp3()
	var init wire.Msg = wire.NewServerInit(0x17, 0x11223344, 0x55667788)
	if v == wire.BBV4 {
		init = wire.NewServerInitBB(0x03, [0x30]byte{1, 2, 3}, [0x30]byte{4, 5, 6})
	}
	return []goldenCase{
		{"server init", wire.ServerToClient, init},
		{"9A licence ok", wire.ServerToClient, &wire.Empty{Cmd: 0x9A, Flag: wire.LicenseOKSave}},
		{"04 client config", wire.ServerToClient, &wire.UpdateClientConfig{PlayerTag: 0x00010000, GuildCard: 42000001}},
		{"B1 server time", wire.ServerToClient, wire.NewServerTime("2025:05:22: 20:15:50.000")},
		{"07 ship menu", wire.ServerToClient, menu},
		{"83 lobby list", wire.ServerToClient, &wire.LobbyList{Entries: []wire.LobbyListEntry{{MenuID: 0x11, ItemID: 1}, {MenuID: 0x11, ItemID: 2}}}},
		{"06 chat", wire.ServerToClient, wire.NewTextMessage(0x06, v, 42000001, "hello", lang)},
		{"67 join lobby", wire.ServerToClient, &wire.JoinLobby{Cmd: 0x67, DisableUDP: 1, LobbyNumber: 2, BlockNumber: 1, Entries: []wire.LobbyEntry{p.LobbyEntry(v, 0, [4]byte{10, 0, 0, 2})}}},
		{"64 join game", wire.ServerToClient, game},
		{"create game", wire.ClientToServer, create},
		{"81 simple mail", wire.ClientToServer, mail},
		{"62 guild card", wire.ClientToServer, &wire.GameCommand{Cmd: 0x62, Flag: 1, Data: card}},
		{"19 reconnect", wire.ServerToClient, wire.NewReconnect(netip.MustParseAddrPort("10.0.0.1:9300"))},
	}
}

// TestGolden encodes a few commands per version from Go values and compares
// them with testdata/golden (go test -update rewrites the files).
func TestGolden(t *testing.T) {
	for _, v := range []wire.Version{wire.DCNTE, wire.DCV1, wire.DCV2, wire.PCV2, wire.GCNTE, wire.GCV3, wire.GCEp3, wire.XBV3, wire.BBV4} {
		var out bytes.Buffer
		for _, gc := range goldenCases(t, v) {
			h, payload, err := wire.Encode(v, gc.msg)
			if err != nil {
				t.Fatalf("%s %s: %v", v, gc.name, err)
			}
			if _, err := wire.Decode(v, gc.dir, h, payload); err != nil {
				t.Errorf("%s %s: our own encoding does not decode: %v", v, gc.name, err)
			}
			fmt.Fprintf(&out, "## %s: command %02X flag %X\n%s", gc.name, h.Command, h.Flag, hex.Dump(payload))
		}
		compareGolden(t, filepath.Join("testdata", "golden", v.String()+".golden"), out.Bytes())
	}
}

func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the encoding (go test -update rewrites it after review):\n%s", path, got)
	}
}
