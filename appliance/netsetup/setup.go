package netsetup

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"slices"
	"sync"
	"time"
)

// Defaults for Options.
const (
	DefaultWait   = 30 * time.Second
	DefaultResync = 30 * time.Second
)

// loopback is where the sentinel lives (see the package doc).
const loopback = "lo"

// Options say what the network must look like.
type Options struct {
	// Interface is the consoles' LAN link.
	Interface string
	// Address is set on Interface and kept there (island mode). Zero: none.
	Address netip.Prefix
	// BringUp sets Interface up and keeps it up (island mode).
	BringUp bool
	// Require must already be on Interface, put there by the host's own
	// network configuration (home mode): Apply waits for it, nothing sets it.
	Require netip.Addr
	// Sentinel is added to loopback as a /32 and kept there. Zero: none.
	Sentinel netip.Addr
	// Wait bounds how long Apply waits for Interface to appear and for
	// Require to be on it: a USB adapter or a DHCP client at boot. 0 means
	// DefaultWait.
	Wait time.Duration
	// Resync is how often Watch checks everything even when the kernel
	// reports no change (a lost notification). 0 means DefaultResync.
	Resync time.Duration
	// Kernel is the network configuration to change; nil means NewKernel().
	Kernel Kernel
	Logger *slog.Logger
}

// assignment is one address psobox keeps on one link.
type assignment struct {
	link   string
	prefix netip.Prefix
}

func (a assignment) String() string { return a.prefix.String() + " on " + a.link }

// labelSuffix marks the addresses psobox adds: a psobox started again
// after a crash knows them as its own and removes them at its clean exit.
// The kernel keeps the label as long as the address; a reboot clears both.
const labelSuffix = ":pso"

// label is the link's name with labelSuffix, or "" when that is too long
// for the kernel (15 bytes): then a crashed run's address is taken for
// one that was there before.
func (a assignment) label() string {
	if len(a.link)+len(labelSuffix) > 15 {
		return ""
	}
	return a.link + labelSuffix
}

// ours reports whether an address found on the link was added by psobox.
func (a assignment) ours(found Addr) bool {
	return a.label() != "" && found.Label == a.label()
}

// Setup owns psobox's part of the network: build it with New, then Apply,
// Watch, Close.
type Setup struct {
	opts        Options
	kernel      Kernel
	closeKernel func() error
	log         *slog.Logger
	want        []assignment

	mu       sync.Mutex
	index    int          // Interface's index when Apply found it
	added    []assignment // absent at Apply: Close removes them
	restored int          // times Watch had to put something back
	problem  string       // what is wrong right now, "" when all is well
	carrier  bool
}

