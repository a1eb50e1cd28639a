package netsetup

import (
	"context"
	"errors"
	"net/netip"
	"time"
)

// pollEvery is how often Apply looks again while it waits; the waits are
// for boot-time events (a USB adapter, a DHCP lease) that take seconds.
const pollEvery = 200 * time.Millisecond

// waitLink returns the interface once it exists.
func (s *Setup) waitLink(ctx context.Context) (Link, error) {
	var link Link
	found := func() (bool, error) {
		var err error
		link, err = s.kernel.LinkByName(s.opts.Interface)
		if errors.Is(err, ErrNoLink) {
			return false, nil
		}
		return err == nil, err
	}
	ok, err := s.waitFor(ctx, found, "waiting for the interface to appear")
	if err != nil || ok {
		return link, err
	}
	have, err := s.kernel.LinkNames()
	if err != nil {
		return link, err
	}
	return link, &MissingLinkError{Interface: s.opts.Interface, Waited: s.opts.Wait, Have: have}
}

// waitRequired returns once the interface has the required address.
func (s *Setup) waitRequired(ctx context.Context, link Link) error {
	var have []Addr
	found := func() (bool, error) {
		var err error
		have, err = s.kernel.Addrs(link.Index)
		return hasAddr(have, s.opts.Require), err
	}
	ok, err := s.waitFor(ctx, found, "waiting for the interface to get its address", "address", s.opts.Require)
	if err != nil || ok {
		return err
	}
	e := &MissingAddrError{Interface: link.Name, Want: s.opts.Require, Waited: s.opts.Wait}
	for _, a := range have {
		e.Have = append(e.Have, a.Prefix)
	}
	return e
}

// waitFor calls check until it reports true, fails, or Options.Wait has
// passed (then it returns false and no error). It logs once if it has to
// wait at all.
func (s *Setup) waitFor(ctx context.Context, check func() (bool, error), msg string, args ...any) (bool, error) {
	deadline := time.Now().Add(s.opts.Wait)
	for first := true; ; first = false {
		ok, err := check()
		if ok || err != nil {
			return ok, err
		}
		if time.Now().After(deadline) {
			return false, nil
		}
		if first {
			s.log.Info(msg, append([]any{"interface", s.opts.Interface, "up_to", s.opts.Wait}, args...)...)
		}
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-time.After(pollEvery):
		}
	}
}

func hasAddr(list []Addr, a netip.Addr) bool {
	for _, got := range list {
		if got.Prefix.Addr() == a {
			return true
		}
	}
	return false
}
