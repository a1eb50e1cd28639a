package status

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync/atomic"
)

// answer is what one part returned, or why it did not.
type answer[T any] struct {
	v   T
	err error
}

// guard keeps a part that hangs from piling up goroutines, one per page
// view: while one of its calls is overdue, it is not called again.
type guard struct{ overdue atomic.Int32 }

// The states of a call: the awaiter and the part race to move it on.
const (
	callPending int32 = iota
	callDone
	callAbandoned // the awaiter gave up before the part answered
)

// call is one question to a part, on its way.
type call[T any] struct {
	ch    chan answer[T] // buffered: a late answer never blocks the part
	state atomic.Int32
	g     *guard
}

// errStillStuck: the part has not answered an earlier call yet.
var errStillStuck = errors.New("has not answered an earlier request yet")

// ask calls fn on its own goroutine. A panic (a nil part, a bug in an
// adapter) becomes an error, so that one broken part cannot take the page
// down with it.
func ask[T any](g *guard, fn func() T) *call[T] {
	c := &call[T]{ch: make(chan answer[T], 1), g: g}
	if g.overdue.Load() > 0 {
		c.state.Store(callDone)
		c.ch <- answer[T]{err: errStillStuck}
		return c
	}
	go c.run(fn)
	return c
}

func (c *call[T]) run(fn func() T) {
	defer func() {
		if p := recover(); p != nil {
			c.finish(answer[T]{err: &panicError{value: p, stack: debug.Stack()}})
		}
	}()
	c.finish(answer[T]{v: fn()})
}

func (c *call[T]) finish(a answer[T]) {
	c.ch <- a
	if !c.state.CompareAndSwap(callPending, callDone) {
		c.g.overdue.Add(-1) // the awaiter counted this call as overdue
	}
}

// await waits for the answer until ctx is done. An answer that is already
// there wins over a deadline that has passed too: the parts are awaited one
// after the other, under one deadline.
func await[T any](ctx context.Context, c *call[T]) (T, error) {
	select {
	case a := <-c.ch:
		return a.v, a.err
	default:
	}
	select {
	case a := <-c.ch:
		return a.v, a.err
	case <-ctx.Done():
	}
	if c.state.CompareAndSwap(callPending, callAbandoned) {
		c.g.overdue.Add(1)
		var zero T
		return zero, context.Cause(ctx)
	}
	a := <-c.ch // the part answered just now
	return a.v, a.err
}

// panicError is a part's panic, with its stack for the log.
type panicError struct {
	value any
	stack []byte
}

func (e *panicError) Error() string { return fmt.Sprintf("panicked: %v", e.value) }

// errTooSlow is the deadline's cause: a part that did not answer in time.
type errTooSlow struct{ limit string }

func (e errTooSlow) Error() string { return "gave no answer within " + e.limit }

// guards has one guard per part, made once with the Server.
type guards struct {
	process, game, dns, dhcp, capture guard
	warnings, sections                []guard
}

func newGuards(opts Options) *guards {
	return &guards{warnings: make([]guard, len(opts.Warnings)), sections: make([]guard, len(opts.Sources))}
}
