package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/internal/testenv"
)

// journal records what the fake services did, in order.
type journal struct {
	mu     sync.Mutex
	events []string
}

func (j *journal) add(e string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.events = append(j.events, e)
}

func (j *journal) list() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]string(nil), j.events...)
}

// fake is a service whose Listen and Serve do what the test says. Like a
// real service it "closes its socket" when the Listen context ends.
type fake struct {
	name      string
	j         *journal
	listenErr error
	serve     func(ctx context.Context) error // nil: wait for ctx, return nil
	closed    chan struct{}
}

func newFake(name string, j *journal) *fake {
	return &fake{name: name, j: j, closed: make(chan struct{})}
}

func (f *fake) Name() string { return f.name }

func (f *fake) Listen(ctx context.Context) error {
	if f.listenErr != nil {
		f.j.add(f.name + " listen failed")
		return f.listenErr
	}
	f.j.add(f.name + " listen")
	context.AfterFunc(ctx, func() { close(f.closed) })
	return nil
}

func (f *fake) Serve(ctx context.Context) error {
	if f.serve != nil {
		return f.serve(ctx)
	}
	<-ctx.Done()
	return nil
}

func (f *fake) Endpoints() []string { return []string{"test " + f.name} }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// run starts Run in the background and returns its result channel.
func run(ctx context.Context, services []Service, opts Options) <-chan error {
	errc := make(chan error, 1)
	go func() { errc <- Run(ctx, quiet, services, opts) }()
	return errc
}

// wait fails the test rather than hanging forever.
func wait(t *testing.T, errc <-chan error) error {
	t.Helper()
	select {
	case err := <-errc:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return")
		return nil
	}
}

func TestCleanStop(t *testing.T) {
	j := &journal{}
	a, b := newFake("a", j), newFake("b", j)
	ready := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	errc := run(ctx, []Service{a, b}, Options{Ready: func() { j.add("ready"); close(ready) }})
	<-ready
	cancel()
	if err := wait(t, errc); err != nil {
		t.Fatalf("Run after cancel = %v, want nil", err)
	}
	if diff := cmp.Diff([]string{"a listen", "b listen", "ready"}, j.list()); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func TestListenFailureAbortsAndCloses(t *testing.T) {
	j := &journal{}
	a, b, c := newFake("a", j), newFake("dns", j), newFake("c", j)
	b.listenErr = fmt.Errorf("listen udp :53: bind: %w", syscall.EACCES)
	a.serve = func(context.Context) error { t.Error("a served after a failed start"); return nil }
	err := wait(t, run(context.Background(), []Service{a, b, c}, Options{Ready: func() { j.add("ready") }}))
	if got, want := errorText(err), "dns: listen udp :53: bind: permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE; or choose a port above 1023 in the config)"; got != want {
		t.Errorf("Run = %q, want %q", got, want)
	}
	if diff := cmp.Diff([]string{"a listen", "dns listen failed"}, j.list()); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	select {
	case <-a.closed:
	case <-time.After(30 * time.Second):
		t.Error("a's sockets were not closed after the aborted start")
	}
}

func TestServeFailureStopsTheOthers(t *testing.T) {
	j := &journal{}
	a, b := newFake("a", j), newFake("game", j)
	b.serve = func(context.Context) error { return errors.New("accept: too many open files") }
	aStopped := make(chan struct{})
	a.serve = func(ctx context.Context) error { <-ctx.Done(); close(aStopped); return nil }
	err := wait(t, run(context.Background(), []Service{a, b}, Options{}))
	if got, want := errorText(err), "game: accept: too many open files"; got != want {
		t.Errorf("Run = %q, want %q", got, want)
	}
	<-aStopped
}

func TestEarlyReturnIsAFailure(t *testing.T) {
	a := newFake("status", &journal{})
	a.serve = func(context.Context) error { return nil }
	err := wait(t, run(context.Background(), []Service{a}, Options{}))
	if got, want := errorText(err), "status: stopped serving before shutdown"; got != want {
		t.Errorf("Run = %q, want %q", got, want)
	}
}

func TestCanceledAfterStopIsClean(t *testing.T) {
	a := newFake("a", &journal{})
	a.serve = func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }
	ctx, cancel := context.WithCancel(context.Background())
	errc := run(ctx, []Service{a}, Options{Ready: cancel})
	if err := wait(t, errc); err != nil {
		t.Errorf("Run = %v, want nil for a service returning context.Canceled at shutdown", err)
	}
}

func TestHangPastGraceIsNamed(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	a, stuck := newFake("a", &journal{}), newFake("dhcp", &journal{})
	stuck.serve = func(context.Context) error { <-release; return nil }
	ctx, cancel := context.WithCancel(context.Background())
	errc := run(ctx, []Service{a, stuck}, Options{Grace: 20 * time.Millisecond, Ready: cancel})
	if got, want := errorText(wait(t, errc)), "shutdown: dhcp did not stop within 20ms"; got != want {
		t.Errorf("Run = %q, want %q", got, want)
	}
}

func TestHangAfterFailureKeepsTheCause(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	failing, stuck := newFake("game", &journal{}), newFake("dhcp", &journal{})
	failing.serve = func(context.Context) error { return errors.New("boom") }
	stuck.serve = func(context.Context) error { <-release; return nil }
	err := wait(t, run(context.Background(), []Service{failing, stuck}, Options{Grace: 20 * time.Millisecond}))
	if got, want := errorText(err), "game: boom (then dhcp did not stop within 20ms)"; got != want {
		t.Errorf("Run = %q, want %q", got, want)
	}
}

func TestLogsWhereEachServiceServes(t *testing.T) {
	var buf testenv.SyncBuffer
	logger := slog.New(slog.NewTextHandler(&buf, nil))
	ctx, cancel := context.WithCancel(context.Background())
	err := Run(ctx, logger, []Service{newFake("status", &journal{})}, Options{Ready: cancel})
	if err != nil {
		t.Fatalf("Run = %v", err)
	}
	if !strings.Contains(buf.String(), `msg=serving service=status on="test status"`) {
		t.Errorf("log does not say where status serves:\n%s", buf.String())
	}
}

func errorText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}