// New prepares a Setup; it changes nothing yet.
func New(o Options) (*Setup, error) {
	if o.Interface == "" {
		return nil, errors.New("netsetup: no interface")
	}
	s := &Setup{opts: o, kernel: o.Kernel, log: o.Logger, closeKernel: func() error { return nil }}
	if s.kernel == nil {
		k, err := NewKernel()
		if err != nil {
			return nil, err
		}
		s.kernel, s.closeKernel = k, k.Close
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.opts.Wait = orDefault(o.Wait, DefaultWait)
	s.opts.Resync = orDefault(o.Resync, DefaultResync)
	s.want = wanted(o)
	return s, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

func wanted(o Options) []assignment {
	var want []assignment
	if o.Address.IsValid() {
		want = append(want, assignment{o.Interface, o.Address})
	}
	if o.Sentinel.IsValid() {
		want = append(want, assignment{loopback, netip.PrefixFrom(o.Sentinel, 32)})
	}
	return want
}

// Apply waits for the interface (and in home mode for its address), notes
// which wanted addresses exist already, and adds the others. It returns
// only when everything is in place, or with an error saying what is not.
func (s *Setup) Apply(ctx context.Context) error {
	link, err := s.waitLink(ctx)
	if err != nil {
		return err
	}
	if s.opts.Require.IsValid() {
		if err := s.waitRequired(ctx, link); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.index = link.Index
	if err := s.recordOwned(); err != nil {
		return err
	}
	if _, err := s.ensure(); err != nil {
		return err
	}
	if link, err = s.kernel.LinkByName(link.Name); err != nil {
		return err
	}
	s.carrier = link.Carrier // Watch logs changes from here on
	s.log.Info("network ready", "interface", link.Name, "carrier", link.Carrier, "added", joinAssignments(s.added), "kept", s.kept())
	return nil
}

// recordOwned remembers which wanted addresses are psobox's: those it is
// about to add, and those a crashed psobox added. Close removes those,
// and only those.
func (s *Setup) recordOwned() error {
	for _, a := range s.want {
		_, found, present, err := s.lookup(a)
		if err != nil {
			return err
		}
		if !present || a.ours(found) {
			s.added = append(s.added, a)
		}
	}
	return nil
}

// kept lists wanted addresses that were there before psobox.
func (s *Setup) kept() string {
	var kept []assignment
	for _, a := range s.want {
		if !slices.Contains(s.added, a) {
			kept = append(kept, a)
		}
	}
	return joinAssignments(kept)
}

// ensure puts back whatever is missing and says what it changed. The
// caller holds s.mu.
func (s *Setup) ensure() ([]string, error) {
	link, err := s.currentLink()
	if err != nil {
		return nil, err
	}
	var changes []string
	if s.opts.BringUp && !link.Up {
		if err := s.kernel.SetLinkUp(link.Index); err != nil {
			return changes, privilegeHint(fmt.Errorf("set %s up: %w", link.Name, err))
		}
		changes = append(changes, "set "+link.Name+" up")
	}
	for _, a := range s.want {
		added, err := s.ensureAddr(a)
		if err != nil {
			return changes, err
		}
		if added {
			changes = append(changes, "added "+a.String())
		}
	}
	return changes, nil
}

// currentLink looks the interface up again and checks it is still the one
// Apply found: a link deleted and created again (a USB adapter replugged)
// has a new index, and sockets bound to the old one no longer receive.
func (s *Setup) currentLink() (Link, error) {
	link, err := s.kernel.LinkByName(s.opts.Interface)
	if err != nil {
		return link, err
	}
	if s.index != 0 && link.Index != s.index {
		return link, &ReplacedError{Interface: link.Name, Old: s.index, New: link.Index}
	}
	return link, nil
}

func (s *Setup) ensureAddr(a assignment) (bool, error) {
	link, _, present, err := s.lookup(a)
	if err != nil || present {
		return false, err
	}
	if err := s.kernel.AddAddr(link.Index, Addr{Prefix: a.prefix, Label: a.label()}); err != nil {
		return false, privilegeHint(fmt.Errorf("add %s: %w", a, err))
	}
	return true, nil
}

// lookup finds the wanted address on its link, and returns the link too
// so that callers changing it need not ask the kernel for it again.
func (s *Setup) lookup(a assignment) (link Link, found Addr, present bool, err error) {
	link, err = s.kernel.LinkByName(a.link)
	if err != nil {
		return link, found, false, err
	}
	addrs, err := s.kernel.Addrs(link.Index)
	if err != nil {
		return link, found, false, fmt.Errorf("addresses of %s: %w", a.link, err)
	}
	for _, got := range addrs {
		if got.Prefix == a.prefix {
			return link, got, true, nil
		}
	}
	return link, found, false, nil
}

// Close removes the addresses psobox added, if they are still there. It
// leaves the link up: an up link without psobox's address carries nothing
// of psobox's, and setting it down would bounce the consoles' links on
// every restart.
func (s *Setup) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for _, a := range s.added {
		errs = append(errs, s.remove(a))
	}
	s.added = nil
	errs = append(errs, s.closeKernel())
	return errors.Join(errs...)
}

func (s *Setup) remove(a assignment) error {
	link, _, present, err := s.lookup(a)
	if errors.Is(err, ErrNoLink) || err == nil && !present {
		return nil // gone with its link, or removed by someone else
	}
	if err != nil {
		return err
	}
	if err := s.kernel.DelAddr(link.Index, a.prefix); err != nil {
		return fmt.Errorf("remove %s: %w", a, err)
	}
	s.log.Info("removed", "address", a.String())
	return nil
}

func joinAssignments(list []assignment) string {
	s := ""
	for i, a := range list {
		if i > 0 {
			s += ", "
		}
		s += a.String()
	}
	return s
}
