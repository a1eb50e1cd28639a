package load

import (
	"errors"
	"fmt"
	"log/slog"
	"math/bits"
	"net/http"
	"net/netip"
	"time"

	"github.com/psobox/psobox/gameserver/wire"
)

// Console is one console version bots play, and the port it connects to.
type Console struct {
	Name       string // as psobot's -pso names it
	Version    wire.Version
	SubVersion uint32 // 0: the version's usual value
	Port       int
}

// Options says what a load run does. Zero values take the defaults
// documented on each field.
type Options struct {
	Host     string    // the game server's host
	Consoles []Console // assigned to groups of four bots in turn (required)
	Clients  int       // bots (required)

	Duration time.Duration // the steady state measured, after the ramp-up
	Ramp     time.Duration // bots start evenly over this (0: all at once)

	RelayRate  float64 // relayed commands (6x02 probes) per bot per second
	RelayBytes int     // size of each probe, 20-1020, a multiple of 4 (0: 20)
	ChatRate   float64 // chat lines per bot per second
	GameShare  float64 // fraction of the groups of four that play a game, 0-1
	Slow       int     // the last Slow bots stop reading during the measurement (slow.go)

	// Sources are the local addresses bots dial from, one per bot in
	// order from the prefix's first host address (invalid: the system
	// picks, and every bot shares one address).
	Sources netip.Prefix

	StatusURL  string        // the server's status JSON ("": not read)
	ServerPID  int           // the server's process, for its CPU time (0: not read)
	Settle     time.Duration // after the bots left, wait this long before the last status sample (0: 2s)
	Timeout    time.Duration // bound on each login, lobby or game join (0: 30s)
	Logger     *slog.Logger  // progress and unexpected errors (nil: discarded)
	HTTPClient *http.Client  // for StatusURL (nil: one with a 5s timeout)
}

func (o Options) withDefaults() (Options, error) {
	switch {
	case o.Clients <= 0:
		return o, errors.New("load: Clients must be positive")
	case len(o.Consoles) == 0:
		return o, errors.New("load: no console versions")
	case o.Duration < 0 || o.Ramp < 0 || o.Settle < 0 || o.Timeout < 0:
		return o, errors.New("load: durations must not be negative")
	case o.RelayRate < 0 || o.ChatRate < 0 || o.GameShare < 0 || o.GameShare > 1:
		return o, fmt.Errorf("load: rates must not be negative and the game share must be 0-1")
	case o.RelayBytes != 0 && (o.RelayBytes < probeMinSize || o.RelayBytes > probeMaxSize || o.RelayBytes%4 != 0):
		return o, fmt.Errorf("load: relay size %d: want a multiple of 4 from %d to %d", o.RelayBytes, probeMinSize, probeMaxSize)
	case o.Slow < 0 || o.Slow > o.Clients:
		return o, fmt.Errorf("load: %d slow bots of %d", o.Slow, o.Clients)
	case o.Sources.IsValid() && !o.Sources.Addr().Is4():
		return o, fmt.Errorf("load: source prefix %s is not IPv4", o.Sources)
	case o.Sources.IsValid() && o.Sources.Bits() > 32-bits.Len(uint(o.Clients+1)):
		return o, fmt.Errorf("load: source prefix %s has fewer than %d addresses", o.Sources, o.Clients)
	}
	if o.RelayBytes == 0 {
		o.RelayBytes = probeMinSize
	}
	if o.Settle == 0 {
		o.Settle = 2 * time.Second
	}
	if o.Timeout == 0 {
		o.Timeout = 30 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 5 * time.Second}
	}
	return o, nil
}

// sourceAddr is bot i's local address: the prefix's address plus i+1.
func (o *Options) sourceAddr(i int) netip.Addr {
	a := o.Sources.Masked().Addr().As4()
	n := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	n += uint32(i + 1)
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
}

// console is the version of bot i: groups of four share one.
func (o *Options) console(i int) Console {
	return o.Consoles[(i/groupSize)%len(o.Consoles)]
}

// groupSize is the players of a game.
const groupSize = 4

// playsGame reports whether bot i's group plays a game: the playing
// groups are spread evenly, so every console version gets its share.
func (o *Options) playsGame(i int) bool {
	g := i / groupSize
	if (g+1)*groupSize > o.Clients-o.Slow { // an incomplete group, or one with slow bots, stays in the lobby
		return false
	}
	return int(float64(g+1)*o.GameShare) > int(float64(g)*o.GameShare)
}

// slow reports whether bot i is one of the slow ones: the last.
func (o *Options) slow(i int) bool { return i >= o.Clients-o.Slow }
