package fanout

import (
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSubscribePublishCancel(t *testing.T) {
	var s Set[int]
	if s.Active() {
		t.Fatal("an empty set is active")
	}
	s.Publish(0) // nobody listening: nothing happens
	var a, b []int
	cancelA := s.Subscribe(func(v int) { a = append(a, v) })
	cancelB := s.Subscribe(func(v int) { b = append(b, v) })
	s.Publish(1)
	cancelA()
	cancelA() // a second cancel removes nothing else
	s.Publish(2)
	if !s.Active() {
		t.Fatal("a set with a subscriber is not active")
	}
	cancelB()
	s.Publish(3)
	if s.Active() {
		t.Fatal("active after every subscriber cancelled")
	}
	if diff := cmp.Diff([]int{1}, a); diff != "" {
		t.Errorf("first subscriber (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{1, 2}, b); diff != "" {
		t.Errorf("second subscriber (-want +got):\n%s", diff)
	}
}

// Subscribers come and go while events are published (run with -race).
func TestConcurrentUse(t *testing.T) {
	var s Set[int]
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for range 200 {
				s.Subscribe(func(int) {})()
			}
		}()
		go func() {
			defer wg.Done()
			for i := range 200 {
				s.Publish(i)
			}
		}()
	}
	wg.Wait()
	if s.Active() {
		t.Error("subscribers left after every one cancelled")
	}
}

func TestPublishDoesNotAllocate(t *testing.T) {
	var s Set[int]
	defer s.Subscribe(func(int) {})()
	if n := testing.AllocsPerRun(100, func() { s.Publish(1) }); n != 0 {
		t.Errorf("Publish allocates %v times per call, want 0", n)
	}
}
