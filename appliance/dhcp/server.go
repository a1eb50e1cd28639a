package dhcp

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/insomniacslk/dhcp/dhcpv4/server4"
	"github.com/psobox/psobox/internal/fanout"
)

const (
	// maxInFlight bounds concurrent requests (server4 starts a goroutine per
	// packet); beyond it packets are dropped, as a busy server would.
	maxInFlight = 64
	// saveEvery spaces lease-file writes: a burst of ACKs costs one fsync.
	saveEvery = time.Second
	// rogueRecheck is how often a refused server looks again for the other
	// DHCP server, so unplugging it is enough to get psobox serving.
	rogueRecheck = time.Minute
	// rogueRetry is how soon a check that could not run (link down, say)
	// is tried again.
	rogueRetry = 3 * time.Second
)

// Server is the DHCPv4 service. It implements the appliance's service
// contract: Name, Listen, Serve.
type Server struct {
	cfg   settings
	log   *slog.Logger
	now   func() time.Time
	store *store
	file  *leaseFile
	stats counters
	chain []Handler
	slots chan struct{}
	kick  chan struct{} // the store changed: save the lease file

	conn     net.PacketConn
	link     Link
	prober   *arpProber
	l2Failed rateLimit

	mu          sync.Mutex
	state       State
	message     string
	rogues      []RogueServer
	forced      bool
	fileLoadErr string
	fileSaveErr string
	linkNote    string

	events fanout.Set[Event] // SubscribeEvents (events.go)
}

// New checks the options and builds the server; it opens nothing.
func New(o Options) (*Server, error) {
	cfg, err := resolve(o)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg: cfg, log: o.Logger, now: o.Now, conn: o.Conn, link: o.Link,
		file: newLeaseFile(cfg.stateDir), state: StateStarting,
		slots: make(chan struct{}, maxInFlight), kick: make(chan struct{}, 1),
		l2Failed: rateLimit{every: time.Minute},
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.store = newStore(&s.cfg, s.leasesChanged)
	s.attachLink(s.link)
	s.chain = s.buildChain()
	return s, nil
}

// buildChain assembles the request pipeline; its order is the design.
func (s *Server) buildChain() []Handler {
	ls := &leaseStep{
		cfg: &s.cfg, store: s.store, now: s.now, log: s.log, stats: &s.stats,
		exhausted: rateLimit{every: time.Minute}, failed: rateLimit{every: time.Minute}, probe: s.probe,
	}
	return []Handler{
		checkRequest(s.ownMAC),
		modeFilter(&s.cfg),
		s.cfg.reservations.handler(),
		ls.handle,
		optionsStep(&s.cfg),
	}
}

// attachLink sets the layer-2 access. It runs in New or Listen, before any
// request is handled; the lock only orders it against Status.
func (s *Server) attachLink(l Link) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.link = l
	if l != nil && s.cfg.probeWait > 0 {
		s.prober = &arpProber{link: l, wait: s.cfg.probeWait}
	}
}

func (s *Server) ownMAC() net.HardwareAddr {
	if s.link == nil {
		return nil
	}
	return s.link.HardwareAddr()
}

func (s *Server) probe(ip netip.Addr, client net.HardwareAddr) (net.HardwareAddr, error) {
	if s.prober == nil {
		return nil, nil
	}
	return s.prober.probe(ip, client)
}

// Name tags the service in logs.
func (s *Server) Name() string { return "dhcp" }

// Endpoints describes where the server answers, for the start-up log and
// the status page.
func (s *Server) Endpoints() []string {
	return []string{"udp :67 on " + s.cfg.iface + " as " + s.cfg.server.String()}
}

// Listen loads the leases and opens the sockets: UDP port 67 on the
// interface (CAP_NET_BIND_SERVICE) and, when possible, the packet sockets
// (CAP_NET_RAW). Without the latter the server still starts: replies go out
// as broadcasts, and Serve reports why it cannot serve when it needs them.
// The sockets are closed when ctx is done, so that a start-up aborted
// before Serve releases port 67.
func (s *Server) Listen(ctx context.Context) error {
	if err := s.loadLeases(); err != nil {
		return err
	}
	if s.conn == nil {
		c, err := server4.NewIPv4UDPConn(s.cfg.iface, &net.UDPAddr{Port: serverPort})
		if err != nil {
			return fmt.Errorf("dhcp: listen on %s port %d: %w", s.cfg.iface, serverPort, err)
		}
		s.conn = c
	}
	if s.link == nil {
		if l, err := openPacketLink(s.cfg.iface); err != nil {
			s.noteNoLink(err)
		} else {
			s.attachLink(l)
		}
	}
	context.AfterFunc(ctx, s.closeSockets)
	return nil
}

func (s *Server) noteNoLink(err error) {
	s.mu.Lock()
	s.linkNote = err.Error()
	s.mu.Unlock()
	s.log.Warn("no raw packet socket (CAP_NET_RAW missing?): replies that should be unicast go out as broadcast, no ARP probe, no rogue-DHCP check",
		"interface", s.cfg.iface, "err", err)
}

func (s *Server) loadLeases() error {
	if s.file == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(s.file.path), 0o700); err != nil {
		return fmt.Errorf("dhcp: state directory: %w", err)
	}
	now := s.now()
	recs, err := s.file.load(now)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case errors.Is(err, errCorrupt):
		s.quarantine(err, now)
		return nil
	case err != nil:
		return fmt.Errorf("dhcp: read lease file: %w", err)
	}
	if dropped := s.store.replace(recs); dropped > 0 {
		s.log.Info("dropped leases the configuration no longer allows", "count", dropped)
	}
	s.log.Info("leases loaded", "file", s.file.path, "count", len(recs))
	return nil
}

// quarantine moves a corrupt lease file aside: the server starts with no
// leases (clients re-request their addresses), and the file is kept.
func (s *Server) quarantine(cause error, now time.Time) {
	moved, err := s.file.quarantine(now)
	msg := fmt.Sprintf("lease file %s is unusable (%v); moved to %s, starting with no leases", s.file.path, cause, moved)
	if err != nil {
		// Saving would overwrite the only copy: keep leases in memory only.
		msg = fmt.Sprintf("lease file %s is unusable (%v) and could not be moved aside (%v); leases are not saved until it is fixed", s.file.path, cause, err)
		s.file = nil
	}
	s.log.Error(msg)
	s.mu.Lock()
	s.fileLoadErr = msg
	s.mu.Unlock()
}

func (s *Server) leasesChanged() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}
