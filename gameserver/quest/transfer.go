package quest

import (
	"fmt"
	"math/rand/v2"

	"github.com/psobox/psobox/gameserver/prs"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// A6 file types of download quests.
const (
	DownloadTypeQuest      = 0 // .bin and .dat
	DownloadTypeQuestImage = 1 // .bin, .dat and .pvr
	DownloadTypeEpisode3   = 3 // Episode III: .bin only
)

// TransferFile is one file as the server sends it: an open-file command
// (44 online, A6 download) naming it, then ChunkCount chunk commands (13 or
// A7) whose flag is the chunk index. The server wraps it into the client's
// command layout.
type TransferFile struct {
	Title string // display name for the open-file command, "PSO/" included
	Name  string // file name, e.g. "quest58.bin"
	Type  uint16 // A6 file type (DownloadType*); 0 for online files
	Data  []byte // exactly the bytes sent; len(Data) is the size announced
	// XBName and XBContentMeta fill the Xbox-only fields of the open-file
	// command.
	XBName        string
	XBContentMeta uint32
}

// ChunkCount is the number of chunk commands the file takes.
func (f *TransferFile) ChunkCount() int { return (len(f.Data) + ChunkSize - 1) / ChunkSize }

// Chunk returns the data of chunk i; all but the last are ChunkSize bytes.
func (f *TransferFile) Chunk(i int) []byte {
	return f.Data[i*ChunkSize : min(len(f.Data), (i+1)*ChunkSize)]
}

// clientSafe applies the workaround for a client bug: a client considers a
// file complete only on a chunk shorter than ChunkSize, so a file whose size
// is a multiple of it gets one zero byte more. PRS data ends with a stop
// command, so the byte is never read.
func clientSafe(data []byte) []byte {
	if len(data)%ChunkSize != 0 {
		return data
	}
	return append(append(make([]byte, 0, len(data)+1), data...), 0)
}

// checkChunkIndex refuses files whose chunk index would not fit the
// one-byte flag of non-BB headers.
func checkChunkIndex(v wire.Version, f *TransferFile) error {
	if v != wire.BBV4 && f.ChunkCount() > 0x100 {
		return fmt.Errorf("%s is %d bytes, more than %v clients can receive (256 chunks)", f.Name, len(f.Data), v)
	}
	return nil
}

func (x *Variant) transferFile(ext string, data []byte, fileType uint16) TransferFile {
	n := x.Quest.Number
	return TransferFile{
		Title: openTitle(x.Name), Name: fileNameFor(n, ext), Type: fileType, Data: clientSafe(data),
		XBName: xbFileName(n, x.Language), XBContentMeta: 0x30000000 | n,
	}
}

// OnlineFiles returns the .bin and .dat as sent for an online quest (44/13).
func (x *Variant) OnlineFiles() ([]TransferFile, error) {
	if x.Version == wire.DCNTE {
		return nil, fmt.Errorf("%v clients cannot load online quests", x.Version)
	}
	files := []TransferFile{x.transferFile("bin", x.Bin, 0)}
	if len(x.Dat) > 0 {
		files = append(files, x.transferFile("dat", x.Dat, 0))
	}
	for i := range files {
		if err := checkChunkIndex(x.Version, &files[i]); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// DownloadFiles returns the files of a download quest (A6/A7) for a client
// of this variant's version speaking lang: the script with its language
// byte set to lang, the map data and the image if any, each in download
// form under its own cipher seed drawn from seeds (nil: math/rand/v2).
func (x *Variant) DownloadFiles(lang text.Language, seeds func() uint32) ([]TransferFile, error) {
	if x.Version == wire.BBV4 {
		return nil, fmt.Errorf("%v clients have no download quests", x.Version)
	}
	if seeds == nil {
		seeds = rand.Uint32
	}
	bin, binSize, err := x.localizedBin(lang)
	if err != nil {
		return nil, err
	}
	t := downloadType(x.Version, len(x.PVR) > 0)
	files := []TransferFile{x.transferFile("bin", EncodeDownload(bin, binSize, seeds()), t)}
	if len(x.Dat) > 0 {
		size, err := prs.DecompressedSize(x.Dat, maxFileSize)
		if err != nil {
			return nil, fmt.Errorf("dat: %w", err)
		}
		files = append(files, x.transferFile("dat", EncodeDownload(x.Dat, size, seeds()), t))
	}
	if len(x.PVR) > 0 { // images travel as they are
		files = append(files, x.transferFile("pvr", x.PVR, t))
	}
	for i := range files {
		if err := checkChunkIndex(x.Version, &files[i]); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// downloadType is the A6 file type of a download quest for v, with or
// without an image.
func downloadType(v wire.Version, hasPVR bool) uint16 {
	switch {
	case v.IsEp3():
		return DownloadTypeEpisode3
	case hasPVR:
		return DownloadTypeQuestImage
	}
	return DownloadTypeQuest
}

// localizedBin returns the script recompressed with its header language set
// to lang, and its decompressed size. When nothing changes, the original
// compressed bytes are used.
func (x *Variant) localizedBin(lang text.Language) ([]byte, int, error) {
	if !x.Header.HasLanguage || x.Header.Language == lang {
		size, err := prs.DecompressedSize(x.Bin, maxFileSize)
		if err != nil {
			return nil, 0, fmt.Errorf("bin: %w", err)
		}
		return x.Bin, size, nil
	}
	script, err := prs.Decompress(x.Bin, maxFileSize)
	if err != nil {
		return nil, 0, fmt.Errorf("bin: %w", err)
	}
	script, err = SetHeaderLanguage(x.Version, script, lang)
	if err != nil {
		return nil, 0, err
	}
	return prs.Compress(script), len(script), nil
}
