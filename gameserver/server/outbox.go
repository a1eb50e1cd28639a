package server

import (
	"errors"
	"fmt"
	"sync"

	"github.com/psobox/psobox/gameserver/wire"
)

// maxCommandBytes is the largest command any client accepts.
const maxCommandBytes = wire.MaxCommandSize

// spareKeepBytes bounds the buffers an idle client keeps: once per ping
// interval, buffers that grew past it for a large batch (a full lobby's
// roster, a download) are released, so they do not pin memory for the rest
// of the session, while a busy client reuses them in between.
const (
	spareKeepBytes = 1 << 10
	spareKeepItems = 64
)

var (
	errQueueFull   = errors.New("send queue full: client too slow")
	errQueueClosed = errors.New("client is disconnecting")
)

// outbox is a client's bounded queue of commands for its writer goroutine.
// Any goroutine may push; pushing never blocks (a full queue is an error and
// the caller drops the client), so a lobby's fan-out cannot be held up by one
// slow receiver. Payloads are copied into one byte buffer under the lock and
// the writer swaps it with a spare, so steady-state sends do not allocate.
//
// The outbox also owns the version commands are encoded for: changing it is
// an op queued in order with the commands, run by the writer on its Framer.
type outbox struct {
	mu         sync.Mutex
	version    wire.Version
	items      []outItem
	data       []byte
	spare      []outItem
	spareB     []byte
	closed     bool
	limit      int
	trimWanted bool
	wake       chan struct{} // capacity 1: "there is something to do"
}

// outItem is a queued command (payload data[off:off+n]) or an op to run on
// the writer's Framer, whose completion closes done.
type outItem struct {
	cmd    uint16
	flag   uint32
	off, n int
	op     func(*wire.Framer)
	done   chan struct{}
}

func newOutbox(v wire.Version, limit int) *outbox {
	return &outbox{version: v, limit: limit, wake: make(chan struct{}, 1)}
}

func (q *outbox) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// pushMsg encodes m for the outbox's current version and queues it.
func (q *outbox) pushMsg(m wire.Msg) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return errQueueClosed
	}
	start := len(q.data)
	data, flag, err := wire.AppendPayload(q.data, q.version, m)
	if err != nil {
		q.data = q.data[:start]
		return err
	}
	return q.commit(m.Command(), flag, data, start)
}

// pushRaw queues a command whose payload is already in the receiver's
// layout (relayed bytes).
func (q *outbox) pushRaw(cmd uint16, flag uint32, payload []byte) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return errQueueClosed
	}
	start := len(q.data)
	return q.commit(cmd, flag, append(q.data, payload...), start)
}

// commit records the payload appended at data[start:], enforcing the size
// of one command and the queue's bound. Called with q.mu held.
func (q *outbox) commit(cmd uint16, flag uint32, data []byte, start int) error {
	n := len(data) - start
	if n+q.version.HeaderFormat().Len() > maxCommandBytes {
		q.data = data[:start]
		return fmt.Errorf("server: command %02X of 0x%X bytes is too large to send", cmd, n)
	}
	if len(data) > q.limit {
		q.data = data[:start]
		return errQueueFull
	}
	q.data = data
	q.items = append(q.items, outItem{cmd: cmd, flag: flag, off: start, n: n})
	q.signal()
	return nil
}

// setVersion switches the layout of every command queued after it and,
// when in and out are not nil, installs the ciphers. The returned channel
// closes once the writer has applied it; the reader waits on it before
// reading the next command with the new settings.
func (q *outbox) setVersion(v wire.Version, in, out wire.Cipher) (<-chan struct{}, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return nil, errQueueClosed
	}
	q.version = v
	done := make(chan struct{})
	op := func(f *wire.Framer) {
		f.SetVersion(v)
		if in != nil || out != nil {
			f.SetCiphers(in, out)
		}
	}
	q.items = append(q.items, outItem{op: op, done: done})
	q.signal()
	return done, nil
}

// close stops further pushes; the writer sends what is queued, then ends.
func (q *outbox) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.signal()
}

// take hands the writer everything queued, and whether the queue is closed.
func (q *outbox) take() ([]outItem, []byte, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	items, data := q.items, q.data
	q.items, q.data = q.spare[:0], q.spareB[:0]
	q.spare, q.spareB = nil, nil
	return items, data, q.closed
}

// recycle returns a processed batch's buffers for reuse. After a trim
// request, buffers that grew past spareKeepBytes are dropped instead; it
// reports whether it trimmed, so the writer trims its Framer too.
func (q *outbox) recycle(items []outItem, data []byte) bool {
	clear(items) // drop op closures
	q.mu.Lock()
	defer q.mu.Unlock()
	trim := q.trimWanted
	q.trimWanted = false
	if trim {
		if cap(data) > spareKeepBytes {
			data = nil
		}
		if cap(items) > spareKeepItems {
			items = nil
		}
		if len(q.data) == 0 && cap(q.data) > spareKeepBytes {
			q.data = nil
		}
	}
	q.spare, q.spareB = items[:0], data[:0]
	return trim
}

// trim asks the writer to release buffers that grew past spareKeepBytes
// after its next batch (an empty one if nothing is queued).
func (q *outbox) trim() {
	q.mu.Lock()
	q.trimWanted = true
	q.mu.Unlock()
	q.signal()
}
