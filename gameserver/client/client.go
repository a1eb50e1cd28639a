package client

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// Client is one session with a game server, as one console.
type Client struct {
	cfg    Config
	lang   text.Language
	player wire.Player

	ctx    context.Context // the session's lifetime; Close cancels it
	cancel context.CancelFunc
	done   chan struct{} // closed when the reader goroutine has returned

	wmu  sync.Mutex // guards sending and replacing the connection
	conn net.Conn
	fr   *wire.Framer

	traceMu sync.Mutex // serialises Trace and OnReceive calls
	acks    ackQueue   // quest chunk acknowledgements (questack.go)

	rs readerState // touched only by the reader goroutine

	mu     sync.Mutex // guards the fields below
	sh     sharedState
	inbox  []Received
	stash  []Event       // events WaitEvent set aside for later waits
	notify chan struct{} // closed and replaced whenever something below changes
	err    error         // why the session ended
}

// sharedState is what the reader learns and the caller's goroutine reads.
type sharedState struct {
	phase       string
	waiting     string // what the client expects next, e.g. "9A (licence result)"
	initDone    bool   // the ciphers are set up
	menu        *wire.Menu
	menuSeq     int // counts menus received, so Lobby can tell a new one
	lobby       *Lobby
	lobbySeq    int // counts lobby joins (67), so lobby changes can tell a new one
	messageSeq  int // counts messages (01, 11, 1A, B0, D5): refusals come as one
	guildCard   uint32
	lastCmd     string
	lastAt      time.Time
	lastMessage string
	quest       []*QuestFile // the last quest loaded
	qm          questMenuState

	// Games (game.go, gamesync.go).
	game        *Game
	gameList    []GameInfo
	gameListSeq int    // counts game lists received
	lastLobbyID uint32 // the lobby to return to after a game
}

// Received is one command from the server.
type Received struct {
	Time    time.Time
	Header  wire.Header
	Payload []byte   // a copy: safe to keep
	Msg     wire.Msg // typed; nil when psobot has no codec for it or it did not decode
	Err     error    // why Msg is nil although a codec exists
}

// Dial connects to addr ("host:port") and logs in as cfg says, returning
// once the server shows its main menu (or puts the client straight into a
// lobby). With cfg.Manual it returns as soon as the ciphers are set up.
// Errors are *StepError values naming the phase that failed.
func Dial(ctx context.Context, addr string, cfg Config) (*Client, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, &StepError{Phase: "config", Err: err}
	}
	c := newClient(cfg)
	if err := c.connect(ctx, addr); err != nil {
		c.cancel()
		return nil, &StepError{Phase: PhaseConnect, Err: err}
	}
	go c.run()
	ready := func(s *sharedState) bool { return s.phase == PhaseMainMenu || s.phase == PhaseInLobby }
	if cfg.Manual {
		ready = func(s *sharedState) bool { return s.initDone }
	}
	if err := c.waitFor(ctx, ready); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func newClient(cfg Config) *Client {
	lang, _ := parseLang(cfg.Lang) // checked by withDefaults
	c := &Client{cfg: cfg, lang: lang, done: make(chan struct{}), notify: make(chan struct{})}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	if cfg.Player != nil {
		c.player = *cfg.Player
	} else {
		c.player = NewPlayer(cfg.Name, cfg.Class, cfg.SectionID, lang)
		setLevel(&c.player, cfg.Level)
	}
	c.rs.guildCard = noGuildCard
	c.sh.phase = PhaseConnect
	return c
}

// Version is the console version this client speaks.
func (c *Client) Version() wire.Version { return c.cfg.Version }

// Config returns the configuration in use, defaults and generated
// credentials filled in.
func (c *Client) Config() Config { return c.cfg }

// Player returns the character the client sends as its player data.
func (c *Client) Player() wire.Player { return c.player }

// GuildCard is the guild card number the server assigned (0 before 04).
func (c *Client) GuildCard() uint32 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sh.guildCard
}

// Phase is the phase the session is in (PhaseLogin, PhaseInLobby, ...).
func (c *Client) Phase() string { return c.phase() }

func (c *Client) phase() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sh.phase
}

// Close ends the session. It is safe to call more than once.
func (c *Client) Close() error {
	c.cancel()
	c.wmu.Lock()
	if c.conn != nil {
		c.conn.Close()
	}
	c.wmu.Unlock()
	<-c.done
	return nil
}

// Err returns why the session ended, or nil while it runs.
func (c *Client) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// update changes the shared state and wakes every waiter.
func (c *Client) update(f func(s *sharedState)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f(&c.sh)
	c.broadcast()
}

// broadcast wakes waiters; c.mu must be held.
func (c *Client) broadcast() {
	close(c.notify)
	c.notify = make(chan struct{})
}

// setPhase records a new phase and what the client waits for in it.
func (c *Client) setPhase(phase, waiting string) {
	old := c.phase()
	c.update(func(s *sharedState) { s.phase, s.waiting = phase, waiting })
	if old != phase {
		c.info("phase: %s", phase)
	}
}

// fail ends the session with err (the first error wins) and closes the
// connection so that the reader stops.
func (c *Client) fail(err error) {
	c.mu.Lock()
	if c.err == nil {
		var se *StepError
		if !errors.As(err, &se) && !errors.Is(err, ErrClosed) {
			err = &StepError{Phase: c.sh.phase, Err: err}
		}
		c.err = err
		c.broadcast()
	}
	c.mu.Unlock()
	c.cancel()
	c.wmu.Lock()
	if c.conn != nil {
		c.conn.Close()
	}
	c.wmu.Unlock()
}

// waitFor blocks until ready(state) holds, the session fails or ctx ends.
func (c *Client) waitFor(ctx context.Context, ready func(*sharedState) bool) error {
	for {
		c.mu.Lock()
		ok, err, ch := ready(&c.sh), c.err, c.notify
		c.mu.Unlock()
		if ok {
			return nil
		}
		if err != nil {
			return err
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return c.waitError(ctx.Err(), "")
		}
	}
}

// waitError describes a wait cut short by ctx, as a *StepError.
func (c *Client) waitError(ctxErr error, waiting string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if waiting == "" {
		waiting = c.sh.waiting
	}
	if waiting == "" {
		waiting = "the server"
	}
	we := &WaitError{Waiting: waiting, LastCmd: c.sh.lastCmd, Err: ctxErr}
	if !c.sh.lastAt.IsZero() {
		we.Since = c.cfg.Now().Sub(c.sh.lastAt)
	}
	return &StepError{Phase: c.sh.phase, Err: we}
}
