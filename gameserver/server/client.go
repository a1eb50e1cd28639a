package server

import (
	"bufio"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/psobox/psobox/gameserver/accounts"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// readBufferBytes is each connection's read buffer: small commands (lobby
// movement is 8-0x1C bytes) then cost one read syscall per batch, not two
// per command.
const readBufferBytes = 512

// Client is one connection. Its session goroutine owns the session state
// and is the only one that reads commands; its writer goroutine owns the
// socket's write side. Other goroutines (lobby fan-out) only push to the
// outbox and read the fields documented as shared.
type Client struct {
	srv    *Server
	id     uint64
	conn   net.Conn
	remote netip.AddrPort
	port   Port
	log    *slog.Logger
	out    *outbox
	framer *wire.Framer
	rd     prefixReader

	// Shared with other goroutines.
	version   atomic.Uint32 // wire.Version, for logs and receivers' layouts
	guildCard atomic.Uint32
	player    atomic.Pointer[wire.Player] // nil until the first 61
	records   atomic.Pointer[records]     // challenge/battle records from 61
	arrow     atomic.Uint32               // lobby arrow colour (89)

	// Social state shared with other goroutines (lobbies, search, mail,
	// status; social.go).
	connected time.Time               // when the connection was accepted
	location  atomic.Pointer[Lobby]   // the lobby the client is seated in; nil elsewhere
	profile   atomic.Pointer[profile] // info board, auto-reply, blocked senders

	closeMu     sync.Mutex
	closeReason string
	closeLevel  slog.Level
	writerDone  chan struct{}
	pingTimer   *time.Timer
	capture     connCapture // session capture and the recent list (capture.go)
	files       fileSender  // quest files on their way (quest_send.go)

	sess session // owned by the session goroutine
}

// records are a player's challenge and battle records in the layout of the
// version that sent them (C5 entries).
type records struct {
	version wire.Version
	data    [0x15C]byte // client ID, then the records
}

// session is the state of the login and menus, touched only by the
// session goroutine.
type session struct {
	phase       phase
	family      wire.CipherFamily
	subVersion  uint32
	lang        text.Language
	licence     accounts.Licence
	licenceOK   bool // a licence check (9A, DB, 90, 88) passed
	protoProbed bool // DC: the 11/2000 probe (a second 90) was sent or 92 seen
	welcome     bool // the login came in a GameCube 9E: show the welcome message
	atWelcome   bool // waiting for D6 after the welcome message
	inInfoMenu  bool
	enableSave  bool     // 96 seen: send 97 before the lobby
	preferLobby lobbyRef // the lobby a meet-user login asks for
	lastCmd     uint16
	lobby       *Lobby
	lobbySlot   uint8
	social      socialSession // chat buffers, profile and mail state (social.go)
	quit        bool          // end the session after this command (menu Disconnect)

	loginDeadline time.Time
	lastTrim      time.Time // last release of an overgrown read buffer

	awaitPlayer func() error // runs when the requested 61 arrives
	awaitSave   func() error // runs when 99 answers 97

	// Games (game*.go, relay*.go). lobbySlot is the slot in the game.
	game       *Game
	fromBlock  uint32    // the block the player left for the game
	relay      relayItem // reused for every relayed subcommand
	relayDrops uint64
}

// prefixReader reads unread bytes first, then the buffered connection: the
// first header is read raw for cipher detection and then given back to the
// Framer.
type prefixReader struct {
	prefix []byte
	r      *bufio.Reader
}

func (p *prefixReader) Read(b []byte) (int, error) {
	if len(p.prefix) > 0 {
		n := copy(b, p.prefix)
		p.prefix = p.prefix[n:]
		return n, nil
	}
	return p.r.Read(b)
}

func (s *Server) newClient(conn net.Conn, port Port, remote netip.AddrPort) *Client {
	id := s.nextID.Add(1)
	v := port.Kind.initialVersion()
	c := &Client{
		srv: s, id: id, conn: conn, remote: remote, port: port,
		log:        s.log.With("client", id, "remote", remote.String(), "port", port.Number),
		out:        newOutbox(v, s.opts.SendQueueBytes),
		writerDone: make(chan struct{}),
		connected:  s.opts.Now(),
	}
	c.rd.r = bufio.NewReaderSize(conn, readBufferBytes)
	c.framer = wire.NewFramer(&c.rd, conn, v)
	c.version.Store(uint32(v))
	c.startCapture()
	c.newPingTimer()
	return c
}

// Version is the client's version as currently known.
func (c *Client) Version() wire.Version { return wire.Version(c.version.Load()) }

// ID is the connection's number in logs.
func (c *Client) ID() uint64 { return c.id }

// GuildCard is the client's guild card number (0 before login).
func (c *Client) GuildCard() uint32 { return c.guildCard.Load() }

// Player is the client's character as last reported (nil before its 61).
func (c *Client) Player() *wire.Player { return c.player.Load() }

// Send queues m for the client in its version's layout. A full queue drops
// the client; the error says why the message was not queued.
func (c *Client) Send(m wire.Msg) error {
	err := c.out.pushMsg(m)
	c.noteSendError(err)
	return err
}

// SendRaw queues a command whose payload is already in the client's layout.
func (c *Client) SendRaw(cmd uint16, flag uint32, payload []byte) error {
	err := c.out.pushRaw(cmd, flag, payload)
	c.noteSendError(err)
	return err
}

func (c *Client) noteSendError(err error) {
	switch {
	case err == nil, err == errQueueClosed:
	case err == errQueueFull:
		c.abort(err.Error(), slog.LevelWarn)
	default:
		c.log.Error("cannot send command", "err", err)
	}
}

// setVersion records a newly identified version and waits until the writer
// uses it, so the next read and every later send use its layout.
func (c *Client) setVersion(v wire.Version, in, out wire.Cipher) error {
	done, err := c.out.setVersion(v, in, out)
	if err != nil {
		return err
	}
	c.version.Store(uint32(v))
	select {
	case <-done:
		return nil
	case <-c.writerDone:
		return io.ErrClosedPipe
	}
}

// disconnectReason records why the client goes, once: the first reason wins.
func (c *Client) disconnectReason(reason string, level slog.Level) {
	c.closeMu.Lock()
	defer c.closeMu.Unlock()
	if c.closeReason == "" {
		c.closeReason, c.closeLevel = reason, level
	}
}

// abort drops the client at once, from any goroutine: queued data is lost.
func (c *Client) abort(reason string, level slog.Level) {
	c.disconnectReason(reason, level)
	c.out.close()
	c.conn.Close()
}
