package crypt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// BBKeyFileSize is the size of a .nsk key file: the 18-word P-array (0x48
// bytes), four 256-word S-boxes (0x1000 bytes) and a little-endian u64
// subtype, all words little-endian.
const BBKeyFileSize = 0x48 + 0x1000 + 8

// BBSubtype selects the variant of the BB cipher a key table is used with.
// Retail clients use BBStandard; the others belong to community client builds.
type BBSubtype uint8

// The subtypes newserv supports, numbered as in the .nsk files.
const (
	BBStandard BBSubtype = 0 // the retail key schedule
	BBMOCB1    BBSubtype = 1 // the P-array bytes are shuffled before the schedule
	BBJSD1     BBSubtype = 2 // a byte-stream cipher; only byte 0 of the file (the start offset) matters
	BBTFS1     BBSubtype = 3 // the P-array half-words are mixed before the schedule
)

var bbSubtypeNames = [...]string{"STANDARD", "MOCB1", "JSD1", "TFS1"}

func (s BBSubtype) String() string {
	if int(s) < len(bbSubtypeNames) {
		return bbSubtypeNames[s]
	}
	return fmt.Sprintf("BBSubtype(%d)", uint8(s))
}

// BBKey is one parsed key table. It is immutable after parsing, so any number
// of connections may share it.
type BBKey struct {
	Name    string // the file name without .nsk, for logs
	Subtype BBSubtype
	p       [18]uint32
	s       [4][256]uint32
}

// ParseBBKey parses the contents of a .nsk file. name labels the key in logs
// and errors.
func ParseBBKey(name string, data []byte) (*BBKey, error) {
	if len(data) != BBKeyFileSize {
		return nil, fmt.Errorf("crypt: BB key %q: %d bytes, want %d", name, len(data), BBKeyFileSize)
	}
	subtype := binary.LittleEndian.Uint64(data[BBKeyFileSize-8:])
	if subtype >= uint64(len(bbSubtypeNames)) {
		return nil, fmt.Errorf("crypt: BB key %q: unknown subtype %d", name, subtype)
	}
	k := &BBKey{Name: name, Subtype: BBSubtype(subtype)}
	for i := range k.p {
		k.p[i] = binary.LittleEndian.Uint32(data[4*i:])
	}
	sboxes := data[len(k.p)*4:]
	for box := range k.s {
		for i := range k.s[box] {
			k.s[box][i] = binary.LittleEndian.Uint32(sboxes[4*(256*box+i):])
		}
	}
	return k, nil
}

// LoadBBKeys parses every *.nsk file in dir, in file name order (the order
// DetectBB tries them). A bad file does not stop the others: the keys that
// parsed are returned together with an error naming each file that did not.
func LoadBBKeys(dir string) ([]*BBKey, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("crypt: BB key directory: %w", err)
	}
	var keys []*BBKey
	var errs []error
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		if !strings.EqualFold(ext, ".nsk") || e.IsDir() {
			continue // .NSK too: key files copied from Windows keep upper case
		}
		name := strings.TrimSuffix(e.Name(), ext)
		k, err := loadBBKey(filepath.Join(dir, e.Name()), name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		keys = append(keys, k)
	}
	return keys, errors.Join(errs...)
}

func loadBBKey(path, name string) (*BBKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("crypt: BB key %q: %w", name, err)
	}
	k, err := ParseBBKey(name, data)
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	return k, nil
}

// ServerStreamSeed returns the seed of the server-to-client stream given the
// two seeds of the server's 03 command. JSD1 clients seed both directions
// with the client seed; every other subtype uses the server seed. Both the
// server (encrypting) and a client like psobot (decrypting) need this.
func (k *BBKey) ServerStreamSeed(serverSeed, clientSeed []byte) []byte {
	if k.Subtype == BBJSD1 {
		return clientSeed
	}
	return serverSeed
}
