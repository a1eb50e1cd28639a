package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/psobox/psobox/gameserver/accounts"
	"github.com/psobox/psobox/gameserver/crypt"
	"github.com/psobox/psobox/gameserver/quest"
)

// shutdownWait bounds how long Serve waits for sessions to end after its
// context is cancelled.
const shutdownWait = 5 * time.Second

// Server is the PSO game server: every console port, the logins, the menus
// and the lobbies.
type Server struct {
	opts      Options
	log       *slog.Logger
	accounts  *accounts.Store
	bbKeys    []*crypt.BBKey
	bbOff     error // why Blue Burst is off (no usable key table); nil when on
	ep3Cards  []byte
	lobbies   *lobbies // blocks of lobbies (blocks.go)
	started   time.Time
	listeners []boundListener
	nextID    atomic.Uint64
	panicOn   atomic.Uint32 // tests: 1+command whose dispatch panics (export_test.go)
	recent    recentList    // ended and refused connections (recent.go)

	games      games // game*.go
	relayStats relayCounters
	quests     atomic.Pointer[quest.Index] // quest_load.go; nil without quests

	mu       sync.Mutex
	clients  map[*Client]struct{}
	count    int // reserved connections, sessions starting included
	perIP    map[netip.Addr]int
	closing  bool
	sessions sync.WaitGroup
	accepts  sync.WaitGroup
}

type boundListener struct {
	port Port
	ln   net.Listener
	addr netip.AddrPort
}

// New checks the options; nothing is opened or bound until Listen.
func New(opts Options) (*Server, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Server{
		opts: o, log: o.Logger, lobbies: newLobbies(o.MenuEvent, o.MaxClients), started: o.Now(),
		clients: map[*Client]struct{}{}, perIP: map[netip.Addr]int{},
	}, nil
}

// Name is the component name in logs.
func (s *Server) Name() string { return "game" }

// Listen opens the accounts database, loads the optional data (BB key
// tables, Ep3 card list) and binds every port. Any failure undoes the rest;
// the ports are closed when ctx ends, served or not.
func (s *Server) Listen(ctx context.Context) (err error) {
	if s.accounts, err = accounts.OpenDir(s.opts.StateDir, accounts.Options{}); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			s.closeListeners()
			s.listeners = nil
			s.accounts.Close()
		}
	}()
	if err := s.loadData(); err != nil {
		return err
	}
	var lc net.ListenConfig
	for _, p := range Ports(s.opts.PCOn9100, len(s.bbKeys) > 0) {
		if err := s.bind(ctx, &lc, p); err != nil {
			return err
		}
	}
	// A start-up aborted by a later service's Listen ends ctx without Serve
	// ever running: the console ports must come free all the same.
	context.AfterFunc(ctx, s.closeListeners)
	s.log.Info("game server listening", "ports", len(s.listeners), "accounts", s.accounts.Path(),
		"bb", len(s.bbKeys) > 0, "patch_server", false)
	return nil
}

func (s *Server) bind(ctx context.Context, lc *net.ListenConfig, p Port) error {
	port := p.Number
	if s.opts.EphemeralPorts {
		port = 0
	}
	addr := net.JoinHostPort(s.opts.Listen, strconv.Itoa(port))
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("server: listening on %s for %s (%s): %w", addr, p.Name, p.Kind, err)
	}
	ap, _ := netip.ParseAddrPort(ln.Addr().String())
	s.listeners = append(s.listeners, boundListener{port: p, ln: ln, addr: ap})
	return nil
}

// loadData reads the BB key tables, the quests and the Ep3 card list when
// configured.
func (s *Server) loadData() error {
	s.loadBBKeys()
	s.loadQuests()
	if s.opts.Ep3CardDefinitions == "" {
		return nil
	}
	data, err := os.ReadFile(s.opts.Ep3CardDefinitions)
	if err != nil {
		return fmt.Errorf("server: Episode III card list: %w", err)
	}
	if len(data) == 0 || len(data)+8 > maxCommandBytes {
		return fmt.Errorf("server: Episode III card list %s: %d bytes does not fit one command", s.opts.Ep3CardDefinitions, len(data))
	}
	s.ep3Cards = data
	return nil
}

// Addrs maps each port number clients use to the address it is bound to
// (with EphemeralPorts, the port the system chose).
func (s *Server) Addrs() map[int]netip.AddrPort {
	out := map[int]netip.AddrPort{}
	for _, l := range s.listeners {
		out[l.port.Number] = l.addr
	}
	return out
}

// Endpoints says where the game server listens, for the start-up log and
// the status page: the bound address and every port.
func (s *Server) Endpoints() []string {
	byHost := map[string][]string{}
	var hosts []string
	for _, l := range s.listeners {
		host := l.addr.Addr().String()
		if _, seen := byHost[host]; !seen {
			hosts = append(hosts, host)
		}
		byHost[host] = append(byHost[host], strconv.Itoa(int(l.addr.Port())))
	}
	out := make([]string, 0, len(hosts))
	for _, h := range hosts {
		out = append(out, "tcp "+h+" ports "+strings.Join(byHost[h], ","))
	}
	return out
}

// boundPort is the port actually bound for a port number of the table.
func (s *Server) boundPort(number int) uint16 {
	for _, l := range s.listeners {
		if l.port.Number == number {
			return l.addr.Port()
		}
	}
	return uint16(number)
}

// Serve accepts connections until ctx is cancelled, then closes every
// listener and session and the accounts database.
func (s *Server) Serve(ctx context.Context) error {
	if len(s.listeners) == 0 {
		return errors.New("server: Serve called before a successful Listen")
	}
	for _, l := range s.listeners {
		s.accepts.Add(1)
		go s.acceptLoop(l)
	}
	<-ctx.Done()
	s.shutdown()
	return nil
}

func (s *Server) closeListeners() {
	for _, l := range s.listeners {
		l.ln.Close()
	}
}

func (s *Server) shutdown() {
	s.closeListeners()
	s.accepts.Wait()
	s.mu.Lock()
	s.closing = true
	all := make([]*Client, 0, len(s.clients))
	for c := range s.clients {
		all = append(all, c)
	}
	s.mu.Unlock()
	for _, c := range all {
		c.abort("server shutting down", slog.LevelInfo)
	}
	done := make(chan struct{})
	go func() { s.sessions.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(shutdownWait):
		s.log.Error("sessions still running after shutdown", "wait", shutdownWait)
	}
	if err := s.accounts.Close(); err != nil {
		s.log.Error("closing the accounts database", "err", err)
	}
}
