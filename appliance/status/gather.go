package status

import (
	"context"
	"fmt"
	"runtime/debug"
)

// answer is what one part returned, or why it did not.
type answer[T any] struct {
	v   T
	err error
}

// ask calls fn on its own goroutine and delivers the answer on the
// returned channel. A panic (a nil part, a bug in an adapter) becomes an
// error, so that one broken part cannot take the page down with it.
func ask[T any](fn func() T) <-chan answer[T] {
	ch := make(chan answer[T], 1) // buffered: a late answer never blocks the part
	go func() {
		defer func() {
			if p := recover(); p != nil {
				ch <- answer[T]{err: &panicError{value: p, stack: debug.Stack()}}
			}
		}()
		ch <- answer[T]{v: fn()}
	}()
	return ch
}

// await waits for an answer until ctx is done. An answer that is already
// there wins over a deadline that has passed too: the parts are awaited one
// after the other, under one deadline.
func await[T any](ctx context.Context, ch <-chan answer[T]) (T, error) {
	select {
	case a := <-ch:
		return a.v, a.err
	default:
	}
	select {
	case a := <-ch:
		return a.v, a.err
	case <-ctx.Done():
		var zero T
		return zero, context.Cause(ctx)
	}
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
