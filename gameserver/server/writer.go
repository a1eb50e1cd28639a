package server

import (
	"errors"
	"log/slog"
	"os"
	"syscall"
	"time"
)

// flushThreshold starts a write before a large batch (a quest download)
// is fully encoded, so the socket buffer fills while encoding continues.
const flushThreshold = 32 << 10

// writeLoop is the client's writer goroutine: it waits for queued commands,
// encodes and encrypts a whole batch into the Framer and sends it with one
// Write. It ends when the queue is closed and drained, or on a write error.
func (c *Client) writeLoop() {
	defer close(c.writerDone)
	defer c.recoverPanic("writer")
	for range c.out.wake {
		items, data, closed := c.out.take()
		err := c.writeBatch(items, data)
		if c.out.recycle(items, data) {
			c.framer.ReleaseWriteBuffer(spareKeepBytes)
		}
		if err != nil {
			c.abort(writeFailure(err), slog.LevelInfo)
			return
		}
		if closed {
			c.halfClose()
			return
		}
	}
}

func writeFailure(err error) string {
	switch {
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return "client reset the connection"
	case errors.Is(err, os.ErrDeadlineExceeded):
		return "write timeout: the client stopped reading"
	}
	return "write failed: " + err.Error()
}

func (c *Client) writeBatch(items []outItem, data []byte) error {
	for _, it := range items {
		if it.op != nil {
			if err := c.flush(); err != nil {
				return err
			}
			it.op(c.framer)
			if it.done != nil {
				close(it.done)
			}
			continue
		}
		if err := c.framer.Queue(it.cmd, it.flag, data[it.off:it.off+it.n]); err != nil {
			return err
		}
		if c.framer.Buffered() >= flushThreshold {
			if err := c.flush(); err != nil {
				return err
			}
		}
	}
	return c.flush()
}

func (c *Client) flush() error {
	if c.framer.Buffered() == 0 {
		return nil
	}
	c.conn.SetWriteDeadline(time.Now().Add(c.srv.opts.IdleTimeout))
	return c.framer.Flush()
}

// halfClose ends the server's side of the stream after the last command, so
// the client reads everything before it sees the end (a full close with
// unread input would reset the connection and could discard the last data).
func (c *Client) halfClose() {
	if tc, ok := c.conn.(interface{ CloseWrite() error }); ok {
		tc.CloseWrite()
	}
}
