package quest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// Commands that carry quest files.
const (
	cmdOpenOnline    = 0x44
	cmdWriteOnline   = 0x13
	cmdOpenDownload  = 0xA6
	cmdWriteDownload = 0xA7
)

// ChunkSize is the data size of one 13/A7 command; only a file's last chunk
// may be shorter.
const ChunkSize = 0x400

// writeBodySize is the 13/A7 body: file name (0x10), data, data size.
const writeBodySize = 0x10 + ChunkSize + 4

// openLayout is the body of a 44/A6 command for one family of clients.
type openLayout struct {
	name                 string
	bodySize             int
	typeOff              int // one byte on DC, two elsewhere; values fit one
	fileOff, fileLen     int
	sizeOff              int
	titleOff, titleLen   int
	xbFileOff, xbMetaOff int // Xbox only; -1 elsewhere
	bbPadding            bool
	header               wire.HeaderFormat
}

// The open-file layouts; functions rather than variables so that no
// caller can change the tables.
func openDC() openLayout {
	return openLayout{name: "DC", bodySize: 0x38, typeOff: 0x22, fileOff: 0x23, fileLen: 0x11,
		sizeOff: 0x34, titleLen: 0x22, xbFileOff: -1, header: wire.HeaderDC}
}

func openPC() openLayout {
	return openLayout{name: "PC", bodySize: 0x38, typeOff: 0x22, fileOff: 0x24, fileLen: 0x10,
		sizeOff: 0x34, titleLen: 0x22, xbFileOff: -1, header: wire.HeaderPC}
}

func openGC() openLayout {
	l := openPC()
	l.name, l.header = "GC", wire.HeaderDC
	return l
}

func openXB() openLayout {
	l := openGC()
	l.name, l.bodySize, l.xbFileOff, l.xbMetaOff = "Xbox", 0x50, 0x38, 0x48
	return l
}

func openBB() openLayout {
	l := openPC()
	l.name, l.bodySize, l.header = "BB", 0x50, wire.HeaderBB
	l.titleOff, l.titleLen, l.bbPadding = 0x38, 0x18, true
	return l
}

// qstLayoutFor is the .qst layout for version v: the one its clients
// receive, except that GC NTE files use the GC layout, as the reference
// server writes them.
func qstLayoutFor(v wire.Version) (openLayout, error) {
	switch {
	case v.IsDC():
		return openDC(), nil
	case v.IsPC():
		return openPC(), nil
	case v.IsGC():
		return openGC(), nil
	case v == wire.XBV3:
		return openXB(), nil
	case v == wire.BBV4:
		return openBB(), nil
	}
	return openLayout{}, fmt.Errorf("no .qst layout for %v", v)
}

// detectQST tells the layout from the first command, an open-file command
// whose size is known per layout.
func detectQST(data []byte) (openLayout, error) {
	if len(data) < 8 {
		return openLayout{}, errors.New(".qst file is too short")
	}
	le16 := func(i int) uint16 { return binary.LittleEndian.Uint16(data[i:]) }
	isOpen := func(c byte) bool { return c == cmdOpenOnline || c == cmdOpenDownload }
	switch {
	case le16(0) == 0x58 && isOpen(data[2]) && data[3] == 0:
		return openBB(), nil
	case le16(0) == 0x3C && isOpen(data[2]):
		return openPC(), nil
	case isOpen(data[0]) && le16(2) == 0x54:
		return openXB(), nil
	case isOpen(data[0]) && le16(2) == 0x3C:
		// DC's one-byte type shifts the file name left by one byte; on GC
		// the two type bytes read as a small number.
		if len(data) >= 4+0x24 && le16(4+0x22) > 3 {
			return openDC(), nil
		}
		return openGC(), nil
	}
	return openLayout{}, fmt.Errorf(".qst file starts with % X, not an open-file command", data[:4])
}

// QSTFile is one file carried in a .qst bundle.
type QSTFile struct {
	Name string // as in the bundle, e.g. "quest58.bin"
	Data []byte
}

// QST is a decoded .qst bundle.
type QST struct {
	Title    string // display name from the open-file commands, without "PSO/"
	Download bool   // A6/A7 commands: the files are in download-quest form
	Files    []QSTFile
}

// Find returns the data of the first file whose name ends in suffix.
func (q *QST) Find(suffix string) ([]byte, bool) {
	for _, f := range q.Files {
		if strings.HasSuffix(f.Name, suffix) {
			return f.Data, true
		}
	}
	return nil, false
}

// openTitle is the display name of the open-file commands.
func openTitle(name string) string { return "PSO/" + name }

// encodeTitle stores a display name: Shift-JIS for Japanese, else Latin-1.
func encodeTitle(field []byte, title string, lang text.Language) {
	text.Put(field, lang.Charset(), title, lang)
}
