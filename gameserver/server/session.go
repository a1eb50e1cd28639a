package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/psobox/psobox/gameserver/wire"
)

// lingerTimeout bounds how long a closing connection waits for the client
// to close its side after the server's last command.
const lingerTimeout = 2 * time.Second

// Errors that end a session without being a protocol violation.
var (
	errQuit = errors.New("player quit")
)

// refusal is a login the server turned down: a normal event, logged at
// info level, after the client was told why.
type refusal struct{ reason string }

func (r refusal) Error() string { return "login refused: " + r.reason }

// ended is a session that ended normally for a reason worth logging (the
// 9100 split sent its redirect).
type ended struct{ reason string }

func (e ended) Error() string { return e.reason }

// run is the session goroutine of one connection.
func (c *Client) run() {
	go c.writeLoop()
	defer c.finish()
	defer c.recoverPanic("session")
	c.sess.loginDeadline = time.Now().Add(c.srv.opts.LoginTimeout)
	var err error
	switch c.port.Kind {
	case PortSplit:
		err = c.serveSplit()
	case PortBB:
		err = c.serveBB()
	default:
		err = c.serveConsole()
	}
	reason, level := c.explain(err)
	c.disconnectReason(reason, level)
}

// serveConsole greets a DC, PC, GameCube or Xbox client and runs its
// commands until the session ends.
func (c *Client) serveConsole() error {
	if err := c.greet(); err != nil {
		return err
	}
	for !c.sess.quit {
		cmd, err := c.readCommand()
		if err != nil {
			return err
		}
		if err := c.dispatch(cmd); err != nil {
			return err
		}
		c.trimReadBuffer()
	}
	return errQuit
}

// trimReadBuffer releases, at most once per ping interval, a read buffer
// that grew for a large command (Episode III's player data, a big relay):
// a busy client keeps reusing it, an idle one gives it back.
func (c *Client) trimReadBuffer() {
	now := time.Now()
	if now.Sub(c.sess.lastTrim) >= c.srv.opts.PingInterval {
		c.sess.lastTrim = now
		c.framer.ReleaseReadBuffer(spareKeepBytes)
	}
}

func (c *Client) readCommand() (wire.Command, error) {
	c.conn.SetReadDeadline(c.readDeadline())
	return c.framer.ReadCommand()
}

// readDeadline is the idle timeout, or the login deadline while logging in
// when that comes first.
func (c *Client) readDeadline() time.Time {
	d := time.Now().Add(c.srv.opts.IdleTimeout)
	if c.sess.phase <= phaseLogin && c.sess.loginDeadline.Before(d) {
		return c.sess.loginDeadline
	}
	return d
}

// explain turns the error that ended a session into a log reason and level:
// info for what happens in normal play, warn for protocol violations.
func (c *Client) explain(err error) (string, slog.Level) {
	var fe *wire.FrameError
	var de *wire.DecodeError
	var r refusal
	var e ended
	switch {
	case errors.Is(err, errQuit), errors.As(err, &r), errors.As(err, &e):
		return err.Error(), slog.LevelInfo
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "client closed the connection", slog.LevelInfo
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return "client reset the connection", slog.LevelInfo
	case errors.Is(err, os.ErrDeadlineExceeded):
		return c.timeoutReason(), slog.LevelInfo
	case errors.Is(err, net.ErrClosed):
		return "connection closed", slog.LevelInfo
	case errors.As(err, &fe):
		return "bad command frame: " + err.Error(), slog.LevelWarn
	case errors.As(err, &de):
		return "malformed command: " + err.Error(), slog.LevelWarn
	case err == nil:
		return "session ended", slog.LevelInfo
	}
	return err.Error(), slog.LevelWarn
}

func (c *Client) timeoutReason() string {
	if c.sess.phase <= phaseLogin && !time.Now().Before(c.sess.loginDeadline) {
		return fmt.Sprintf("login timeout: not logged in after %v", c.srv.opts.LoginTimeout)
	}
	return fmt.Sprintf("idle timeout: nothing received for %v", c.srv.opts.IdleTimeout)
}

// recoverPanic turns a panic in one client's goroutine into a logged
// disconnect of that client; the server and other clients carry on.
func (c *Client) recoverPanic(where string) {
	r := recover()
	if r == nil {
		return
	}
	c.log.Error("panic in client "+where, "panic", r, "version", c.Version(),
		"command", fmt.Sprintf("%02X", c.sess.lastCmd), "stack", string(debug.Stack()))
	c.abort(fmt.Sprintf("internal error in %s: %v", where, r), slog.LevelError)
	if h := c.srv.opts.OnPanic; h != nil {
		h(r)
	}
}

// finish tears the session down: leave the lobby, let the writer send what
// is queued, wait briefly for the client to close, log why it ended.
func (c *Client) finish() {
	c.leaveLobby()
	c.leaveGame()
	c.stopPings()
	c.out.close()
	<-c.writerDone
	c.linger()
	c.conn.Close()
	c.srv.release(c)
	c.closeMu.Lock()
	reason, level := c.closeReason, c.closeLevel
	c.closeMu.Unlock()
	c.connectionEnded(reason)
	c.log.Log(context.Background(), level, "client disconnected", "reason", reason, "version", c.Version(),
		"command", fmt.Sprintf("%02X", c.sess.lastCmd), "guild_card", c.GuildCard())
}

// linger reads and drops input until the client closes or lingerTimeout
// passes, so the last commands are not lost to a reset. The 9100 split has
// waited already.
func (c *Client) linger() {
	if c.port.Kind == PortSplit {
		return
	}
	c.conn.SetReadDeadline(time.Now().Add(lingerTimeout))
	io.Copy(io.Discard, io.LimitReader(c.rd.r, 1<<20))
}
