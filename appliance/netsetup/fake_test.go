package netsetup

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"syscall"
)

// fakeKernel is an in-memory network configuration. Changes made through
// the Kernel interface are journaled; the test changes it behind psobox's
// back with the helper methods, which also notify subscribers.
type fakeKernel struct {
	mu      sync.Mutex
	links   map[string]*Link
	addrs   map[int][]Addr
	denied  bool     // changes fail with EPERM, as without CAP_NET_ADMIN
	journal []string // changes psobox made
	subs    []chan struct{}
	nsubs   int // Subscribe calls
}

func newFakeKernel() *fakeKernel {
	k := &fakeKernel{links: map[string]*Link{}, addrs: map[int][]Addr{}}
	k.addLink(Link{Index: 1, Name: "lo", Up: true, Carrier: true})
	k.addrs[1] = []Addr{{Prefix: netip.MustParsePrefix("127.0.0.1/8")}}
	k.addLink(Link{Index: 2, Name: "eth0"})
	return k
}

func (k *fakeKernel) addLink(l Link) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.links[l.Name] = &l
}

func (k *fakeKernel) LinkByName(name string) (Link, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	l, ok := k.links[name]
	if !ok {
		return Link{}, fmt.Errorf("%s: %w", name, ErrNoLink)
	}
	return *l, nil
}

func (k *fakeKernel) LinkNames() ([]string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	var names []string
	for n := range k.links {
		names = append(names, n)
	}
	slices.Sort(names)
	return names, nil
}

func (k *fakeKernel) byIndex(index int) *Link {
	for _, l := range k.links {
		if l.Index == index {
			return l
		}
	}
	return nil
}

func (k *fakeKernel) SetLinkUp(index int) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.denied {
		return syscall.EPERM
	}
	l := k.byIndex(index)
	if l == nil {
		return syscall.ENODEV
	}
	l.Up = true
	k.journal = append(k.journal, "up "+l.Name)
	return nil
}

func (k *fakeKernel) Addrs(index int) ([]Addr, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.byIndex(index) == nil {
		return nil, syscall.ENODEV
	}
	return slices.Clone(k.addrs[index]), nil
}

func (k *fakeKernel) AddAddr(index int, a Addr) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.denied {
		return syscall.EPERM
	}
	if k.find(index, a.Prefix) < 0 {
		k.addrs[index] = append(k.addrs[index], a)
	}
	k.journal = append(k.journal, fmt.Sprintf("add %s to %s as %s", a.Prefix, k.byIndex(index).Name, a.Label))
	return nil
}

func (k *fakeKernel) find(index int, p netip.Prefix) int {
	return slices.IndexFunc(k.addrs[index], func(a Addr) bool { return a.Prefix == p })
}

func (k *fakeKernel) DelAddr(index int, p netip.Prefix) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.denied {
		return syscall.EPERM
	}
	i := k.find(index, p)
	if i < 0 {
		return syscall.EADDRNOTAVAIL
	}
	k.addrs[index] = slices.Delete(k.addrs[index], i, i+1)
	k.journal = append(k.journal, fmt.Sprintf("del %s from %s", p, k.byIndex(index).Name))
	return nil
}

func (k *fakeKernel) Subscribe(done <-chan struct{}) (<-chan struct{}, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.nsubs++
	ch := make(chan struct{}, 1)
	k.subs = append(k.subs, ch)
	go func() {
		<-done
		k.endSubscriptions()
	}()
	return ch, nil
}

// endSubscriptions closes every subscription, as a failed netlink socket
// does.
func (k *fakeKernel) endSubscriptions() {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, ch := range k.subs {
		close(ch)
	}
	k.subs = nil
}

func (k *fakeKernel) subscriptions() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.nsubs
}

// notify tells subscribers something changed; the caller holds k.mu.
func (k *fakeKernel) notify() {
	for _, ch := range k.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// Changes behind psobox's back.

func (k *fakeKernel) setDown(name string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.links[name].Up, k.links[name].Carrier = false, false
	k.notify()
}

func (k *fakeKernel) flush(name string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.addrs[k.links[name].Index] = nil
	k.notify()
}

// addAddr adds "10.55.0.1/24" or, with a label, "10.55.0.1/24 eth0:pso".
func (k *fakeKernel) addAddr(name string, spec string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	p, label, _ := strings.Cut(spec, " ")
	idx := k.links[name].Index
	k.addrs[idx] = append(k.addrs[idx], Addr{Prefix: netip.MustParsePrefix(p), Label: label})
	k.notify()
}

func (k *fakeKernel) delAddr(name string, p string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	idx := k.links[name].Index
	k.addrs[idx] = slices.DeleteFunc(k.addrs[idx], func(a Addr) bool { return a.Prefix.String() == p })
	k.notify()
}

// recreate deletes a link and creates it again with a new index.
func (k *fakeKernel) recreate(name string, index int) {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.addrs, k.links[name].Index)
	k.links[name] = &Link{Index: index, Name: name}
	k.notify()
}

func (k *fakeKernel) state(name string) (Link, []string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	l := *k.links[name]
	var addrs []string
	for _, a := range k.addrs[l.Index] {
		addrs = append(addrs, a.Prefix.String())
	}
	return l, addrs
}

func (k *fakeKernel) changes() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return slices.Clone(k.journal)
}

func (k *fakeKernel) deny(v bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.denied = v
}
