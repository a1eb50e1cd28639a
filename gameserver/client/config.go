package client

import (
	"cmp"
	"context"
	"fmt"
	"net"
	"time"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// Config says which console a Client imitates and who logs in. Zero values
// get sensible defaults (see Dial); credentials left empty are generated
// from the version and name, so the same bot gets the same account each run.
type Config struct {
	Version wire.Version
	// SubVersion is the release code the client reports (0: the version's
	// usual value, e.g. 0x31 for GC US v1.1, 0x36 for GC US Plus).
	SubVersion uint32

	// Serial and AccessKey are the licence. DC v1, DC v2 and PC: 8 hex digits
	// and 8 characters. DC NTE: up to 16 characters each. GC and Episode III:
	// the serial as 10 decimal digits (as printed) or 8 hex digits (as sent),
	// and a 12-digit access key. Xbox: the gamertag and the 16-hex-digit
	// user ID.
	Serial    string
	AccessKey string
	// Password is the GC account password (also sent by DC NTE).
	Password string
	// XBAccountID is the Xbox Live account ID (Xbox only).
	XBAccountID uint64
	// HardwareID is the console's hardware ID (0: derived from the serial).
	HardwareID uint64
	Email      string

	// The character. Player, when set, is used as it is (its GuildCard is
	// ignored: the server assigns it).
	Name      string
	Class     uint8
	SectionID uint8
	// Level is the character's level, 1-200 (0: 1). Servers keep
	// low-level players out of the harder difficulties.
	Level uint32
	// Lang is the console's language: "en" (the default), "ja", "de", "fr"
	// or "es".
	Lang   string
	Player *wire.Player

	// Manual turns off every automatic answer and the login itself: Dial
	// returns once the ciphers are set up. For replaying recorded sessions.
	Manual bool

	// Dial opens connections (nil: a net.Dialer). Tests inject pipes here.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// DialTimeout bounds each connection attempt, including reconnects.
	DialTimeout time.Duration
	// Now is the clock for step timestamps (nil: time.Now).
	Now func() time.Time
	// Trace receives every step of the session (nil: none). It is called
	// from the Client's goroutines one at a time, must not block long and
	// must not call the Client.
	Trace func(Step)
	// OnReceive sees every received command as it arrives, before it is
	// queued for Next (nil: none). Same calling rules as Trace.
	OnReceive func(Received)
	// OnGameEvent sees every game event (joined, loaded, player joined or
	// left, leader changed, left) as it happens. Same calling rules as Trace.
	OnGameEvent func(GameEvent)
	// QuestAckDelay makes a V3 client hold its acknowledgements of quest
	// chunks until no chunk has come for this long, so that the server's
	// flow control shows in TransferStats (0: acknowledge each at once,
	// as consoles do).
	QuestAckDelay time.Duration
	// InboxLimit bounds the commands queued for Next (0: 8192). A session
	// whose queue overflows fails with ErrInboxFull instead of growing.
	InboxLimit int
}

// withDefaults validates cfg and fills in what was left empty.
func (cfg Config) withDefaults() (Config, error) {
	if err := cfg.validate(); err != nil {
		return cfg, err
	}
	if cfg.SubVersion == 0 {
		cfg.SubVersion = DefaultSubVersion(cfg.Version)
	}
	if cfg.Name == "" {
		cfg.Name = "psobot"
	}
	cfg.DialTimeout = cmp.Or(cfg.DialTimeout, 10*time.Second)
	cfg.InboxLimit = cmp.Or(cfg.InboxLimit, 8192)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Dial == nil {
		cfg.Dial = (&net.Dialer{}).DialContext
	}
	return cfg.withCredentials()
}

// validate checks what has no default.
func (cfg Config) validate() error {
	v := cfg.Version
	if !isSupported(v) {
		return fmt.Errorf("psobot does not speak %s", v)
	}
	if _, err := parseLang(cfg.Lang); err != nil {
		return err
	}
	if max := maxClass(v); cfg.Player == nil && cfg.Class > max {
		return fmt.Errorf("class %d does not exist on %s (0-%d)", cfg.Class, v, max)
	}
	if cfg.SectionID > 9 {
		return fmt.Errorf("section ID %d out of range (0-9)", cfg.SectionID)
	}
	if cfg.Level > 200 {
		return fmt.Errorf("level %d out of range (1-200)", cfg.Level)
	}
	return nil
}

// isSupported lists the versions psobot can log in with.
func isSupported(v wire.Version) bool {
	switch v {
	case wire.DCNTE, wire.DCV1, wire.DCV2, wire.PCV2, wire.GCV3, wire.GCEp3, wire.XBV3:
		return true
	}
	return false
}

// DefaultSubVersion is the release code a version's usual retail (US)
// release reports in its login commands.
func DefaultSubVersion(v wire.Version) uint32 {
	switch v {
	case wire.DCNTE:
		return 0x20
	case wire.DCV1:
		return 0x21
	case wire.DCV2:
		return 0x26
	case wire.PCV2:
		return 0x29
	case wire.GCV3, wire.XBV3:
		return 0x31
	case wire.GCEp3:
		return 0x41
	}
	return 0
}

// SubVersionGCPlus is what GameCube Episode I&II Plus (US v1.2) reports.
const SubVersionGCPlus = 0x36

// maxClass is the highest character class a version has: the three classes
// Episode I&II added do not exist on DC and PC.
func maxClass(v wire.Version) uint8 {
	if v.IsDC() || v.IsPC() {
		return 8
	}
	return 11
}

var langCodes = map[string]text.Language{
	"": text.English, "en": text.English, "ja": text.Japanese,
	"de": text.German, "fr": text.French, "es": text.Spanish,
}

func parseLang(code string) (text.Language, error) {
	l, ok := langCodes[code]
	if !ok {
		return 0, fmt.Errorf("unknown language %q (want en, ja, de, fr or es)", code)
	}
	return l, nil
}
