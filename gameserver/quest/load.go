package quest

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/psobox/psobox/gameserver/prs"
)

// Load reads the quest directory dir with DefaultCategories. See
// LoadCategories.
func Load(dir string, logger *slog.Logger) (*Index, error) {
	return LoadCategories(dir, DefaultCategories(), logger)
}

// LoadCategories reads the quest directory dir, one folder per category.
// A missing directory is an empty index. Files that cannot be used are
// logged, listed in Problems and skipped; the only errors are a bad
// category list and a dir that exists but cannot be read as a directory.
func LoadCategories(dir string, categories []Category, logger *slog.Logger) (*Index, error) {
	cats, err := numberCategories(categories)
	if err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	x := &Index{categories: cats, quests: map[uint32]*Quest{}}
	defer x.finish()
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		logger.Info("quest directory not found; no quests", "dir", dir)
		return x, nil
	case err != nil:
		return nil, fmt.Errorf("quest directory: %w", err)
	case !info.IsDir():
		return nil, fmt.Errorf("quest directory %s is not a directory", dir)
	}
	l := newLoader(dir, x, logger)
	for _, c := range cats {
		l.readCategory(c)
	}
	l.build()
	logger.Info("quests loaded", "dir", dir, "quests", len(x.quests), "skipped", len(x.problems))
	return x, nil
}

// stagedFile is a file read from a category folder, before quests are
// assembled from the files that share a name.
type stagedFile struct {
	path string // inside the quest directory, for messages
	name fileName
	cat  *Category
	data []byte
}

type loader struct {
	dir    string
	x      *Index
	log    *slog.Logger
	staged map[string]map[string]*stagedFile // kind (bin, dat, pvr, json) -> stem -> file
}

func newLoader(dir string, x *Index, logger *slog.Logger) *loader {
	l := &loader{dir: dir, x: x, log: logger, staged: map[string]map[string]*stagedFile{}}
	for _, kind := range []string{"bin", "dat", "pvr", "json"} {
		l.staged[kind] = map[string]*stagedFile{}
	}
	return l
}

func (l *loader) problem(path string, err error) {
	l.log.Warn("quest file skipped", "file", path, "err", err)
	l.x.problems = append(l.x.problems, Problem{File: path, Err: err})
}

func (l *loader) readCategory(c *Category) {
	entries, err := os.ReadDir(filepath.Join(l.dir, c.Dir))
	if errors.Is(err, fs.ErrNotExist) {
		l.log.Debug("quest category folder absent", "category", c.Dir)
		return
	}
	if err != nil {
		l.problem(c.Dir, err)
	}
	for _, e := range entries { // ReadDir sorts by name
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		path := c.Dir + "/" + e.Name()
		if err := l.readFile(c, path, e.Name()); err != nil {
			l.problem(path, err)
		}
	}
}

// kindOf maps a file extension to the kind of file it holds and whether it
// is stored uncompressed; ok is false for files that are not quest files.
func kindOf(ext string) (kind string, raw bool, ok bool) {
	switch ext {
	case "bin", "mnm": // Episode III names its scripts .mnm
		return "bin", false, true
	case "bind", "mnmd":
		return "bin", true, true
	case "dat", "pvr", "json", "qst":
		return ext, false, true
	case "datd":
		return "dat", true, true
	}
	return "", false, false
}

func (l *loader) readFile(c *Category, path, base string) error {
	trimmed, dlq := base, strings.EqualFold(filepath.Ext(base), ".dlq")
	if dlq { // the download-quest form of a .bin or .dat
		trimmed = base[:len(base)-len(".dlq")]
	}
	kind, raw, known := kindOf(strings.ToLower(strings.TrimPrefix(filepath.Ext(trimmed), ".")))
	if !known {
		l.log.Debug("not a quest file; ignored", "file", path)
		return nil
	}
	name, err := parseFileName(trimmed)
	if err != nil {
		return err
	}
	data, err := readBounded(filepath.Join(l.dir, filepath.FromSlash(path)))
	if err != nil {
		return err
	}
	if dlq {
		if data, err = DecodeDownload(data, maxFileSize); err != nil {
			return err
		}
	}
	if raw {
		data = prs.Compress(data)
	}
	if kind == "qst" {
		return l.stageQST(c, path, name, data)
	}
	return l.stage(kind, &stagedFile{path: path, name: name, cat: c, data: data})
}

func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("file is larger than %d bytes", maxFileSize)
	}
	return data, nil
}

func (l *loader) stage(kind string, f *stagedFile) error {
	if other := l.staged[kind][f.name.stem]; other != nil {
		return fmt.Errorf("%s file %s already comes from %s", kind, f.name.stem, other.path)
	}
	l.staged[kind][f.name.stem] = f
	return nil
}

// stageQST unpacks a bundle into the .bin, .dat and .pvr it carries, named
// after the bundle.
func (l *loader) stageQST(c *Category, path string, name fileName, data []byte) error {
	q, err := DecodeQST(data)
	if err != nil {
		return err
	}
	for _, f := range q.Files {
		ext := strings.ToLower(filepath.Ext(f.Name))
		kind, _, ok := kindOf(strings.TrimPrefix(ext, "."))
		if !ok || (kind != "bin" && kind != "dat" && kind != "pvr") {
			return fmt.Errorf("bundle holds %q, which is not a .bin, .dat or .pvr", f.Name)
		}
		body := f.Data
		if q.Download && kind != "pvr" {
			if body, err = DecodeDownload(body, maxFileSize); err != nil {
				return fmt.Errorf("%s: %w", f.Name, err)
			}
		}
		part := name
		part.ext = kind
		if err := l.stage(kind, &stagedFile{path: path, name: part, cat: c, data: body}); err != nil {
			return err
		}
	}
	return nil
}
