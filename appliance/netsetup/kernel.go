package netsetup

import (
	"errors"
	"net/netip"
)

// Kernel is the part of the kernel's network configuration netsetup reads
// and changes. NewKernel is the real one (netlink); tests fake it.
//
// Reading needs no privilege; SetLinkUp, AddAddr and DelAddr need
// CAP_NET_ADMIN and fail with an error matching syscall.EPERM without it.
type Kernel interface {
	// LinkByName returns the link, or an error matching ErrNoLink.
	LinkByName(name string) (Link, error)
	// LinkNames lists every link, for messages about a missing one.
	LinkNames() ([]string, error)
	SetLinkUp(index int) error
	// Addrs lists the IPv4 addresses of a link.
	Addrs(index int) ([]Addr, error)
	// AddAddr adds an IPv4 address to a link; adding one that is there
	// already is not an error.
	AddAddr(index int, a Addr) error
	DelAddr(index int, p netip.Prefix) error
	// Subscribe reports link and address changes on the returned channel
	// until done is closed; the channel is closed then, or earlier when the
	// subscription fails (the caller subscribes again).
	Subscribe(done <-chan struct{}) (<-chan struct{}, error)
}

// Link is a network interface as netsetup sees it.
type Link struct {
	Index   int
	Name    string
	Up      bool // administratively up (ip link set up)
	Carrier bool // a cable is plugged in and the other end answers
}

// Addr is an IPv4 address of a link.
type Addr struct {
	Prefix netip.Prefix
	// Label is the kernel's label of the address ("eth0:pso"); psobox marks
	// the addresses it adds with one.
	Label string
}

// ErrNoLink is returned for an interface that does not exist.
var ErrNoLink = errors.New("no such network interface")
