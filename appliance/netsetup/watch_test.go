package netsetup

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

// watchRun is a Watch running on its own goroutine.
type watchRun struct {
	done chan struct{}
	err  error // valid once done is closed
}

// watching applies island mode and runs Watch until the test ends.
func watching(t *testing.T, k *fakeKernel, resync time.Duration) (*Setup, *watchRun) {
	t.Helper()
	o := island(k)
	o.Resync = resync
	s := newSetup(t, o)
	if err := s.Apply(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	w := &watchRun{done: make(chan struct{})}
	go func() {
		w.err = s.Watch(ctx)
		close(w.done)
	}()
	t.Cleanup(func() {
		cancel()
		<-w.done
	})
	return s, w
}

func TestWatchStopsOnCancel(t *testing.T) {
	k := newFakeKernel()
	s := newSetup(t, island(k))
	if err := s.Apply(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	if err := s.Watch(ctx); err != nil {
		t.Errorf("Watch = %v after cancel, want nil", err)
	}
}

// eventually polls cond until it holds, failing after a generous bound.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("never happened: %s", what)
}

func islandInPlace(k *fakeKernel) func() bool {
	return func() bool {
		eth, ethAddrs := k.state("eth0")
		_, loAddrs := k.state("lo")
		return eth.Up && slices.Contains(ethAddrs, "10.55.0.1/24") && slices.Contains(loAddrs, "198.18.55.1/32")
	}
}

// Cable out and back in with a network manager flushing the link: the
// kernel's change events make Watch put everything back.
func TestWatchRestoresAfterFlapAndFlush(t *testing.T) {
	k := newFakeKernel()
	s, _ := watching(t, k, time.Hour) // no resync: only events can restore
	eventually(t, "Watch subscribes", func() bool { return k.subscriptions() == 1 })
	k.setDown("eth0")
	k.flush("eth0")
	k.delAddr("lo", "198.18.55.1/32")
	eventually(t, "link up with both addresses again", islandInPlace(k))
	eventually(t, "status counts the restores", func() bool { return s.Status().Restored >= 3 })
}

// A lost notification is caught by the periodic check.
func TestWatchResyncsWithoutEvents(t *testing.T) {
	k := newFakeKernel()
	watching(t, k, 20*time.Millisecond)
	k.mu.Lock()
	k.addrs[2] = nil // behind psobox's back, without notifying
	k.mu.Unlock()
	eventually(t, "address restored by the resync", islandInPlace(k))
}

// A failed subscription is made again, and changes are followed again.
func TestWatchResubscribes(t *testing.T) {
	k := newFakeKernel()
	watching(t, k, time.Hour)
	eventually(t, "first subscription", func() bool { return k.subscriptions() == 1 })
	k.endSubscriptions()
	eventually(t, "second subscription", func() bool { return k.subscriptions() == 2 })
	k.flush("eth0")
	eventually(t, "address restored after resubscribing", islandInPlace(k))
}

func TestWatchReportsProblemsUntilFixed(t *testing.T) {
	k := newFakeKernel()
	s, _ := watching(t, k, time.Hour)
	eventually(t, "Watch subscribes", func() bool { return k.subscriptions() == 1 })
	k.deny(true)
	k.flush("eth0")
	eventually(t, "the problem shows in the status", func() bool { return s.Status().Problem != "" })
	k.deny(false)
	k.setDown("eth0") // any change makes Watch try again
	eventually(t, "restored once allowed", islandInPlace(k))
	eventually(t, "the problem is cleared", func() bool { return s.Status().Problem == "" })
}

// An interface deleted and created again ends Watch: the services' sockets
// are bound to the old one.
func TestWatchEndsWhenTheLinkIsReplaced(t *testing.T) {
	k := newFakeKernel()
	_, w := watching(t, k, time.Hour)
	eventually(t, "Watch subscribes", func() bool { return k.subscriptions() == 1 })
	k.recreate("eth0", 7)
	select {
	case <-w.done:
		var replaced *ReplacedError
		if !errors.As(w.err, &replaced) || replaced.Old != 2 || replaced.New != 7 {
			t.Fatalf("Watch = %v, want a ReplacedError 2 -> 7", w.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Watch did not end when the link was replaced")
	}
}
