// Package fanout is a set of subscribers that a producer hands every event
// to: the DNS lookups and DHCP exchanges the status page streams live.
//
// Publishing takes no lock and allocates nothing, so a producer on a hot
// path (a DNS query, a DHCP request) pays almost nothing for it, and
// nothing at all while nobody is subscribed.
package fanout

import (
	"slices"
	"sync"
	"sync/atomic"
)

// Set holds the subscribers to one kind of event. The zero value is an
// empty set, ready to use.
type Set[T any] struct {
	mu   sync.Mutex // serialises Subscribe and cancel, which replace subs
	next int
	subs atomic.Pointer[[]subscriber[T]] // never changed in place
}

type subscriber[T any] struct {
	id int
	fn func(T)
}

// Subscribe adds fn, called for every event published from now on until
// cancel is called (cancel may be called more than once). fn runs on the
// publisher's goroutine and must not block.
func (s *Set[T]) Subscribe(fn func(T)) (cancel func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.next
	s.next++
	s.store(append(s.list(), subscriber[T]{id, fn}))
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.store(slices.DeleteFunc(s.list(), func(sub subscriber[T]) bool { return sub.id == id }))
	}
}

// Active says whether anyone is subscribed, so that a producer can skip
// building an event nobody will see.
func (s *Set[T]) Active() bool { return len(s.load()) > 0 }

// Publish hands v to every subscriber, in the order they subscribed.
func (s *Set[T]) Publish(v T) {
	for _, sub := range s.load() {
		sub.fn(v)
	}
}

func (s *Set[T]) load() []subscriber[T] {
	if p := s.subs.Load(); p != nil {
		return *p
	}
	return nil
}

// list returns a copy of the subscribers for Subscribe and cancel to edit:
// a publisher may be reading the stored slice.
func (s *Set[T]) list() []subscriber[T] { return slices.Clone(s.load()) }

func (s *Set[T]) store(subs []subscriber[T]) { s.subs.Store(&subs) }
