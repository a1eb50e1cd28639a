package client

import (
	"sync"
	"time"

	"github.com/psobox/psobox/gameserver/wire"
)

// ackQueue sends a V3 console's chunk acknowledgements (13, A7). With
// Config.QuestAckDelay it holds them until no chunk has arrived for that
// long, like a console busy writing to its memory card, so that a server
// sends as many chunks as its flow control allows before waiting: the
// most chunks ever unacknowledged is then the server's window, which
// TransferStats reports.
type ackQueue struct {
	mu       sync.Mutex
	pending  []wire.Msg
	timer    *time.Timer
	stats    TransferStats
	inFlight int
}

// TransferStats describe the last quest transfer a V3 client received.
type TransferStats struct {
	Chunks int // chunk commands received
	// MaxInFlight is the most chunks received and not yet acknowledged at
	// once. Without Config.QuestAckDelay each chunk is acknowledged at once
	// and this is 1.
	MaxInFlight int
}

// reset starts the statistics of a new transfer.
func (q *ackQueue) reset() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.stats = TransferStats{}
}

// queueAck acknowledges a chunk now, or after Config.QuestAckDelay of
// quiet.
func (c *Client) queueAck(m wire.Msg) error {
	q := &c.acks
	q.mu.Lock()
	q.pending = append(q.pending, m)
	q.inFlight++
	q.stats.Chunks++
	q.stats.MaxInFlight = max(q.stats.MaxInFlight, q.inFlight)
	d := c.cfg.QuestAckDelay
	switch {
	case d <= 0:
	case q.timer == nil:
		q.timer = time.AfterFunc(d, c.flushAcks)
	default:
		q.timer.Reset(d)
	}
	q.mu.Unlock()
	if d <= 0 {
		return c.sendAcks()
	}
	return nil
}

// flushAcks runs when the quiet time is over.
func (c *Client) flushAcks() {
	if err := c.sendAcks(); err != nil && c.ctx.Err() == nil {
		c.fail(err)
	}
}

// sendAcks sends every held acknowledgement.
func (c *Client) sendAcks() error {
	q := &c.acks
	q.mu.Lock()
	pending := q.pending
	q.pending = nil
	q.inFlight -= len(pending)
	q.mu.Unlock()
	for _, m := range pending {
		if err := c.Send(m); err != nil {
			return err
		}
	}
	return nil
}

// TransferStats returns the statistics of the last quest transfer.
func (c *Client) TransferStats() TransferStats {
	c.acks.mu.Lock()
	defer c.acks.mu.Unlock()
	return c.acks.stats
}
