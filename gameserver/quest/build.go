package quest

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/psobox/psobox/gameserver/prs"
	"github.com/psobox/psobox/gameserver/wire"
)

// build assembles a variant from every staged script and the files that
// share its name, and files it under its quest number. Scripts are taken in
// category order, so when variants of one quest disagree about the category,
// the first category in the menu keeps the quest.
func (l *loader) build() {
	metas := map[*stagedFile]metaResult{}
	bins := slices.Collect(maps.Values(l.staged["bin"]))
	slices.SortFunc(bins, func(a, b *stagedFile) int {
		return cmp.Or(cmp.Compare(a.cat.ID, b.cat.ID), strings.Compare(a.name.stem, b.name.stem))
	})
	for _, bin := range bins {
		if err := l.buildVariant(bin, metas); err != nil {
			l.problem(bin.path, err)
		}
	}
}

type metaResult struct {
	meta Metadata
	err  error
}

func (l *loader) buildVariant(bin *stagedFile, metas map[*stagedFile]metaResult) error {
	n := bin.name
	x, err := readScript(bin)
	if err != nil {
		return err
	}
	files := []string{bin.path}
	if x.Dat, err = l.datFor(n, &files); err != nil {
		return err
	}
	if pvr := l.find("pvr", n.stem, n.versionStem()); pvr != nil {
		x.PVR = pvr.data
		files = append(files, pvr.path)
	}
	meta, err := l.metaFor(n, metas, &files)
	if err != nil {
		return err
	}
	x.Files = strings.Join(files, " ")
	return l.file(x, n.number, bin.cat, meta)
}

// readScript starts a variant from its script file.
func readScript(bin *stagedFile) (*Variant, error) {
	n := bin.name
	if !n.hasVersion || !n.hasLanguage {
		return nil, errors.New("a script's name needs a version and a language: q###-VER-L.bin")
	}
	script, err := prs.Decompress(bin.data, maxFileSize)
	if err != nil {
		return nil, fmt.Errorf("script: %w", err)
	}
	h, err := ParseHeader(n.version, script, n.language)
	if err != nil {
		return nil, err
	}
	return &Variant{Version: n.version, Language: n.language, Header: h, Bin: bin.data,
		Name: h.Name, ShortDescription: h.ShortDescription, LongDescription: h.LongDescription}, nil
}

// find returns the staged file of this kind under the first stem present.
func (l *loader) find(kind string, stems ...string) *stagedFile {
	for _, s := range stems {
		if f := l.staged[kind][s]; f != nil {
			return f
		}
	}
	return nil
}

// datFor finds the map data: for this language, else for all languages of
// the version. Episode III scripts have none.
func (l *loader) datFor(n fileName, files *[]string) ([]byte, error) {
	dat := l.find("dat", n.stem, n.versionStem())
	if dat == nil {
		if n.version.IsEp3() {
			return nil, nil
		}
		return nil, fmt.Errorf("no map data: neither %s.dat nor %s.dat", n.stem, n.versionStem())
	}
	if _, err := prs.DecompressedSize(dat.data, maxFileSize); err != nil {
		return nil, fmt.Errorf("map data %s: %w", dat.path, err)
	}
	*files = append(*files, dat.path)
	return dat.data, nil
}

// metaFor reads the most specific metadata file, parsing each file once.
func (l *loader) metaFor(n fileName, metas map[*stagedFile]metaResult, files *[]string) (Metadata, error) {
	f := l.find("json", n.stem, n.versionStem(), n.numberToken)
	if f == nil {
		return Metadata{LockStatusRegister: -1}, nil
	}
	r, ok := metas[f]
	if !ok {
		r.meta, r.err = ParseMetadata(f.data)
		metas[f] = r
	}
	if r.err != nil {
		return Metadata{}, fmt.Errorf("metadata %s: %w", f.path, r.err)
	}
	*files = append(*files, f.path)
	return r.meta, nil
}

// file applies the metadata to a variant and adds it to quest number.
func (l *loader) file(x *Variant, number uint32, cat *Category, meta Metadata) error {
	if meta.Category != "" {
		if cat = l.categoryByDir(meta.Category); cat == nil {
			return fmt.Errorf("metadata names category %q, which does not exist", meta.Category)
		}
	}
	ep := x.Header.Episode
	if meta.Episode != EpisodeAny {
		ep = meta.Episode
	}
	if err := checkEpisode(x.Version, ep); err != nil {
		return err
	}
	x.Name = cmp.Or(meta.Name, x.Name)
	x.ShortDescription = cmp.Or(meta.ShortDescription, x.ShortDescription)
	x.LongDescription = cmp.Or(meta.LongDescription, x.LongDescription)
	q := l.x.quests[number]
	if q == nil {
		q = &Quest{Number: number, Meta: meta}
	}
	if err := q.add(x, cat, ep, x.Header.Joinable || meta.Joinable, x.Header.MaxPlayers); err != nil {
		return err
	}
	l.x.quests[number] = q
	return nil
}

func (l *loader) categoryByDir(dir string) *Category {
	for _, c := range l.x.categories {
		if c.Dir == dir {
			return c
		}
	}
	return nil
}

// checkEpisode refuses episodes the version cannot play.
func checkEpisode(v wire.Version, ep Episode) error {
	ok := false
	switch ep {
	case Episode1:
		ok = !v.IsEp3()
	case Episode2:
		ok = (v.IsV3() && !v.IsEp3()) || v == wire.BBV4
	case Episode3:
		ok = v.IsEp3()
	case Episode4:
		ok = v == wire.BBV4
	}
	if !ok {
		return fmt.Errorf("%v quests cannot be Episode %d", v, ep)
	}
	return nil
}
