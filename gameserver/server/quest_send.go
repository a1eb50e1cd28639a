package server

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/psobox/psobox/gameserver/quest"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// questWindow is how many chunks (13 or A7) may be unacknowledged at once
// on a V3 console: GameCubes crash when quest data comes faster than they
// take it, so the reference server holds back until each chunk is
// acknowledged. psobox counts the window over all the files of a
// transfer, not per file, so a console never has more than this many
// chunks on the way. Versions before V3 do not acknowledge and get every
// chunk at once.
const questWindow = 4

// fileSender sends one client the files of a quest: the open-file
// commands (44 online, A6 download), then the chunks (13, A7) whose flag
// is the chunk index. It is shared: a game's quest starts on the goroutine
// of the player who chose it, and the client's acknowledgements arrive on
// its own session goroutine; mu guards it. Lock order: Game.mu, then mu,
// then the outbox's lock.
type fileSender struct {
	mu       sync.Mutex
	files    []*sendingFile
	window   int  // chunks allowed in flight; 0 = all at once
	download bool // A6/A7 rather than 44/13
	inFlight int
}

// sendingFile is one file of a transfer and how far it got.
type sendingFile struct {
	quest.TransferFile
	name  [0x10]byte // as in the commands, to match acknowledgements
	next  int        // the next chunk to send
	acked []bool     // per chunk; sent chunks below next not acked are in flight
}

// questWindowFor is the window of version v.
func questWindowFor(v wire.Version) int {
	if v.IsV3() || v == wire.BBV4 {
		return questWindow
	}
	return 0
}

// start replaces any transfer in progress with files and sends their
// open-file commands and the first chunks. lang is the quest's: the
// title is written in its character set.
func (s *fileSender) start(c *Client, files []quest.TransferFile, download bool, lang text.Language) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files, s.download, s.inFlight = nil, download, 0
	s.window = questWindowFor(c.Version())
	for _, f := range files {
		sf := &sendingFile{TransferFile: f, acked: make([]bool, f.ChunkCount())}
		copy(sf.name[:], f.Name)
		s.files = append(s.files, sf)
		c.Send(s.openCommand(c.Version(), sf, lang))
	}
	s.fill(c)
}

// openCommand is the 44 or A6 that announces f.
func (s *fileSender) openCommand(v wire.Version, f *sendingFile, lang text.Language) *wire.OpenFile {
	m := &wire.OpenFile{Cmd: 0x44, Type: f.Type, FileSize: uint32(len(f.Data)), ContentMeta: f.XBContentMeta}
	if s.download {
		m.Cmd = 0xA6
	}
	enc := lang.Charset()
	text.Put(m.Name[:], enc, f.Title, lang)
	m.SetFilename(f.Name)
	text.Put(m.XBFilename[:], text.ASCII, f.XBName, text.English)
	if v == wire.BBV4 {
		text.Put(m.BBName[:], enc, f.Title, lang)
	}
	return m
}

// fill sends chunks while the window allows, file after file; s.mu is
// held.
func (s *fileSender) fill(c *Client) {
	for _, f := range s.files {
		for f.next < len(f.acked) {
			if s.window > 0 && s.inFlight >= s.window {
				return
			}
			c.Send(s.chunkCommand(f, f.next))
			f.next++
			s.inFlight++
		}
	}
	if s.window == 0 {
		s.files, s.inFlight = nil, 0 // nothing is acknowledged: done
	}
}

func (s *fileSender) chunkCommand(f *sendingFile, i int) *wire.WriteFile {
	m := &wire.WriteFile{Cmd: 0x13, Flag: uint32(i), Filename: f.name}
	if s.download {
		m.Cmd = 0xA7
	}
	m.DataSize = uint32(copy(m.Data[:], f.Chunk(i)))
	return m
}

// ack takes a console's acknowledgement of chunk i of the file named name
// (13, A7) and sends what the window now allows. It returns an error for
// an acknowledgement that matches no chunk in flight: the caller logs it
// and the session goes on, as with the reference server.
func (s *fileSender) ack(c *Client, download bool, name [0x10]byte, i uint32) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.file(name)
	switch {
	case f == nil || download != s.download:
		return fmt.Errorf("no file %q is being sent", cString(name[:]))
	case int64(i) >= int64(f.next) || f.acked[i]:
		return fmt.Errorf("chunk %d of %q is not in flight", i, cString(name[:]))
	}
	f.acked[i] = true
	s.inFlight--
	s.fill(c)
	if s.inFlight == 0 && s.allSent() {
		s.files = nil
	}
	return nil
}

func (s *fileSender) file(name [0x10]byte) *sendingFile {
	for _, f := range s.files {
		if f.name == name {
			return f
		}
	}
	return nil
}

func (s *fileSender) allSent() bool {
	for _, f := range s.files {
		if f.next < len(f.acked) {
			return false
		}
	}
	return true
}

// stop abandons a transfer (the player left the game).
func (s *fileSender) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files, s.inFlight = nil, 0
}

// cString is a NUL-terminated name.
func cString(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// questFileRoutes are the acknowledgements of quest files, valid after
// login in any phase: a console may still acknowledge what was sent
// before it left a game.
func questFileRoutes() map[uint16]handler {
	return map[uint16]handler{0x44: onFileOpened, 0xA6: onFileOpened, 0x13: onChunkAck, 0xA7: onChunkAck, 0xAC: onQuestReady}
}

// onFileOpened is a V3 console's acknowledgement of 44 or A6: nothing
// waits for it. Older versions never send one; like the reference server,
// psobox ignores what they send under these numbers.
func onFileOpened(c *Client, cmd wire.Command) error {
	if questWindowFor(c.Version()) == 0 {
		return nil
	}
	var m wire.FileConfirm
	return c.decode(cmd, &m)
}

// onChunkAck is a V3 console's acknowledgement of a chunk (13, A7). One
// that matches nothing sent is logged and dropped.
func onChunkAck(c *Client, cmd wire.Command) error {
	if questWindowFor(c.Version()) == 0 {
		return nil
	}
	var m wire.FileConfirm
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	if err := c.files.ack(c, cmd.Header.Command == 0xA7, m.Filename, m.Flag); err != nil {
		c.log.Debug("quest file acknowledgement dropped", "command", fmt.Sprintf("%02X", cmd.Header.Command), "reason", err)
	}
	return nil
}
