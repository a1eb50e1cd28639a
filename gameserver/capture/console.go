package capture

import (
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"time"

	"github.com/psobox/psobox/gameserver/sessionlog"
	"github.com/psobox/psobox/gameserver/wire"
)

// console is the open capture file of one console (one IP address) and the
// connections writing to it. Guarded by Capture.mu.
type console struct {
	ip      netip.Addr
	f       *os.File // nil when the file could not be created: events are dropped
	name    string
	size    int64
	conns   int // connections recording into it
	version wire.Version
	closed  bool // file closed: recorders still holding it write nothing
	linger  *time.Timer
}

func (con *console) stopLinger() {
	if con.linger != nil {
		con.linger.Stop()
		con.linger = nil
	}
}

// console returns ip's open console, or opens a file for it that starts
// with the notes waiting for that address. c.mu is held.
func (c *Capture) console(ip netip.Addr, t time.Time) *console {
	if con := c.consoles[ip]; con != nil {
		return con
	}
	con := &console{ip: ip, version: wire.UnknownVersion}
	c.consoles[ip] = con
	head := []sessionlog.Event{{Kind: sessionlog.Note, Time: t, Text: c.headline(ip)}}
	c.openFile(con, t, append(head, c.pending.take(ip, t)...))
	return con
}

func (c *Capture) headline(ip netip.Addr) string {
	masked := "credentials masked (replay substitutes its own)"
	if !c.mask {
		masked = "credentials NOT masked"
	}
	return fmt.Sprintf("psobox capture of the console at %v; %s", ip, masked)
}

// openFile creates con's next file and writes head into it. c.mu is held.
func (c *Capture) openFile(con *console, t time.Time, head []sessionlog.Event) {
	after := 0
	if stamp := t.UTC().Format(stampLayout); stamp == c.lastStamp {
		after = c.lastN
	}
	f, name, n, err := createFile(c.opts.Dir, t, con.ip, after)
	if err != nil {
		c.fail(err)
		return
	}
	c.lastStamp, c.lastN = t.UTC().Format(stampLayout), n
	con.f, con.name, con.size = f, name, 0
	var b bytes.Buffer
	w := sessionlog.NewWriter(&b, c.opts.PID)
	for _, ev := range head {
		w.Write(ev)
	}
	if w.Flush() == nil {
		c.append(con, b.Bytes())
	}
}

// append writes b to con's file within the limits. c.mu is held.
func (c *Capture) append(con *console, b []byte) {
	n := int64(len(b))
	if con.f != nil && con.size > 0 && con.size+n > c.opts.MaxFileBytes {
		c.rotate(con)
	}
	if con.f == nil || !c.disk.makeRoom(c.opts.Dir, n, c.opts.MaxTotalBytes, c.opts.Logger) {
		c.dropped.Add(1)
		return
	}
	written, err := con.f.Write(b)
	con.size += int64(written)
	c.disk.total += int64(written)
	if err != nil {
		c.fail(err)
		c.dropped.Add(1)
	}
}

// rotate closes con's full file and continues in a new one. c.mu is held.
func (c *Capture) rotate(con *console) {
	old := con.name
	c.closeFile(con)
	now := c.now()
	c.openFile(con, now, []sessionlog.Event{{Kind: sessionlog.Note, Time: now,
		Text: c.headline(con.ip) + "; continues " + old}})
}

func (c *Capture) closeFile(con *console) {
	if con.f == nil {
		return
	}
	if err := con.f.Close(); err != nil {
		c.fail(err)
	}
	c.disk.closedFile(con.name, con.size)
	con.f = nil
}

// lingerLocked closes con's file after Linger without connections.
func (c *Capture) lingerLocked(con *console) {
	if con.conns > 0 || con.closed {
		return
	}
	con.stopLinger()
	con.linger = time.AfterFunc(c.opts.Linger, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if con.conns == 0 {
			c.closeConsole(con)
		}
	})
}

func (c *Capture) closeConsole(con *console) {
	if con.closed {
		return
	}
	con.closed = true
	con.stopLinger()
	c.closeFile(con)
	if c.consoles[con.ip] == con {
		delete(c.consoles, con.ip)
	}
}

func (c *Capture) closeAll() {
	for _, con := range c.consoles {
		c.closeConsole(con)
	}
	c.pending = pendingNotes{}
}

// fail remembers a file error for the status page and logs it once.
func (c *Capture) fail(err error) {
	if c.failed != err.Error() {
		c.opts.Logger.Error("capture: writing failed; events are dropped", "err", err)
	}
	c.failed = err.Error()
}
