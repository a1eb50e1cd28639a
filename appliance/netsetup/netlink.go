package netsetup

import (
	"errors"
	"fmt"
	"net"
	"net/netip"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// Netlink is the real Kernel: rtnetlink through vishvananda/netlink.
type Netlink struct {
	h  *netlink.Handle
	ns *netns.NsHandle // nil: the process's own namespace
}

// NewKernel talks netlink in the process's own network namespace.
func NewKernel() (*Netlink, error) {
	h, err := netlink.NewHandle(unix.NETLINK_ROUTE)
	if err != nil {
		return nil, fmt.Errorf("netlink: %w", err)
	}
	return &Netlink{h: h}, nil
}

// NewKernelAt talks netlink in the namespace ns (tests use it to configure
// a namespace they made from the test process). Subscribing there needs
// CAP_SYS_ADMIN.
func NewKernelAt(ns netns.NsHandle) (*Netlink, error) {
	h, err := netlink.NewHandleAt(ns, unix.NETLINK_ROUTE)
	if err != nil {
		return nil, fmt.Errorf("netlink: %w", err)
	}
	return &Netlink{h: h, ns: &ns}, nil
}

// Close releases the netlink socket.
func (k *Netlink) Close() error {
	k.h.Close()
	return nil
}

func (k *Netlink) LinkByName(name string) (Link, error) {
	l, err := k.h.LinkByName(name)
	var notFound netlink.LinkNotFoundError
	if errors.As(err, &notFound) {
		return Link{}, fmt.Errorf("%s: %w", name, ErrNoLink)
	}
	if err != nil {
		return Link{}, fmt.Errorf("link %s: %w", name, err)
	}
	a := l.Attrs()
	return Link{
		Index:   a.Index,
		Name:    a.Name,
		Up:      a.Flags&net.FlagUp != 0,
		Carrier: a.RawFlags&unix.IFF_LOWER_UP != 0,
	}, nil
}

func (k *Netlink) LinkNames() ([]string, error) {
	links, err := k.h.LinkList()
	if err != nil {
		return nil, fmt.Errorf("list links: %w", err)
	}
	names := make([]string, 0, len(links))
	for _, l := range links {
		names = append(names, l.Attrs().Name)
	}
	return names, nil
}

// byIndex is enough for the handle's calls, which only read the index.
func byIndex(index int) netlink.Link {
	return &netlink.Device{LinkAttrs: netlink.LinkAttrs{Index: index}}
}

func (k *Netlink) SetLinkUp(index int) error {
	return k.h.LinkSetUp(byIndex(index))
}

// Addrs retries a dump the kernel interrupted because the list changed
// under it, which a flush racing with the read can cause.
func (k *Netlink) Addrs(index int) ([]Addr, error) {
	var addrs []netlink.Addr
	var err error
	for range 3 {
		addrs, err = k.h.AddrList(byIndex(index), netlink.FAMILY_V4)
		if !errors.Is(err, netlink.ErrDumpInterrupted) {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	out := make([]Addr, 0, len(addrs))
	for _, a := range addrs {
		if p, ok := toPrefix(a.IPNet); ok {
			out = append(out, Addr{Prefix: p, Label: a.Label})
		}
	}
	return out, nil
}

func toPrefix(n *net.IPNet) (netip.Prefix, bool) {
	ip, ok := netip.AddrFromSlice(n.IP.To4())
	if !ok {
		return netip.Prefix{}, false
	}
	bits, _ := n.Mask.Size()
	return netip.PrefixFrom(ip, bits), true
}

func toAddr(p netip.Prefix) *netlink.Addr {
	ip := p.Addr().As4()
	return &netlink.Addr{IPNet: &net.IPNet{IP: net.IP(ip[:]), Mask: net.CIDRMask(p.Bits(), 32)}}
}

func (k *Netlink) AddAddr(index int, a Addr) error {
	na := toAddr(a.Prefix)
	na.Label = a.Label
	return k.h.AddrReplace(byIndex(index), na)
}

func (k *Netlink) DelAddr(index int, p netip.Prefix) error {
	return k.h.AddrDel(byIndex(index), toAddr(p))
}

// Subscribe merges link and address notifications into one channel of
// "something changed": the watcher re-reads the state anyway.
func (k *Netlink) Subscribe(done <-chan struct{}) (<-chan struct{}, error) {
	stop := make(chan struct{})
	links := make(chan netlink.LinkUpdate, 16)
	addrs := make(chan netlink.AddrUpdate, 16)
	err := netlink.LinkSubscribeWithOptions(links, stop, netlink.LinkSubscribeOptions{Namespace: k.ns})
	if err != nil {
		close(stop)
		return nil, fmt.Errorf("subscribe to link changes: %w", err)
	}
	err = netlink.AddrSubscribeWithOptions(addrs, stop, netlink.AddrSubscribeOptions{Namespace: k.ns})
	if err != nil {
		close(stop)
		drainLinks(links)
		return nil, fmt.Errorf("subscribe to address changes: %w", err)
	}
	out := make(chan struct{}, 1)
	go merge(done, stop, links, addrs, out)
	return out, nil
}

// merge forwards both subscriptions until done is closed or either ends,
// then stops both and drains them: netlink's readers block on a full
// channel, so they must be read until they close.
func merge(done <-chan struct{}, stop chan struct{}, links <-chan netlink.LinkUpdate, addrs <-chan netlink.AddrUpdate, out chan<- struct{}) {
	defer close(out)
	defer drainLinks(links)
	defer drainAddrs(addrs)
	defer close(stop)
	for {
		select {
		case <-done:
			return
		case _, ok := <-links:
			if !ok {
				return
			}
		case _, ok := <-addrs:
			if !ok {
				return
			}
		}
		select {
		case out <- struct{}{}:
		default: // a change is already pending: the watcher reads everything once
		}
	}
}

func drainLinks(ch <-chan netlink.LinkUpdate) {
	for range ch {
	}
}

func drainAddrs(ch <-chan netlink.AddrUpdate) {
	for range ch {
	}
}
