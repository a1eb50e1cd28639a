package quest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// maxFileSize bounds every quest file psobox reads or assembles; retail
// quests are far smaller, and BB's largest maps stay under 1 MiB.
const maxFileSize = 4 << 20

// qstFile collects the chunks of one file of a bundle.
type qstFile struct {
	name    string
	size    int
	chunks  map[uint32][]byte
	inOrder [][]byte // the same chunks in file order, for unindexed bundles
}

type qstDecoder struct {
	layout   openLayout
	out      QST
	files    []*qstFile
	indexed  bool // some chunk had a nonzero index
	sawWrite bool
}

// DecodeQST splits a .qst bundle into its files. The layout (DC, PC, GC,
// Xbox or BB) is recognised from the first command. Download bundles (A6/A7)
// carry files in download-quest form; see DecodeDownload.
func DecodeQST(data []byte) (*QST, error) {
	l, err := detectQST(data)
	if err != nil {
		return nil, err
	}
	d := qstDecoder{layout: l}
	hlen := l.header.Len()
	for pos := 0; ; {
		pos = (pos + hlen - 1) &^ (hlen - 1) // BB bundles pad commands to 8 bytes
		if pos >= len(data) {
			break
		}
		n, err := d.command(data[pos:])
		if err != nil {
			return nil, fmt.Errorf(".qst (%s layout) at offset 0x%X: %w", l.name, pos, err)
		}
		pos += n
	}
	return d.finish()
}

// command decodes one command and returns its size.
func (d *qstDecoder) command(b []byte) (int, error) {
	h, err := d.layout.header.Decode(b)
	if err != nil {
		return 0, err
	}
	hlen := d.layout.header.Len()
	if int(h.Size) < hlen || int(h.Size) > len(b) {
		return 0, fmt.Errorf("command %02X claims %d bytes, %d left", h.Command, h.Size, len(b))
	}
	body := b[hlen:h.Size]
	switch h.Command {
	case cmdOpenOnline, cmdOpenDownload:
		err = d.open(h, body)
	case cmdWriteOnline, cmdWriteDownload:
		err = d.write(h, body)
	default:
		err = fmt.Errorf("command %02X does not belong in a .qst file", h.Command)
	}
	return int(h.Size), err
}

func (d *qstDecoder) checkKind(cmd uint16) error {
	download := cmd == cmdOpenDownload || cmd == cmdWriteDownload
	if len(d.files) > 0 && download != d.out.Download {
		return errors.New("mixes online (44/13) and download (A6/A7) commands")
	}
	d.out.Download = download
	return nil
}

func (d *qstDecoder) open(h wire.Header, body []byte) error {
	l := d.layout
	if len(body) != l.bodySize {
		return fmt.Errorf("open-file command has %d body bytes, want %d", len(body), l.bodySize)
	}
	if err := d.checkKind(h.Command); err != nil {
		return err
	}
	if d.sawWrite {
		return errors.New("open-file command after the first chunk")
	}
	name := text.Decode(text.Latin1, body[l.fileOff:l.fileOff+l.fileLen], text.English)
	size := int(binary.LittleEndian.Uint32(body[l.sizeOff:]))
	if name == "" || d.file(name) != nil {
		return fmt.Errorf("file name %q is empty or opened twice", name)
	}
	if size > maxFileSize {
		return fmt.Errorf("file %s claims %d bytes, more than %d", name, size, maxFileSize)
	}
	if d.out.Title == "" {
		title := text.Decode(text.Latin1, body[l.titleOff:l.titleOff+l.titleLen], text.English)
		d.out.Title = strings.TrimPrefix(title, "PSO/")
	}
	d.files = append(d.files, &qstFile{name: name, size: size, chunks: map[uint32][]byte{}})
	return nil
}

func (d *qstDecoder) file(name string) *qstFile {
	for _, f := range d.files {
		if f.name == name {
			return f
		}
	}
	return nil
}

func (d *qstDecoder) write(h wire.Header, body []byte) error {
	if len(body) < writeBodySize { // some tools count BB's padding in the size
		return fmt.Errorf("chunk command has %d body bytes, want %d", len(body), writeBodySize)
	}
	if err := d.checkKind(h.Command); err != nil {
		return err
	}
	d.sawWrite = true
	name := text.Decode(text.Latin1, body[:0x10], text.English)
	f := d.file(name)
	if f == nil {
		return fmt.Errorf("chunk for %q, which was not opened", name)
	}
	size := int(binary.LittleEndian.Uint32(body[0x10+ChunkSize:]))
	if size > ChunkSize {
		return fmt.Errorf("chunk %d of %s has size 0x%X > 0x400", h.Flag, name, size)
	}
	if _, dup := f.chunks[h.Flag]; dup && h.Flag != 0 {
		return fmt.Errorf("chunk %d of %s appears twice", h.Flag, name)
	}
	data := body[0x10 : 0x10+size]
	f.chunks[h.Flag] = data
	f.inOrder = append(f.inOrder, data)
	d.indexed = d.indexed || h.Flag != 0
	return nil
}

// finish assembles the files. Chunks go where their index puts them; some
// tools write every index as 0, and then the chunks are taken in order.
func (d *qstDecoder) finish() (*QST, error) {
	if len(d.files) == 0 {
		return nil, errors.New(".qst file opens no files")
	}
	for _, f := range d.files {
		data, err := f.assemble(d.indexed)
		if err != nil {
			return nil, err
		}
		d.out.Files = append(d.out.Files, QSTFile{Name: f.name, Data: data})
	}
	return &d.out, nil
}

func (f *qstFile) assemble(indexed bool) ([]byte, error) {
	if !indexed {
		var data []byte
		for _, c := range f.inOrder {
			data = append(data, c...)
		}
		if len(data) != f.size {
			return nil, fmt.Errorf("%s: chunks hold %d bytes, open-file command said %d", f.name, len(data), f.size)
		}
		return data, nil
	}
	data := make([]byte, f.size)
	total := 0
	for index, c := range f.chunks {
		off := int64(index) * ChunkSize
		if off+int64(len(c)) > int64(f.size) {
			return nil, fmt.Errorf("%s: chunk %d ends beyond the file's %d bytes", f.name, index, f.size)
		}
		if len(c) != ChunkSize && off+int64(len(c)) != int64(f.size) {
			return nil, fmt.Errorf("%s: chunk %d is short but not the last", f.name, index)
		}
		total += copy(data[off:], c)
	}
	if total != f.size {
		return nil, fmt.Errorf("%s: chunks hold %d bytes, open-file command said %d", f.name, total, f.size)
	}
	return data, nil
}
