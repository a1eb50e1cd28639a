package replay

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/psobox/psobox/gameserver/client"
	"github.com/psobox/psobox/gameserver/sessionlog"
	"github.com/psobox/psobox/gameserver/wire"
)

// event makes a recorded command of version v.
func event(t *testing.T, kind sessionlog.Kind, v wire.Version, m wire.Msg) sessionlog.Event {
	t.Helper()
	payload, flag, err := wire.AppendPayload(nil, v, m)
	if err != nil {
		t.Fatal(err)
	}
	hf := v.HeaderFormat()
	data, _ := hf.Append(nil, wire.Header{Command: m.Command(), Flag: flag, Size: uint16(hf.Len() + len(payload))})
	return sessionlog.Event{Kind: kind, Version: v, Command: m.Command(), Flag: flag, Data: append(data, payload...)}
}

func live(t *testing.T, v wire.Version, m wire.Msg) client.Received {
	t.Helper()
	ev := event(t, sessionlog.FromServer, v, m)
	h, payload, _ := command(ev)
	return client.Received{Header: h, Payload: payload}
}

func learnPair(t *testing.T, e *echoes, v wire.Version, rec, got wire.Msg) {
	t.Helper()
	ev := event(t, sessionlog.FromServer, v, rec)
	h, payload, _ := command(ev)
	e.learn(ev, h, payload, live(t, v, got), v)
}

func menu(cmd uint16, ids ...uint32) *wire.Menu {
	m := &wire.Menu{Cmd: cmd}
	for i := 0; i < len(ids); i += 2 {
		m.Items = append(m.Items, wire.MenuItem{MenuID: ids[i], ItemID: ids[i+1]})
	}
	return m
}

// What the recorded server chose and the client echoed is rewritten to
// what the live server chose: menu items by position, the lobby list, the
// guild card number and the client config wherever they appear.
func TestEchoesRewriteServerChosenValues(t *testing.T) {
	v := wire.GCV3
	e := newEchoes(true)
	learnPair(t, e, v, menu(0x07, 1, 0, 0x11000011, 0x11222211, 0x11000011, 0x11333311),
		menu(0x07, 1, 0, 0x22000022, 0x22000001, 0x22000022, 0x22000002))
	learnPair(t, e, v, &wire.LobbyList{Entries: []wire.LobbyListEntry{{MenuID: 0x33000033, ItemID: 1}, {MenuID: 0x33000033, ItemID: 2}}},
		&wire.LobbyList{Entries: []wire.LobbyListEntry{{MenuID: 0x44, ItemID: 7}, {MenuID: 0x44, ItemID: 8}}})
	recCfg := &wire.UpdateClientConfig{GuildCard: 42000001}
	recCfg.Config[0], recCfg.Config[0x1F] = 0xAB, 0xCD
	learnPair(t, e, v, recCfg, &wire.UpdateClientConfig{GuildCard: 10000009})

	choose := event(t, sessionlog.FromClient, v, &wire.MenuSelection{MenuID: 0x11000011, ItemID: 0x11333311})
	h, payload, _ := command(choose)
	var got wire.MenuSelection
	if err := wire.DecodeInto(v, h, e.rewrite(choose, h, payload), &got); err != nil || got.MenuID != 0x22000022 || got.ItemID != 0x22000002 {
		t.Errorf("menu choice rewritten to %+v (%v)", got, err)
	}
	lobby := event(t, sessionlog.FromClient, v, &wire.MenuItemRef{Cmd: 0x84, MenuID: 0x33000033, ItemID: 2})
	h, payload, _ = command(lobby)
	var ref wire.MenuItemRef
	if err := wire.DecodeInto(v, h, e.rewrite(lobby, h, payload), &ref); err != nil || ref.MenuID != 0x44 || ref.ItemID != 8 {
		t.Errorf("lobby choice rewritten to %+v (%v)", ref, err)
	}

	login := &wire.LoginWithConfig{}
	login.GuildCard = 42000001
	copy(login.ClientConfig[:], recCfg.Config[:0x20])
	ev := event(t, sessionlog.FromClient, v, login)
	h, payload, _ = command(ev)
	var again wire.LoginWithConfig
	if err := wire.DecodeInto(v, h, e.rewrite(ev, h, payload), &again); err != nil {
		t.Fatal(err)
	}
	if again.GuildCard != 10000009 || !bytes.Equal(again.ClientConfig[:], make([]byte, 0x20)) {
		t.Errorf("9E rewritten with guild card %d, config %X", again.GuildCard, again.ClientConfig)
	}
}

// Credentials become the run's own, the same wherever they repeat, unless
// kept.
func TestEchoesSubstituteCredentials(t *testing.T) {
	v := wire.GCV3
	db := &wire.VerifyAccount{}
	copy(db.Serial[:], "1705B11E")
	copy(db.Serial2[:], "1705B11E")
	copy(db.AccessKey[:], "145756008422")
	ev := event(t, sessionlog.FromClient, v, db)
	h, payload, _ := command(ev)
	for _, keep := range []bool{false, true} {
		out := newEchoes(keep).rewrite(ev, h, payload)
		var m wire.VerifyAccount
		if err := wire.DecodeInto(v, h, out, &m); err != nil {
			t.Fatal(err)
		}
		same := m.SerialNumber() == "1705B11E"
		if same != keep || m.SerialNumber() != string(bytes.TrimRight(m.Serial2[:], "\x00")) || len(m.AccessKeyString()) != 12 {
			t.Errorf("keep=%v: serial %q and %q, access key %q", keep, m.SerialNumber(), m.Serial2, m.AccessKeyString())
		}
	}
}

func TestConnectionsSplitsALog(t *testing.T) {
	cmd := func(kind sessionlog.Kind, client string, line int, v wire.Version, b ...byte) sessionlog.Event {
		return sessionlog.Event{Kind: kind, Client: client, Line: line, Version: v, Data: b}
	}
	events := []sessionlog.Event{
		cmd(sessionlog.FromServer, "C-0", 1, wire.GCV3, 0x17, 0, 4, 0), // no connect line: not replayable
		{Kind: sessionlog.Connect, Client: "C-1", Line: 2, Port: 9200, Version: wire.GCV3},
		cmd(sessionlog.FromServer, "C-1", 3, wire.GCV3, 0x17, 0, 4, 0),
		cmd(sessionlog.FromClient, "C-1", 4, wire.DCV2, 0x9A, 0, 4, 0),
		{Kind: sessionlog.Disconnect, Client: "C-1", Line: 5},
	}
	got := Connections(events)
	want := []*Connection{{Client: "C-1", Line: 2, Port: 9200, Version: wire.DCV2, Commands: events[2:4], Ended: true}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
