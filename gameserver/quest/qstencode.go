package quest

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// EncodeQST writes q as a .qst bundle in the layout of version v: all
// open-file commands first (some tools expect that), then each file's
// chunks. number and lang fill the Xbox-only fields and pick the title's
// encoding. Files are written as given: for a download bundle they must
// already be in download-quest form (EncodeDownload).
func EncodeQST(v wire.Version, q *QST, number uint32, lang text.Language) ([]byte, error) {
	l, err := qstLayoutFor(v)
	if err != nil {
		return nil, err
	}
	openCmd, writeCmd := uint16(cmdOpenOnline), uint16(cmdWriteOnline)
	if q.Download {
		openCmd, writeCmd = cmdOpenDownload, cmdWriteDownload
	}
	o := openFile{title: q.Title, number: number, lang: lang, fileType: qstFileType(v, q)}
	var out []byte
	for _, f := range q.Files {
		o.name, o.size = f.Name, len(f.Data)
		if out, err = l.appendOpen(out, openCmd, o); err != nil {
			return nil, err
		}
	}
	for _, f := range q.Files {
		if out, err = l.appendWrites(out, writeCmd, f); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// qstFileType is the A6 file type of a bundle (see downloadType); online
// bundles use 0.
func qstFileType(v wire.Version, q *QST) uint16 {
	if !q.Download {
		return 0
	}
	_, hasPVR := q.Find(".pvr")
	return downloadType(v, hasPVR)
}

// openFile is the content of one 44/A6 command.
type openFile struct {
	title    string
	name     string
	size     int
	fileType uint16
	number   uint32
	lang     text.Language
}

func (l openLayout) appendOpen(dst []byte, cmd uint16, o openFile) ([]byte, error) {
	if err := checkFileName(o.name); err != nil {
		return nil, err
	}
	dst, err := l.header.Append(dst, wire.Header{Command: cmd, Size: uint16(l.header.Len() + l.bodySize)})
	if err != nil {
		return nil, err
	}
	body := make([]byte, l.bodySize)
	encodeTitle(body[l.titleOff:l.titleOff+l.titleLen], openTitle(o.title), o.lang)
	body[l.typeOff] = byte(o.fileType)
	text.Put(body[l.fileOff:l.fileOff+l.fileLen], text.Latin1, o.name, text.English)
	binary.LittleEndian.PutUint32(body[l.sizeOff:], uint32(o.size))
	if l.xbFileOff >= 0 {
		text.Put(body[l.xbFileOff:l.xbFileOff+0x10], text.Latin1, xbFileName(o.number, o.lang), text.English)
		binary.LittleEndian.PutUint32(body[l.xbMetaOff:], 0x30000000|o.number)
	}
	return append(dst, body...), nil
}

// checkFileName accepts names that fit the chunk commands' 16-byte field
// in Latin-1, the encoding DecodeQST reads them in.
func checkFileName(name string) error {
	var field [0x10]byte
	if name == "" || text.Put(field[:], text.Latin1, name, text.English) ||
		text.Decode(text.Latin1, field[:], text.English) != name {
		return fmt.Errorf("file name %q is empty, longer than 16 bytes or not Latin-1", name)
	}
	return nil
}

// xbFileName is the Xbox's local name for a quest's files: quest58_e.dat.
func xbFileName(number uint32, lang text.Language) string {
	return fmt.Sprintf("quest%d_%c.dat", number, LanguageLetter(lang))
}

func (l openLayout) appendWrites(dst []byte, cmd uint16, f QSTFile) ([]byte, error) {
	chunks := (len(f.Data) + ChunkSize - 1) / ChunkSize
	if l.header != wire.HeaderBB && chunks > 0x100 {
		return nil, fmt.Errorf("%s: %d chunks do not fit a one-byte chunk index", f.Name, chunks)
	}
	for i := range chunks {
		chunk := f.Data[i*ChunkSize : min(len(f.Data), (i+1)*ChunkSize)]
		var err error
		dst, err = l.header.Append(dst, wire.Header{Command: cmd, Flag: uint32(i), Size: uint16(l.header.Len() + writeBodySize)})
		if err != nil {
			return nil, err
		}
		dst = appendWriteBody(dst, f.Name, chunk)
		if l.bbPadding {
			dst = append(dst, 0, 0, 0, 0) // BB pads commands to 8 bytes
		}
	}
	return dst, nil
}

func appendWriteBody(dst []byte, name string, chunk []byte) []byte {
	var body [writeBodySize]byte
	text.Put(body[:0x10], text.Latin1, name, text.English)
	copy(body[0x10:], chunk)
	binary.LittleEndian.PutUint32(body[0x10+ChunkSize:], uint32(len(chunk)))
	return append(dst, body[:]...)
}

// fileNameFor is the name a quest file travels under: quest58.bin.
func fileNameFor(number uint32, ext string) string {
	return fmt.Sprintf("quest%d.%s", number, strings.TrimPrefix(ext, "."))
}
