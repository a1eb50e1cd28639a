package netsetup

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"time"
)

// Watch keeps what Apply set up in place until ctx is cancelled: on every
// link or address change the kernel reports, and every Options.Resync, it
// puts back whatever is missing (a link set down, a flushed address). It
// returns nil when ctx is cancelled, and a *ReplacedError when the
// interface was removed and created again, which the services cannot
// survive. Anything else (the link gone for now, a failed change) is
// logged and tried again at the next change.
func (s *Setup) Watch(ctx context.Context) error {
	tick := time.NewTicker(s.opts.Resync)
	defer tick.Stop()
	for ctx.Err() == nil {
		events, err := s.kernel.Subscribe(ctx.Done())
		if err != nil {
			s.log.Warn("cannot follow network changes; checking every resync", "resync", s.opts.Resync, "err", err)
		}
		// What changed before the subscription started sends no event.
		if err := s.Check(); err != nil {
			return err
		}
		if err := s.follow(ctx, events, tick.C); err != nil {
			return err
		}
	}
	return nil
}

// follow checks the network on every event and tick. It returns when ctx
// is done, when the subscription ended (nil events: at the next tick), or
// with a *ReplacedError.
func (s *Setup) follow(ctx context.Context, events <-chan struct{}, tick <-chan time.Time) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case _, ok := <-events:
			if err := s.Check(); err != nil || !ok {
				return err
			}
		case <-tick:
			if err := s.Check(); err != nil || events == nil {
				return err
			}
		}
	}
}

// Check puts back whatever is missing now. Only a *ReplacedError is
// returned; other problems are logged and kept for Status.
func (s *Setup) Check() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	changes, err := s.ensure()
	for _, c := range changes {
		s.restored++
		s.log.Warn("restored the network: something else had changed it", "change", c)
	}
	var replaced *ReplacedError
	if errors.As(err, &replaced) {
		return err
	}
	s.noteProblem(err)
	s.noteRequired()
	s.noteCarrier()
	return nil
}

// noteProblem logs a problem when it starts and when it ends.
func (s *Setup) noteProblem(err error) {
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	switch {
	case msg == s.problem:
	case msg == "":
		s.log.Info("network back in order", "was", s.problem)
	default:
		s.log.Warn("network not as psobox needs it; retrying at the next change", "err", err)
	}
	s.problem = msg
}

// noteRequired warns when home mode's address left the interface: the
// consoles are still told to use it as router and DNS server.
func (s *Setup) noteRequired() {
	if !s.opts.Require.IsValid() || s.problem != "" {
		return
	}
	addrs, err := s.kernel.Addrs(s.index)
	if err == nil && !hasAddr(addrs, s.opts.Require) {
		s.problem = "interface " + s.opts.Interface + " no longer has " + s.opts.Require.String() +
			", which consoles use as router and DNS server"
		s.log.Warn("network not as psobox needs it", "err", s.problem)
	}
}

// noteCarrier logs cable unplugs and replugs.
func (s *Setup) noteCarrier() {
	link, err := s.kernel.LinkByName(s.opts.Interface)
	if err != nil || link.Carrier == s.carrier {
		return
	}
	s.carrier = link.Carrier
	if link.Carrier {
		s.log.Info("link has carrier again", "interface", link.Name)
	} else {
		s.log.Warn("link lost carrier: cable unplugged or switch off?", "interface", link.Name)
	}
}

// Status is a snapshot for the status page.
type Status struct {
	Interface string
	Exists    bool
	Up        bool
	Carrier   bool
	Addresses []AddrStatus
	Restored  int    // times something had to be put back
	Problem   string // what is wrong right now; "" when all is well
}

// AddrStatus is one address psobox needs.
type AddrStatus struct {
	Address netip.Prefix
	Link    string
	Present bool
	Added   bool // by psobox (labelled so), which removes it at exit
}

// Status reads the network as it is now and reports what Apply and Watch
// did. It changes nothing and needs no privilege, so a Setup that was
// never applied (in a process that only shows the status) works too.
func (s *Setup) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Status{Interface: s.opts.Interface, Restored: s.restored, Problem: s.problem}
	if link, err := s.kernel.LinkByName(s.opts.Interface); err == nil {
		st.Exists, st.Up, st.Carrier = true, link.Up, link.Carrier
	}
	for _, a := range s.want {
		_, found, present, _ := s.lookup(a)
		added := slices.Contains(s.added, a) || present && a.ours(found)
		st.Addresses = append(st.Addresses, AddrStatus{Address: a.prefix, Link: a.link, Present: present, Added: added})
	}
	return st
}
