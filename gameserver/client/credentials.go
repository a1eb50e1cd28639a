package client

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/psobox/psobox/gameserver/wire"
)

// withCredentials checks the licence fields for the version's format and
// generates the missing ones from a hash of the version and name, so a bot
// keeps one account across runs while different names get different ones.
func (cfg Config) withCredentials() (Config, error) {
	seed := fnv.New64a()
	fmt.Fprintf(seed, "%s/%s", cfg.Version, cfg.Name)
	h := seed.Sum64()
	var err error
	switch v := cfg.Version; {
	case v == wire.DCNTE:
		err = cfg.licence(fmt.Sprintf("%016X", h), 16, printable, digits(h>>3, 16), 16)
	case v == wire.XBV3:
		err = cfg.xboxCredentials(h)
	case v.IsGC():
		err = cfg.gcCredentials(h)
	default: // DC v1, DC v2, PC
		err = cfg.licence(fmt.Sprintf("%08X", uint32(h)), 8, hexDigits, digits(h>>7, 8), 8)
	}
	if err != nil {
		return cfg, fmt.Errorf("%s licence: %w", cfg.Version, err)
	}
	if cfg.Password == "" {
		cfg.Password = fmt.Sprintf("pw%06x", uint32(h>>40))
	}
	if cfg.HardwareID == 0 {
		cfg.HardwareID = defaultHardwareID(cfg.Version, h)
	}
	return cfg, nil
}

// licence checks (or generates) a serial of up to serialLen characters of
// serialSet and an access key of up to keyLen printable characters.
func (cfg *Config) licence(defSerial string, serialLen int, serialSet charset, defKey string, keyLen int) error {
	var err error
	if cfg.Serial, err = credential("serial", cfg.Serial, defSerial, serialLen, serialSet); err != nil {
		return err
	}
	cfg.AccessKey, err = credential("access key", cfg.AccessKey, defKey, keyLen, printable)
	return err
}

func (cfg *Config) gcCredentials(h uint64) error {
	serial := cfg.Serial
	if serial == "" {
		serial = digits(h%4000000000+100000000, 10)
	}
	if len(serial) == 10 && decDigits.all(serial) {
		n, err := strconv.ParseUint(serial, 10, 32)
		if err != nil {
			return fmt.Errorf("serial %s does not fit 32 bits", serial)
		}
		serial = fmt.Sprintf("%08X", n) // the console sends its serial in hex
	}
	var err error
	if cfg.Serial, err = credential("serial", serial, "", 8, hexDigits); err != nil {
		return fmt.Errorf("%w (or 10 decimal digits)", err)
	}
	cfg.AccessKey, err = credential("access key", cfg.AccessKey, digits(h>>5, 12), 12, decDigits)
	return err
}

func (cfg *Config) xboxCredentials(h uint64) error {
	var err error
	if cfg.Serial, err = credential("gamertag", cfg.Serial, fmt.Sprintf("psobot%04d", h%10000), 15, printable); err != nil {
		return err
	}
	userID := fmt.Sprintf("%016X", h^0x5A5A5A5A5A5A5A5A)
	if cfg.AccessKey, err = credential("user ID", cfg.AccessKey, userID, 16, hexDigits); err != nil {
		return err
	}
	if cfg.XBAccountID == 0 {
		cfg.XBAccountID = h | 1
	}
	return nil
}

// charset is what a credential may contain.
type charset struct {
	name  string
	ok    func(rune) bool
	upper bool // the consoles send these in upper case
}

var (
	printable = charset{"printable ASCII characters", func(r rune) bool { return r >= 0x20 && r <= 0x7E }, false}
	hexDigits = charset{"hex digits", func(r rune) bool { return strings.ContainsRune("0123456789abcdefABCDEF", r) }, true}
	decDigits = charset{"decimal digits", func(r rune) bool { return r >= '0' && r <= '9' }, false}
)

func (c charset) all(s string) bool {
	for _, r := range s {
		if !c.ok(r) {
			return false
		}
	}
	return true
}

// credential returns value (or def when value is empty) if it is 1 to max
// characters of the charset.
func credential(what, value, def string, max int, cs charset) (string, error) {
	if value == "" {
		value = def
	}
	if value == "" || len(value) > max || !cs.all(value) {
		return "", fmt.Errorf("%s %q: want 1 to %d %s", what, value, max, cs.name)
	}
	if cs.upper {
		value = strings.ToUpper(value)
	}
	return value, nil
}

// digits formats n as exactly width decimal digits (keeping the low ones).
func digits(n uint64, width int) string {
	s := strconv.FormatUint(n, 10)
	for len(s) < width {
		s = "0" + s
	}
	return s[len(s)-width:]
}

// defaultHardwareID mimics what each console reports: Dreamcasts a 48-bit
// system ID, PC a constant, GC and Xbox nothing.
func defaultHardwareID(v wire.Version, h uint64) uint64 {
	switch {
	case v.IsDC():
		return h>>16 | 1
	case v.IsPC():
		return 0x0000FFFFFFFFFFFF
	}
	return 0
}
