package text

import "fmt"

// Language is the language byte PSO clients report (in login commands, the
// inventory and guild cards). It picks the default encoding of marked text.
type Language uint8

// The languages PSO knows; the numbering is the clients'.
const (
	Japanese Language = iota
	English
	German
	French
	Spanish
	SimplifiedChinese
	TraditionalChinese
	Korean
)

var languageNames = [...]string{"Japanese", "English", "German", "French", "Spanish",
	"SimplifiedChinese", "TraditionalChinese", "Korean"}

func (l Language) String() string {
	if int(l) < len(languageNames) {
		return languageNames[l]
	}
	return fmt.Sprintf("Language(%d)", uint8(l))
}

// Charset is the single-byte character set a console of this language
// reads unmarked text in: Shift-JIS for Japanese, ISO-8859-1 for the others.
func (l Language) Charset() Encoding {
	if l == Japanese {
		return ShiftJIS
	}
	return Latin1
}

// Marker is the letter that follows a tab to select this language's font in
// UTF-16 text (PC/BB). Single-byte text only knows 'J' and 'E'.
func (l Language) Marker() byte {
	switch l {
	case Japanese:
		return 'J'
	case SimplifiedChinese:
		return 'B'
	case TraditionalChinese:
		return 'T'
	case Korean:
		return 'K'
	}
	return 'E'
}
