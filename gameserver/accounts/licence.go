package accounts

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Kind is the family of console licence: each family has its own serial
// number space.
type Kind uint8

// Licence kinds. DC v1 and v2 share serial numbers, and so do the GameCube
// releases (Episode I&II, Plus, Episode III and the trial editions).
const (
	KindDCNTE Kind = iota + 1 // Dreamcast Network Trial Edition (16-character serials)
	KindDC                    // Dreamcast v1 and v2
	KindPC                    // PSO PC
	KindGC                    // GameCube
	KindXB                    // Xbox: serial = gamertag, access key = user ID
	KindBB                    // Blue Burst: serial = user name
)

var kindNames = map[Kind]string{
	KindDCNTE: "dcnte", KindDC: "dc", KindPC: "pc", KindGC: "gc", KindXB: "xb", KindBB: "bb",
}

// String returns the kind's short name ("gc"), as logs and errors show it.
func (k Kind) String() string {
	if n, ok := kindNames[k]; ok {
		return n
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// ParseKind is the inverse of String.
func ParseKind(s string) (Kind, error) {
	for k, n := range kindNames {
		if n == strings.ToLower(s) {
			return k, nil
		}
	}
	return 0, fmt.Errorf("accounts: unknown licence kind %q (want dcnte, dc, pc, gc, xb or bb)", s)
}

func (k Kind) valid() bool { _, ok := kindNames[k]; return ok }

// Licence is one registered console licence and the account it is.
type Licence struct {
	Kind      Kind      `json:"kind"`
	Serial    string    `json:"serial"`
	AccessKey string    `json:"access_key,omitempty"`
	Password  string    `json:"password,omitempty"`
	GuildCard uint32    `json:"guild_card"`
	Created   time.Time `json:"created"`
	Banned    bool      `json:"banned,omitempty"`
}

// Limits on the credential strings; the consoles' fields are shorter, these
// bound what is stored.
const (
	maxSerial = 0x30
	maxSecret = 0x30
)

// normalize checks a licence's identity fields and trims the padding some
// consoles leave around them.
func (l *Licence) normalize() error {
	if !l.Kind.valid() {
		return fmt.Errorf("accounts: invalid licence kind %d", l.Kind)
	}
	l.Serial = strings.TrimSpace(l.Serial)
	l.AccessKey = strings.TrimSpace(l.AccessKey)
	if l.Serial == "" {
		return ErrNoSerial
	}
	if len(l.Serial) > maxSerial || len(l.AccessKey) > maxSecret || len(l.Password) > maxSecret {
		return fmt.Errorf("accounts: %s licence %q: credential too long", l.Kind, l.Serial)
	}
	if !printable(l.Serial) || !printable(l.AccessKey) || !printable(l.Password) {
		return fmt.Errorf("accounts: %s licence %q: credentials must be printable text", l.Kind, l.Serial)
	}
	return nil
}

func printable(s string) bool {
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// key is the licence's key in the licences bucket: the kind then the serial,
// so that List returns licences grouped by kind.
func key(k Kind, serial string) []byte {
	return append([]byte{byte(k)}, serial...)
}
