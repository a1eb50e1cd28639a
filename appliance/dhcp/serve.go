package dhcp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/insomniacslk/dhcp/dhcpv4"
	"github.com/insomniacslk/dhcp/dhcpv4/server4"
)

// Serve answers requests until ctx is done, then saves the leases, closes
// the sockets and returns nil. When it may not serve (another DHCP server
// answers, or home mode lacks the ARP probe) it says so in the log and in
// Status, and waits.
func (s *Server) Serve(ctx context.Context) error {
	if s.conn == nil {
		return errors.New("dhcp: Serve called before Listen")
	}
	saveCtx, stopSaving := context.WithCancel(ctx)
	saved := make(chan struct{})
	go s.saveLoop(saveCtx, saved)
	defer func() { stopSaving(); <-saved; s.shutdown() }()
	// Closing the sockets ends server4's read loop, and fails any ARP probe
	// in flight at once, so shutdown does not wait for probe timeouts.
	stop := context.AfterFunc(ctx, s.closeSockets)
	defer stop()
	if !s.mayServe(ctx) {
		<-ctx.Done()
		return nil
	}
	srv, err := server4.NewServer(s.cfg.iface, nil, s.handle, server4.WithConn(s.conn), server4.WithLogger(libLogger{s.log}))
	if err != nil {
		return fmt.Errorf("dhcp: %w", err)
	}
	s.log.Info("serving", "interface", s.cfg.iface, "mode", s.cfg.mode, "address", s.cfg.server,
		"pool", s.cfg.poolStart.String()+"-"+s.cfg.poolEnd.String(), "lease", s.cfg.leaseTime)
	err = srv.Serve()
	if ctx.Err() != nil {
		return nil
	}
	return fmt.Errorf("dhcp: serve: %w", err)
}

// mayServe runs the start-up checks and sets the state accordingly.
func (s *Server) mayServe(ctx context.Context) bool {
	if s.cfg.mode == ModeHome && s.prober == nil {
		s.refuse("home mode needs the ARP probe (CAP_NET_RAW) to avoid handing out addresses in use on " + s.cfg.iface + ": not serving")
		return false
	}
	if s.cfg.mode == ModeIsland && s.cfg.rogueCheck > 0 {
		return s.guard(ctx)
	}
	s.setState(StateServing, "")
	return true
}

// guard is the rogue-DHCP check: refuse to be a second authoritative
// server on the link unless forced, and look again now and then.
func (s *Server) guard(ctx context.Context) bool {
	if s.link == nil {
		if !s.cfg.force {
			s.refuse("cannot check for another DHCP server on " + s.cfg.iface + " without CAP_NET_RAW: not serving; set dhcp.force = true or dhcp.rogue_check = 0 to serve anyway")
			return false
		}
		s.log.Warn("rogue-DHCP check impossible without CAP_NET_RAW; serving because dhcp.force is set")
		s.setState(StateServing, "")
		return true
	}
	lastErr := ""
	for {
		s.setState(StateChecking, "")
		rogues, err := rogueCheck(ctx, s.link, s.cfg.rogueCheck)
		wait := rogueRecheck
		switch {
		case ctx.Err() != nil:
			return false
		case err != nil:
			// The check could not run (typically the link is down: no
			// cable yet at boot). Try again soon, and log only news.
			wait = rogueRetry
			msg := fmt.Sprintf("rogue-DHCP check on %s failed: %v: not serving until it succeeds", s.cfg.iface, err)
			if msg != lastErr {
				s.refuse(msg)
			}
			s.setState(StateRefused, msg)
			lastErr = msg
		case len(rogues) == 0:
			s.setRogues(nil, false)
			s.setState(StateServing, "")
			return true
		case s.cfg.force:
			s.setRogues(rogues, true)
			s.log.Warn(rogueSentence(rogues, s.cfg.iface) + ": serving anyway because dhcp.force is set")
			s.setState(StateServing, rogueSentence(rogues, s.cfg.iface)+": serving anyway (dhcp.force)")
			return true
		default:
			s.setRogues(rogues, false)
			s.refuse(rogueSentence(rogues, s.cfg.iface) + ": not serving; set dhcp.force = true to serve anyway")
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(wait):
		}
	}
}

