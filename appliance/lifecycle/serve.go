package lifecycle

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// serveAll serves every service under one errgroup. The first failure
// cancels the others; after a failure or ctx's cancellation the services
// get grace to return.
func serveAll(ctx context.Context, logger *slog.Logger, services []Service, grace time.Duration) error {
	g, gctx := errgroup.WithContext(ctx)
	t := newTracker(services)
	for _, s := range services {
		g.Go(func() error {
			err := serveOne(gctx, s)
			t.stopped(s.Name(), err)
			logger.Debug("stopped", "service", s.Name(), "err", err)
			return err
		})
	}
	done := make(chan error, 1)
	go func() { done <- g.Wait() }()
	select {
	case err := <-done:
		return err
	case <-gctx.Done():
	}
	logger.Info("stopping", "services", len(services), "grace", grace)
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case err := <-done:
		return err
	case <-timer.C:
		return t.stuckError(grace)
	}
}

// tracker knows which services are still serving and the first failure.
type tracker struct {
	mu      sync.Mutex
	serving []string
	failure error
}

func newTracker(services []Service) *tracker {
	t := &tracker{}
	for _, s := range services {
		t.serving = append(t.serving, s.Name())
	}
	return t
}

func (t *tracker) stopped(name string, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, n := range t.serving {
		if n == name {
			t.serving = append(t.serving[:i], t.serving[i+1:]...)
			break
		}
	}
	if err != nil && t.failure == nil {
		t.failure = err
	}
}

// stuckError names the services that ignored the stop, keeping the
// failure that started it.
func (t *tracker) stuckError(grace time.Duration) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	stuck := fmt.Sprintf("%s did not stop within %s", strings.Join(t.serving, ", "), grace)
	if t.failure != nil {
		return fmt.Errorf("%w (then %s)", t.failure, stuck)
	}
	return fmt.Errorf("shutdown: %s", stuck)
}
