package netsetup

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"syscall"
	"time"
)

// MissingLinkError: the interface did not appear within Options.Wait.
type MissingLinkError struct {
	Interface string
	Waited    time.Duration
	Have      []string // every link the host has
}

func (e *MissingLinkError) Error() string {
	return fmt.Sprintf("interface %q does not exist (waited %s); this host has: %s",
		e.Interface, e.Waited, strings.Join(e.Have, ", "))
}

func (e *MissingLinkError) Unwrap() error { return ErrNoLink }

// MissingAddrError: in home mode, the interface never got the address
// psobox hands consoles as their router and DNS server.
type MissingAddrError struct {
	Interface string
	Want      netip.Addr
	Waited    time.Duration
	Have      []netip.Prefix
}

func (e *MissingAddrError) Error() string {
	have := "no IPv4 address"
	if len(e.Have) > 0 {
		have = fmt.Sprint(e.Have)
		have = strings.Trim(have, "[]")
	}
	return fmt.Sprintf("interface %s does not have %s (waited %s; it has %s)", e.Interface, e.Want, e.Waited, have)
}

// ReplacedError: the interface was deleted and created again (a USB
// adapter unplugged and plugged back). Sockets bound to the old link
// receive nothing any more, so the services must start again.
type ReplacedError struct {
	Interface string
	Old, New  int // interface indexes
}

func (e *ReplacedError) Error() string {
	return fmt.Sprintf("interface %s was removed and created again (index %d, now %d): the services must restart to bind to the new one",
		e.Interface, e.Old, e.New)
}

// ErrNoPrivilege matches errors from changes the process was not allowed
// to make.
var ErrNoPrivilege = errors.New("setting up the network needs CAP_NET_ADMIN: run psobox as root, or grant it that capability")

// privilegeHint adds ErrNoPrivilege to a permission error.
func privilegeHint(err error) error {
	if errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.EACCES) {
		return fmt.Errorf("%w (%w)", err, ErrNoPrivilege)
	}
	return err
}
