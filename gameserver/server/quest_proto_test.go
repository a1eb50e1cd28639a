package server_test

import (
	"testing"

	"github.com/psobox/psobox/gameserver/wire"
)

// questFiles tracks what a raw test client received of a quest.
type questFiles struct {
	sizes map[string]uint32
	got   map[string]int
	// received counts chunks.
	received int
	// inFlight are the chunks received and not acknowledged, in order.
	inFlight []wire.WriteFile
}

// chooseQuest has c open the quest menu and pick quest n from the first
// category.
func (c *testClient) chooseQuest(n uint32) {
	c.t.Helper()
	c.sendMsg(&wire.Empty{Cmd: 0xA2})
	cats := c.questMenu()
	c.sendMsg(&wire.MenuSelection{MenuID: cats.Entries[0].MenuID, ItemID: cats.Entries[0].ItemID})
	for _, e := range c.questMenu().Entries {
		if e.ItemID == n {
			c.sendMsg(&wire.MenuSelection{MenuID: e.MenuID, ItemID: e.ItemID})
			return
		}
	}
	c.t.Fatalf("quest %d not listed", n)
}

func (c *testClient) questMenu() *wire.QuestMenu {
	c.t.Helper()
	r := c.until(0xA2)
	var m wire.QuestMenu
	if err := wire.DecodeInto(c.v, r.Header, r.Payload, &m); err != nil {
		c.t.Fatal(err)
	}
	return &m
}

// openFiles reads the two open-file commands (44) of an online quest.
func (c *testClient) openFiles() *questFiles {
	c.t.Helper()
	q := &questFiles{sizes: map[string]uint32{}, got: map[string]int{}}
	for range 2 {
		r := c.until(0x44)
		var m wire.OpenFile
		if err := wire.DecodeInto(c.v, r.Header, r.Payload, &m); err != nil {
			c.t.Fatal(err)
		}
		q.sizes[m.FilenameString()] = m.FileSize
	}
	return q
}

// chunks reads n chunks (13).
func (c *testClient) chunks(q *questFiles, n int) {
	c.t.Helper()
	for range n {
		r := c.expect(0x13)
		var m wire.WriteFile
		if err := wire.DecodeInto(c.v, r.Header, r.Payload, &m); err != nil {
			c.t.Fatal(err)
		}
		q.got[cString(m.Filename[:])] += int(m.DataSize)
		q.inFlight = append(q.inFlight, m)
		q.received++
	}
}

// ackFirst acknowledges the oldest chunk in flight.
func (c *testClient) ackFirst(q *questFiles) {
	c.t.Helper()
	m := q.inFlight[0]
	q.inFlight = q.inFlight[1:]
	c.sendMsg(&wire.FileConfirm{Cmd: 0x13, Flag: m.Flag, Filename: m.Filename})
}

// chunkTotal is the number of chunks the files take.
func (q *questFiles) chunkTotal() int {
	n := 0
	for _, size := range q.sizes {
		n += int(size+0x3FF) / 0x400
	}
	return n
}

// loadRest acknowledges chunk after chunk, reading the one each
// acknowledgement lets the server send, until every chunk came; then it
// acknowledges the last ones.
func (c *testClient) loadRest(q *questFiles) {
	c.t.Helper()
	for q.received < q.chunkTotal() {
		c.ackFirst(q)
		c.chunks(q, 1)
	}
	for len(q.inFlight) > 0 {
		c.ackFirst(q)
	}
}

func cString(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}

// A GameCube never has more than four quest chunks unacknowledged: the
// server sends four, waits, and sends one more per acknowledgement until
// both files are complete. Acknowledgements out of phase (a chunk acked
// twice, one never sent, a file never opened) are dropped without harm.
// The barrier (AC) holds the first player ready until the second is.
func TestQuestWindowAndBarrier(t *testing.T) {
	srv := questServer(t, questDir(t))
	a, b := twoInAGame(t, srv)
	a.chooseQuest(fixtureQuest)
	qa, qb := a.openFiles(), b.openFiles()
	a.sendMsg(&wire.FileConfirm{Cmd: 0x44, Filename: name16("quest58.bin")})
	a.chunks(qa, 4)
	a.quiet("four chunks unacknowledged")
	first := qa.inFlight[0]
	a.ackFirst(qa)
	a.chunks(qa, 1)
	a.quiet("one chunk per acknowledgement")

	a.sendMsg(&wire.FileConfirm{Cmd: 0x13, Flag: first.Flag, Filename: first.Filename})     // twice
	a.sendMsg(&wire.FileConfirm{Cmd: 0x13, Flag: 200, Filename: first.Filename})            // never sent
	a.sendMsg(&wire.FileConfirm{Cmd: 0x13, Flag: 0, Filename: name16("quest99.dat")})       // never opened
	a.sendMsg(&wire.FileConfirm{Cmd: 0xA7, Flag: first.Flag + 1, Filename: first.Filename}) // a download's
	a.quiet("acknowledgements out of phase")

	a.loadRest(qa)
	a.sendMsg(&wire.Empty{Cmd: 0xAC})
	a.quiet("Alice is ready, Bob is not: no barrier yet")
	b.chunks(qb, 4)
	b.loadRest(qb)
	b.sendMsg(&wire.Empty{Cmd: 0xAC})
	a.until(0xAC)
	b.until(0xAC)
	for name, q := range map[string]*questFiles{"Alice": qa, "Bob": qb} {
		for file, size := range q.sizes {
			if uint32(q.got[file]) != size {
				t.Errorf("%s: %s: got %d bytes of %d", name, file, q.got[file], size)
			}
		}
	}
}

// A player who leaves while the others wait at the barrier does not hold
// them: the barrier opens without it. AC and chunk acknowledgements when
// no quest is loading are ignored.
func TestQuestBarrierWithoutTheLeaver(t *testing.T) {
	srv := questServer(t, questDir(t))
	a, b := twoInAGame(t, srv)
	a.sendMsg(&wire.Empty{Cmd: 0xAC})
	a.sendMsg(&wire.FileConfirm{Cmd: 0x13, Filename: name16("quest58.bin")})
	a.quiet("AC and 13 with no quest")
	a.chooseQuest(fixtureQuest)
	qa := a.openFiles()
	b.openFiles()
	a.chunks(qa, 4)
	a.loadRest(qa)
	a.sendMsg(&wire.Empty{Cmd: 0xAC})
	a.quiet("Bob still loading")
	b.sendMsg(testPlayer("Bob").CharacterData(wire.GCV3, 0x98))
	a.until(0xAC)
}

func name16(s string) (b [0x10]byte) { copy(b[:], s); return b }