func rogueSentence(rogues []RogueServer, iface string) string {
	parts := make([]string, len(rogues))
	for i, r := range rogues {
		parts[i] = fmt.Sprintf("%v, MAC %v", r.ServerID, r.MAC)
	}
	what := "another DHCP server"
	if len(rogues) > 1 {
		what = "other DHCP servers"
	}
	return fmt.Sprintf("%s (%s) answers on %s", what, strings.Join(parts, "; "), iface)
}

func (s *Server) refuse(msg string) {
	s.log.Error(msg)
	s.setState(StateRefused, msg)
}

func (s *Server) setState(st State, msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state, s.message = st, msg
}

func (s *Server) setRogues(r []RogueServer, forced bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rogues, s.forced = r, forced
}

// shutdown closes the sockets, waits for requests in flight and saves the
// leases one last time.
func (s *Server) shutdown() {
	s.closeSockets()
	for range cap(s.slots) {
		s.slots <- struct{}{}
	}
	s.save()
	s.setState(StateStopped, "")
}

// closeSockets may run more than once (when Listen's or Serve's context
// ends, and in shutdown); a later close's error means nothing.
func (s *Server) closeSockets() {
	err := s.conn.Close()
	if s.link != nil {
		err = errors.Join(err, s.link.Close())
	}
	if err != nil {
		s.log.Debug("closing sockets", "err", err)
	}
}

// handle is the server4 callback, run on its own goroutine per packet.
func (s *Server) handle(_ net.PacketConn, _ net.Addr, req *dhcpv4.DHCPv4) {
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	default:
		s.stats.busy.Add(1)
		return
	}
	s.stats.countRequest(req.MessageType())
	resp := runChain(s.chain, req)
	s.publishEvent(s.now(), req, resp)
	if resp == nil {
		s.stats.ignored.Add(1)
		return
	}
	s.stats.countReply(resp)
	if err := s.send(req, resp); err != nil {
		s.stats.sendErrors.Add(1)
		s.log.Warn("sending reply failed", "mac", req.ClientHWAddr.String(), "type", resp.MessageType(), "err", err)
	}
}

// send delivers resp per RFC 2131 §4.1, through the packet socket when the
// client needs a layer-2 unicast.
func (s *Server) send(req, resp *dhcpv4.DHCPv4) error {
	d := replyDestination(req, resp)
	payload := encode(resp)
	if d.kind == toClientMAC {
		if s.sendL2(d, payload) {
			return nil
		}
		d = broadcastDest
	}
	switch d.kind {
	case toRelay:
		s.stats.relayed.Add(1)
	case toClientIP:
		s.stats.unicastIP.Add(1)
	default:
		s.stats.broadcast.Add(1)
	}
	_, err := s.conn.WriteTo(payload, &net.UDPAddr{IP: d.ip.AsSlice(), Port: d.port})
	return err
}

// sendL2 reports whether the layer-2 unicast went out; if not, the caller
// broadcasts, which every client tested accepts. Without a link Listen has
// said so already, in the log and in Status.
func (s *Server) sendL2(d destination, payload []byte) bool {
	if s.link == nil {
		return false
	}
	pkt := marshalUDP(udpPacket{src: s.cfg.server, dst: d.ip, srcPort: serverPort, dstPort: clientPort, payload: payload})
	if err := s.link.WriteIP(pkt, d.mac); err != nil {
		if s.l2Failed.allow(s.now()) {
			s.log.Warn("layer-2 unicast failed; broadcasting instead", "mac", d.mac.String(), "err", err)
		}
		return false
	}
	s.stats.unicastL2.Add(1)
	return true
}

// libLogger routes server4's messages (one per packet, read errors,
// unparsable packets) to debug level, formatted only when debug is on.
type libLogger struct {
	log *slog.Logger
}

func (l libLogger) enabled() bool { return l.log.Enabled(context.Background(), slog.LevelDebug) }

func (l libLogger) Printf(format string, v ...any) {
	if l.enabled() {
		l.log.Debug(fmt.Sprintf(format, v...))
	}
}

func (l libLogger) PrintMessage(prefix string, m *dhcpv4.DHCPv4) {
	if l.enabled() {
		l.log.Debug(prefix, "msg", m.String())
	}
}
