package client

import (
	"bytes"
	"slices"
	"strings"

	"github.com/psobox/psobox/gameserver/wire"
)

// QuestFile is one file of an online quest as the server sent it (44 then
// 13 chunks): still PRS-compressed, exactly as received.
type QuestFile struct {
	Name string
	Size uint32
	Data []byte
}

func (f *QuestFile) complete() bool { return uint32(len(f.Data)) >= f.Size }

// questLoad follows one online quest download. V3 consoles acknowledge
// every 44 and 13, report readiness with AC once all files are in, and
// start when the server's AC (the barrier) has arrived too.
type questLoad struct {
	files    []*QuestFile
	serverAC bool // the server's barrier arrived
	readyAC  bool // this client said it is ready
}

func (q *questLoad) file(name string) *QuestFile {
	i := slices.IndexFunc(q.files, func(f *QuestFile) bool { return f.Name == name })
	if i < 0 {
		return nil
	}
	return q.files[i]
}

// complete: an online quest is its script (.bin) and its map data (.dat),
// and a console waits for both before it reports ready.
func (q *questLoad) complete() bool {
	has := func(ext string) bool {
		return slices.ContainsFunc(q.files, func(f *QuestFile) bool { return strings.HasSuffix(f.Name, ext) })
	}
	incomplete := slices.ContainsFunc(q.files, func(f *QuestFile) bool { return !f.complete() })
	return has(".bin") && has(".dat") && !incomplete
}

// readerState is what only the reader goroutine touches.
type readerState struct {
	guildCard    uint32 // noGuildCard until 04
	clientConfig [0x20]byte
	quest        questLoad
	game         gameLoad
}

func onOpenQuestFile(c *Client, r *Received) error {
	m, ok := r.Msg.(*wire.OpenFile)
	if !ok {
		return badCommand(r)
	}
	q := &c.rs.quest
	if q.readyAC || q.complete() {
		*q = questLoad{} // a new download
	}
	name := m.FilenameString()
	q.files = append(q.files, &QuestFile{Name: name, Size: m.FileSize})
	c.info("quest file %s (%d bytes) opened", name, m.FileSize)
	if !c.cfg.Version.IsV3() {
		return nil
	}
	return c.Send(&wire.FileConfirm{Cmd: 0x44, Flag: m.Flag, Filename: confirmName(name)})
}

// onQuestChunk stores a 13. A V3 console that now has every file reports
// ready (AC) before it acknowledges the last chunk, as the real ones do.
func onQuestChunk(c *Client, r *Received) error {
	m, ok := r.Msg.(*wire.WriteFile)
	if !ok {
		return badCommand(r)
	}
	q := &c.rs.quest
	name := string(bytes.TrimRight(m.Filename[:], "\x00"))
	f := q.file(name)
	if f == nil {
		c.info("ignoring a chunk of %q, a file the server never opened", name)
		return nil
	}
	f.Data = append(f.Data, m.Data[:m.DataSize]...)
	if !c.cfg.Version.IsV3() { // v1/v2 consoles neither acknowledge nor wait for a barrier
		if q.complete() {
			return c.startQuest()
		}
		return nil
	}
	return c.acknowledgeChunk(m)
}

// acknowledgeChunk is what a V3 console does with each chunk.
func (c *Client) acknowledgeChunk(m *wire.WriteFile) error {
	q := &c.rs.quest
	if q.complete() && !q.readyAC {
		q.readyAC = true
		if err := c.Send(&wire.Empty{Cmd: 0xAC}); err != nil {
			return err
		}
	}
	if err := c.Send(&wire.FileConfirm{Cmd: 0x13, Flag: m.Flag, Filename: m.Filename}); err != nil {
		return err
	}
	if q.readyAC && q.serverAC {
		return c.startQuest()
	}
	return nil
}

// onQuestBarrier is the server's AC: every player is ready.
func onQuestBarrier(c *Client, _ *Received) error {
	q := &c.rs.quest
	q.serverAC = true
	if q.readyAC {
		return c.startQuest()
	}
	return nil
}

// startQuest runs a fully loaded quest. A quest sent before the client is in
// any lobby is the server's patch-enabling quest (newserv sends one to GC
// Plus and Episode III during login): the console runs it and leaves the
// pseudo-game at once, saving its character (98), starting Episode III's
// meseta (BA) and asking for a lobby (84). Quests in games are left to the
// scripts that asked for them.
func (c *Client) startQuest() error {
	q := &c.rs.quest
	files := q.files
	*q = questLoad{}
	c.update(func(s *sharedState) { s.quest = files })
	c.info("quest loaded (%d files)", len(files))
	if c.phase() == PhaseInLobby {
		return nil
	}
	if err := c.Send(c.player.CharacterData(c.cfg.Version, 0x98)); err != nil {
		return err
	}
	if c.cfg.Version.IsEp3() {
		if err := c.Send(&wire.MesetaTransaction{Flag: 1}); err != nil {
			return err
		}
	}
	return c.Send(&wire.MenuItemRef{Cmd: 0x84})
}

// LastQuest returns the files of the last quest the client finished loading.
func (c *Client) LastQuest() []QuestFile {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]QuestFile, len(c.sh.quest))
	for i, f := range c.sh.quest {
		out[i] = QuestFile{Name: f.Name, Size: f.Size, Data: slices.Clone(f.Data)}
	}
	return out
}

func confirmName(name string) (b [0x10]byte) { copy(b[:], name); return b }
