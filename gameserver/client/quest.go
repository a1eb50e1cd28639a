package client

import (
	"bytes"
	"slices"
	"strings"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// QuestFile is one file of a quest as the server sent it (44 then 13
// chunks online, A6 then A7 for a download): still PRS-compressed, and a
// download still in its encrypted form, exactly as received.
type QuestFile struct {
	Name  string
	Title string // the quest's name as the open-file command gave it, without "PSO/"
	Size  uint32
	Type  uint16 // A6 file type: 0 quest, 1 quest and image, 3 Episode III
	Data  []byte
}

func (f *QuestFile) complete() bool { return uint32(len(f.Data)) >= f.Size }

// questLoad follows one quest transfer. V3 consoles acknowledge every
// open and chunk command; for an online quest they report readiness with
// AC once all files are in, and start when the server's AC (the barrier)
// has arrived too.
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

func (q *questLoad) has(ext string) bool {
	return slices.ContainsFunc(q.files, func(f *QuestFile) bool { return strings.HasSuffix(f.Name, ext) })
}

// complete: an online quest is its script (.bin) and its map data (.dat),
// and a console waits for both before it reports ready. A download is
// what its file type says: Episode III's a script alone, type 1 an image
// too.
func (q *questLoad) complete(download bool) bool {
	if len(q.files) == 0 || slices.ContainsFunc(q.files, func(f *QuestFile) bool { return !f.complete() }) {
		return false
	}
	if !download {
		return q.has(".bin") && q.has(".dat")
	}
	switch q.files[0].Type {
	case 3:
		return q.has(".bin")
	case 1:
		return q.has(".bin") && q.has(".dat") && q.has(".pvr")
	}
	return q.has(".bin") && q.has(".dat")
}

// readerState is what only the reader goroutine touches.
type readerState struct {
	guildCard    uint32 // noGuildCard until 04
	clientConfig [0x20]byte
	quest        questLoad
	download     questLoad
	game         gameLoad
}

// onOpenQuestFile is 44 (online) or A6 (download): a file is announced.
func onOpenQuestFile(c *Client, r *Received) error {
	m, ok := r.Msg.(*wire.OpenFile)
	if !ok {
		return badCommand(r)
	}
	download := r.Header.Command == 0xA6
	q := c.load(download)
	if q.readyAC || q.complete(download) {
		*q = questLoad{} // a new transfer
	}
	if len(q.files) == 0 {
		c.acks.reset()
		c.update(func(s *sharedState) { s.qm.questStarted[b2i(download)]++ })
	}
	name := m.FilenameString()
	title := strings.TrimPrefix(text.Decode(c.lang.Charset(), m.Name[:], c.lang), "PSO/")
	q.files = append(q.files, &QuestFile{Name: name, Title: title, Size: m.FileSize, Type: m.Type})
	c.info("quest file %s (%d bytes) opened", name, m.FileSize)
	if !c.cfg.Version.IsV3() {
		return nil
	}
	return c.Send(&wire.FileConfirm{Cmd: r.Header.Command, Flag: m.Flag, Filename: confirmName(name)})
}

func (c *Client) load(download bool) *questLoad {
	if download {
		return &c.rs.download
	}
	return &c.rs.quest
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// onQuestChunk stores a 13 or A7. A V3 console that now has every file of
// an online quest reports ready (AC) before it acknowledges the last
// chunk, as the real ones do.
func onQuestChunk(c *Client, r *Received) error {
	m, ok := r.Msg.(*wire.WriteFile)
	if !ok {
		return badCommand(r)
	}
	download := r.Header.Command == 0xA7
	q := c.load(download)
	name := string(bytes.TrimRight(m.Filename[:], "\x00"))
	f := q.file(name)
	if f == nil {
		c.info("ignoring a chunk of %q, a file the server never opened", name)
		return nil
	}
	f.Data = append(f.Data, m.Data[:m.DataSize]...)
	done := q.complete(download)
	if download && done {
		c.finishDownload()
	}
	if !c.cfg.Version.IsV3() { // v1/v2 consoles neither acknowledge nor wait for a barrier
		if done && !download {
			return c.startQuest()
		}
		return nil
	}
	return c.acknowledgeChunk(r.Header.Command, m, download)
}

// acknowledgeChunk is what a V3 console does with each chunk.
func (c *Client) acknowledgeChunk(cmd uint16, m *wire.WriteFile, download bool) error {
	q := c.load(download)
	if !download && q.complete(false) && !q.readyAC {
		q.readyAC = true
		if err := c.Send(&wire.Empty{Cmd: 0xAC}); err != nil {
			return err
		}
	}
	if err := c.queueAck(&wire.FileConfirm{Cmd: cmd, Flag: m.Flag, Filename: m.Filename}); err != nil {
		return err
	}
	if !download && q.readyAC && q.serverAC {
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
// any lobby or game is the server's patch-enabling quest (newserv sends one
// to GC Plus and Episode III during login): the console runs it and leaves
// the pseudo-game at once, saving its character (98), starting Episode
// III's meseta (BA) and asking for a lobby (84). Quests in games are left
// to the scripts that asked for them.
func (c *Client) startQuest() error {
	q := &c.rs.quest
	files := q.files
	*q = questLoad{}
	var inRoom bool
	c.update(func(s *sharedState) {
		s.quest = files
		s.qm.questLoaded[0] = s.qm.questStarted[0]
		inRoom = s.lobby != nil || s.game != nil
	})
	c.info("quest loaded (%d files)", len(files))
	if inRoom {
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

// finishDownload keeps a complete download for LastDownload.
func (c *Client) finishDownload() {
	files := c.rs.download.files
	c.rs.download = questLoad{}
	c.update(func(s *sharedState) {
		s.qm.download = files
		s.qm.questLoaded[1] = s.qm.questStarted[1]
	})
	c.info("download quest received (%d files)", len(files))
}

// LastQuest returns the files of the last quest the client finished loading.
func (c *Client) LastQuest() []QuestFile { return c.questFiles(false) }

// LastDownload returns the files of the last download quest the client
// received, as sent: in download form (see package quest's DecodeDownload).
func (c *Client) LastDownload() []QuestFile { return c.questFiles(true) }

func (c *Client) questFiles(download bool) []QuestFile {
	c.mu.Lock()
	defer c.mu.Unlock()
	src := c.sh.quest
	if download {
		src = c.sh.qm.download
	}
	out := make([]QuestFile, len(src))
	for i, f := range src {
		out[i] = *f
		out[i].Data = slices.Clone(f.Data)
	}
	return out
}

func confirmName(name string) (b [0x10]byte) { copy(b[:], name); return b }
