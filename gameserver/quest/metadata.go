package quest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// Metadata is what psobox uses from a quest's JSON file. Keys are the
// reference server's; Name, ShortDescription, LongDescription, Category
// and Episode are psobox additions. Unknown keys are ignored.
type Metadata struct {
	// Joinable lets players join a non-BB quest in progress (BB has it in
	// the header; either turns it on).
	Joinable bool
	// LockStatusRegister, when >= 0, is a quest register that closes the
	// game to joiners while it is nonzero.
	LockStatusRegister int
	// AllowStartFromChatCommand lets a lone player start the quest by chat
	// command.
	AllowStartFromChatCommand bool
	// AvailableIf and EnabledIf are the reference server's availability
	// expressions, kept verbatim; psobox does not evaluate them yet.
	AvailableIf, EnabledIf string
	// DescriptionFlag is passed to the client with the quest description.
	DescriptionFlag uint8

	// Overrides of the header text, for every version and language that
	// uses this file.
	Name, ShortDescription, LongDescription string
	// Category moves the quest to the category with this folder name.
	Category string
	// Episode overrides the episode found in the script (1, 2 or 4).
	Episode Episode
}

// metadataJSON mirrors the JSON keys; pointers tell absent from zero.
type metadataJSON struct {
	Joinable                  *bool
	LockStatusRegister        *int
	AllowStartFromChatCommand *bool
	AvailableIf, EnabledIf    string
	DescriptionFlag           *uint8
	Name, ShortDescription    string
	LongDescription           string
	Category                  string
	Episode                   *uint8
}

// ParseMetadata reads a metadata file. It accepts the reference server's
// relaxed JSON: // and /* */ comments, trailing commas, hex integers.
func ParseMetadata(data []byte) (Metadata, error) {
	clean, err := relaxedJSON(data)
	if err != nil {
		return Metadata{}, err
	}
	var raw metadataJSON
	dec := json.NewDecoder(bytes.NewReader(clean))
	if err := dec.Decode(&raw); err != nil {
		return Metadata{}, fmt.Errorf("metadata: %w", err)
	}
	if dec.More() {
		return Metadata{}, fmt.Errorf("metadata: data after the top-level object")
	}
	return raw.resolve()
}

func (r metadataJSON) resolve() (Metadata, error) {
	m := Metadata{
		Joinable:                  deref(r.Joinable),
		LockStatusRegister:        -1,
		AllowStartFromChatCommand: deref(r.AllowStartFromChatCommand),
		AvailableIf:               r.AvailableIf,
		EnabledIf:                 r.EnabledIf,
		DescriptionFlag:           deref(r.DescriptionFlag),
		Name:                      r.Name,
		ShortDescription:          r.ShortDescription,
		LongDescription:           r.LongDescription,
		Category:                  r.Category,
	}
	if r.LockStatusRegister != nil {
		if *r.LockStatusRegister < 0 || *r.LockStatusRegister > 0xFF {
			return Metadata{}, fmt.Errorf("metadata: LockStatusRegister %d is not a register number 0-255", *r.LockStatusRegister)
		}
		m.LockStatusRegister = *r.LockStatusRegister
	}
	if r.Episode != nil {
		switch ep := Episode(*r.Episode); ep {
		case Episode1, Episode2, Episode4:
			m.Episode = ep
		default:
			return Metadata{}, fmt.Errorf("metadata: Episode %d is not 1, 2 or 4", *r.Episode)
		}
	}
	return m, nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// relaxedJSON rewrites the relaxed syntax into standard JSON: comments
// become spaces, trailing commas go, and hex integers become decimal.
// Strings are copied untouched.
func relaxedJSON(in []byte) ([]byte, error) {
	out := make([]byte, 0, len(in))
	for i := 0; i < len(in); {
		var n int
		var err error
		switch c := in[i]; {
		case c == '"':
			n, err = stringLen(in[i:])
			out = append(out, in[i:i+n]...)
		case c == '/':
			n, err = commentLen(in[i:])
			out = append(out, ' ')
		case c == ',' && closesNext(in[i+1:]):
			n = 1
		case c == '0' && i+1 < len(in) && in[i+1]|0x20 == 'x':
			out, n, err = appendHex(out, in[i:])
		default:
			out, n = append(out, c), 1
		}
		if err != nil {
			return nil, fmt.Errorf("metadata: at byte %d: %w", i, err)
		}
		i += n
	}
	return out, nil
}

// stringLen is the length of the JSON string literal at the start of b.
func stringLen(b []byte) (int, error) {
	for i := 1; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1, nil
		}
	}
	return 0, fmt.Errorf("unterminated string")
}

func commentLen(b []byte) (int, error) {
	if len(b) >= 2 && b[1] == '/' {
		if end := bytes.IndexByte(b, '\n'); end >= 0 {
			return end, nil
		}
		return len(b), nil
	}
	if len(b) >= 2 && b[1] == '*' {
		if end := bytes.Index(b[2:], []byte("*/")); end >= 0 {
			return end + 4, nil
		}
		return 0, fmt.Errorf("unterminated /* comment")
	}
	return 0, fmt.Errorf("stray '/'")
}

// closesNext reports whether only blanks and comments stand between a comma
// and a closing bracket.
func closesNext(b []byte) bool {
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case ' ', '\t', '\r', '\n':
		case '/':
			n, err := commentLen(b[i:])
			if err != nil {
				return false
			}
			i += n - 1
		case '}', ']':
			return true
		default:
			return false
		}
	}
	return false
}

func appendHex(out, b []byte) ([]byte, int, error) {
	n := 2
	for n < len(b) && isHexDigit(b[n]) {
		n++
	}
	v, err := strconv.ParseUint(string(b[2:n]), 16, 64)
	if err != nil {
		return nil, 0, fmt.Errorf("bad hex number %q", b[:n])
	}
	return strconv.AppendUint(out, v, 10), n, nil
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'f'
}
