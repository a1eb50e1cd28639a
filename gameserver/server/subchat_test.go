package server_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/gameserver/client"
	"github.com/psobox/psobox/gameserver/wire"
)

// roomOfEveryVersion is one lobby with a bot of each console version.
var roomOfEveryVersion = []wire.Version{wire.DCNTE, wire.DCV1, wire.DCV2, wire.PCV2, wire.GCV3, wire.GCEp3, wire.XBV3}

// TestSymbolChatAndWordSelectMatrix: symbol chat reaches every version as
// sent; word select reaches only the versions sharing the sender's phrase
// table, re-encoded in each receiver's byte order.
func TestSymbolChatAndWordSelectMatrix(t *testing.T) {
	srv := socialServer(t, nil)
	ctx := testCtx(t)
	bots := map[wire.Version]*client.Client{}
	for _, v := range roomOfEveryVersion {
		bots[v] = bot(t, ctx, srv, v, v.String()[:min(len(v.String()), 10)], "en")
	}
	if _, err := bots[wire.GCEp3].ChangeLobby(ctx, 1); err != nil { // from its CARD lobby
		t.Fatal(err)
	}
	waitRoster(t, ctx, bots[wire.DCNTE], len(roomOfEveryVersion))

	pc := bots[wire.PCV2]
	symbol := &wire.SubSymbolChat{ClientID: uint32(pc.CurrentLobby().ClientID)}
	for i := range symbol.Data {
		symbol.Data[i] = byte(i)
	}
	sendSub(t, pc, symbol)
	for _, v := range roomOfEveryVersion {
		if v != wire.PCV2 {
			got := expectSub(t, ctx, bots[v], 0x07)
			if diff := cmp.Diff(symbol, got); diff != "" {
				t.Errorf("symbol chat to %v (-want +got):\n%s", v, diff)
			}
		}
	}

	for _, tc := range []struct {
		from wire.Version
		to   []wire.Version
	}{
		{wire.GCV3, []wire.Version{wire.GCEp3, wire.XBV3}},
		{wire.XBV3, []wire.Version{wire.GCV3, wire.GCEp3}},
		{wire.DCV2, []wire.Version{wire.DCV1}},
		{wire.PCV2, nil},
	} {
		checkWordSelect(t, ctx, bots, tc.from, tc.to)
	}
}

// checkWordSelect sends a word select from one version and checks who
// receives it.
func checkWordSelect(t *testing.T, ctx context.Context, bots map[wire.Version]*client.Client, from wire.Version, to []wire.Version) {
	sender := bots[from]
	slot := uint16(sender.CurrentLobby().ClientID)
	ws := &wire.SubWordSelect{NumTokens: 3, TargetType: 1, Tokens: [8]uint16{0x10, 0x22, 0x1FF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF}, NumericParam: 7}
	ws.Param = paramFor(from, slot)
	sendSub(t, sender, ws)
	for _, v := range to {
		got := expectSub(t, ctx, bots[v], 0x74).(*wire.SubWordSelect)
		want := *ws
		want.Param = paramFor(v, slot)
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("word select %v -> %v (-want +got):\n%s", from, v, diff)
		}
	}
	var wg sync.WaitGroup
	for v, c := range bots {
		if v != from && !contains(to, v) {
			wg.Go(func() { noCommand(t, c, 0x60, "word select from "+from.String()) })
		}
	}
	wg.Wait()
}

// paramFor is a client ID as a version sends it in a word select header
// (GameCube: big-endian).
func paramFor(v wire.Version, slot uint16) uint16 {
	if v.IsGC() {
		return slot << 8
	}
	return slot
}

func contains(vs []wire.Version, v wire.Version) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

// TestMalformedSymbolChatDropsOnlySender: a 6x07 of the wrong size ends
// the sender's session; one naming another client ID is dropped and the
// sender stays.
func TestMalformedSymbolChatDropsOnlySender(t *testing.T) {
	srv := socialServer(t, nil)
	ctx := testCtx(t)
	a := bot(t, ctx, srv, wire.GCV3, "Good", "en")
	b := bot(t, ctx, srv, wire.DCV2, "Bad", "en")
	waitRoster(t, ctx, a, 2)
	forged := &wire.SubSymbolChat{ClientID: uint32(a.CurrentLobby().ClientID)}
	sendSub(t, b, forged)
	noCommand(t, a, 0x60, "symbol chat with another player's client ID")
	if b.Err() != nil {
		t.Fatalf("a forged client ID dropped the sender: %v", b.Err())
	}
	b.SendRaw(0x60, 0, []byte{0x07, 0x02, 0, 0, 0, 0, 0, 0})
	waitRoster(t, ctx, a, 1)
	ws := []byte{0x74, 0x02, 0, 0, 0, 0, 0, 0}
	a.SendRaw(0x60, 0, ws)
	if _, err := a.Next(ctx); err == nil {
		for a.Err() == nil && ctx.Err() == nil {
			time.Sleep(2 * time.Millisecond)
		}
	}
	if a.Err() == nil {
		t.Error("a short word select did not end the sender's session")
	}
	waitPlayers(t, ctx, srv, 0)
}

// sendSub sends one subcommand in a 60 in the bot's layout.
func sendSub(t *testing.T, c *client.Client, m wire.SubMsg) {
	t.Helper()
	data, err := wire.AppendSubcommand(nil, c.Version(), m)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SendRaw(0x60, 0, data); err != nil {
		t.Fatal(err)
	}
}

// expectSub waits for a 60 and decodes its subcommand, which must be num.
func expectSub(t *testing.T, ctx context.Context, c *client.Client, num uint8) wire.SubMsg {
	t.Helper()
	r, err := c.Expect(ctx, 0x60)
	if err != nil {
		t.Fatalf("%v waiting for 6x%02X: %v", c.Version(), num, err)
	}
	sub, _, err := wire.NextSubcommand(r.Payload)
	if err != nil {
		t.Fatal(err)
	}
	m, err := wire.DecodeSubcommand(c.Version(), sub)
	if err != nil || m.SubNumber() != num {
		t.Fatalf("%v received %X (%v), want 6x%02X", c.Version(), r.Payload, err, num)
	}
	return m
}

// noCommand checks that cmd does not arrive within a short time.
func noCommand(t *testing.T, c *client.Client, cmd uint16, what string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if r, err := c.Expect(ctx, cmd); err == nil {
		t.Errorf("%v received %s: %X", c.Version(), what, r.Payload)
	}
}
