package quest

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// versionTokens lists the file-name token of every version that has quests,
// in the reference server's spelling.
func versionTokens() []struct {
	token string
	v     wire.Version
} {
	return []struct {
		token string
		v     wire.Version
	}{
		{"dn", wire.DCNTE}, {"dp", wire.DC112000}, {"d1", wire.DCV1}, {"dc", wire.DCV2},
		{"pcn", wire.PCNTE}, {"pc", wire.PCV2}, {"gcn", wire.GCNTE}, {"gc", wire.GCV3},
		{"gc3t", wire.GCEp3NTE}, {"gc3", wire.GCEp3}, {"xb", wire.XBV3}, {"bb", wire.BBV4},
	}
}

// VersionForToken returns the version a file-name token such as "gc" names.
func VersionForToken(token string) (wire.Version, bool) {
	for _, t := range versionTokens() {
		if t.token == token {
			return t.v, true
		}
	}
	return wire.UnknownVersion, false
}

// VersionToken is the file-name token of v, or "" if v has no quests.
func VersionToken(v wire.Version) string {
	for _, t := range versionTokens() {
		if t.v == v {
			return t.token
		}
	}
	return ""
}

const languageLetters = "jegfsbtk" // indexed by text.Language

// LanguageForLetter returns the language a file-name letter names.
func LanguageForLetter(c byte) (text.Language, bool) {
	i := strings.IndexByte(languageLetters, c|0x20)
	return text.Language(i), i >= 0
}

// LanguageLetter is the file-name letter of lang.
func LanguageLetter(lang text.Language) byte {
	if int(lang) < len(languageLetters) {
		return languageLetters[lang]
	}
	return '?'
}

// fileName is a parsed quest file name: q058-gc-e.bin, q058-gc.dat, q058.json.
type fileName struct {
	stem        string // lower-case name without extension: "q058-gc-e"
	ext         string // lower-case extension without the dot: "bin"
	number      uint32
	numberToken string // "q058"
	version     wire.Version
	hasVersion  bool
	language    text.Language
	hasLanguage bool
}

// versionStem is the name shared by all languages of one version: "q058-gc".
func (n fileName) versionStem() string {
	return n.numberToken + "-" + VersionToken(n.version)
}

func parseFileName(name string) (fileName, error) {
	name = strings.ToLower(name)
	dot := strings.LastIndexByte(name, '.')
	if dot <= 0 {
		return fileName{}, fmt.Errorf("no file extension")
	}
	n := fileName{stem: name[:dot], ext: name[dot+1:]}
	tokens := strings.Split(n.stem, "-")
	if len(tokens) > 3 {
		return fileName{}, fmt.Errorf("name has %d dash-separated parts, want at most 3 (q###-VER-L)", len(tokens))
	}
	if err := n.parseNumber(tokens[0]); err != nil {
		return fileName{}, err
	}
	if err := n.parseTarget(tokens[1:]); err != nil {
		return fileName{}, err
	}
	return n, nil
}

// parseTarget reads the optional version and language tokens.
func (n *fileName) parseTarget(tokens []string) error {
	if len(tokens) >= 1 {
		v, ok := VersionForToken(tokens[0])
		if !ok {
			return fmt.Errorf("unknown version token %q", tokens[0])
		}
		n.version, n.hasVersion = v, true
	}
	if len(tokens) == 2 {
		if len(tokens[1]) != 1 {
			return fmt.Errorf("language %q is not one letter", tokens[1])
		}
		lang, ok := LanguageForLetter(tokens[1][0])
		if !ok {
			return fmt.Errorf("unknown language %q", tokens[1])
		}
		n.language, n.hasLanguage = lang, true
	}
	return nil
}

// parseNumber reads the quest number: one letter (any; usually q), digits.
func (n *fileName) parseNumber(token string) error {
	if len(token) < 2 || token[0] < 'a' || token[0] > 'z' {
		return fmt.Errorf("%q is not a quest number like q058", token)
	}
	num, err := strconv.ParseUint(token[1:], 10, 32)
	if err != nil {
		return fmt.Errorf("%q is not a quest number like q058", token)
	}
	n.number, n.numberToken = uint32(num), token
	return nil
}
