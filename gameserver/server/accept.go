package server

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"
)

// acceptBackoff paces retries when Accept fails for lack of resources
// (file descriptors): logged, not fatal.
const acceptBackoff = 50 * time.Millisecond

func (s *Server) acceptLoop(l boundListener) {
	defer s.accepts.Done()
	for {
		conn, err := l.ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			s.log.Warn("accept failed", "port", l.port.Number, "err", err)
			time.Sleep(acceptBackoff)
			continue
		}
		s.admit(conn, l.port)
	}
}

// admit starts a session for conn unless a limit refuses it.
func (s *Server) admit(conn net.Conn, port Port) {
	remote, _ := netip.ParseAddrPort(conn.RemoteAddr().String())
	remote = netip.AddrPortFrom(remote.Addr().Unmap(), remote.Port())
	if reason := s.reserve(remote.Addr()); reason != "" {
		s.log.Warn("connection refused", "remote", remote.String(), "port", port.Number, "reason", reason)
		s.recent.refused(remote, port.Number, reason)
		conn.Close()
		return
	}
	c := s.newClient(conn, port, remote)
	s.mu.Lock()
	s.clients[c] = struct{}{}
	s.mu.Unlock()
	go c.run()
}

// reserve counts a connection from ip against max_clients and max_per_ip
// before anything is allocated for it; a non-empty result is why it was
// refused.
func (s *Server) reserve(ip netip.Addr) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closing:
		return "server shutting down"
	case s.count >= s.opts.MaxClients:
		return fmt.Sprintf("too many clients (max_clients %d)", s.opts.MaxClients)
	case s.perIP[ip] >= s.opts.MaxPerIP:
		return fmt.Sprintf("too many connections from %v (max_per_ip %d)", ip, s.opts.MaxPerIP)
	}
	s.count++
	s.perIP[ip]++
	s.sessions.Add(1)
	return ""
}

// release undoes reserve when the session has ended.
func (s *Server) release(c *Client) {
	ip := c.remote.Addr()
	s.mu.Lock()
	delete(s.clients, c)
	s.count--
	if s.perIP[ip]--; s.perIP[ip] <= 0 {
		delete(s.perIP, ip)
	}
	s.mu.Unlock()
	s.sessions.Done()
}

// Clients returns the number of connected clients.
func (s *Server) Clients() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}
