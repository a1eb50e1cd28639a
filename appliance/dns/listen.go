package dns

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"time"

	miekg "github.com/miekg/dns"
)

const (
	// maxQuerySize is the largest query datagram read; queries are small,
	// and a bigger one is cut and then rejected as malformed.
	maxQuerySize = 4096
	// bindAttempts bounds the search for a port free for both UDP and TCP
	// when the configured port is 0.
	bindAttempts = 8
	// qrBit is the header bit that marks a response.
	qrBit = 1 << 15
)

// Listen binds UDP and TCP on the same address, or adopts the sockets given
// in Options. It does not block. The sockets are closed when ctx is done,
// so that a start-up aborted before Serve releases the port.
func (s *Server) Listen(ctx context.Context) error {
	pc, ln, err := s.sockets(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.pc, s.ln, s.bound = pc, ln, addrPortOf(pc.LocalAddr())
	s.unwatch = context.AfterFunc(ctx, s.closeSockets)
	s.mu.Unlock()
	s.log.Info("listening", "udp", pc.LocalAddr(), "tcp", ln.Addr(), "catchall", s.opts.Catchall)
	switch {
	case s.resolv != nil:
		s.resolv.current() // reads and logs them now, not at the first query
	case s.upstreams != nil:
		s.log.Info("upstream resolvers from configuration", "servers", s.opts.Upstreams)
	}
	return nil
}

func (s *Server) sockets(ctx context.Context) (net.PacketConn, net.Listener, error) {
	pc, ln := s.opts.PacketConn, s.opts.Listener
	var lc net.ListenConfig
	var err error
	switch {
	case pc == nil && ln == nil:
		return listenPair(ctx, s.opts.Listen)
	case pc == nil:
		pc, err = lc.ListenPacket(ctx, "udp", ln.Addr().String())
	case ln == nil:
		ln, err = lc.Listen(ctx, "tcp", pc.LocalAddr().String())
	}
	return pc, ln, err
}

// listenPair binds UDP first, then TCP on the port UDP got, retrying with
// another port when the configured port is 0 and TCP's is taken.
func listenPair(ctx context.Context, addr string) (net.PacketConn, net.Listener, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, nil, err
	}
	var lc net.ListenConfig
	for range bindAttempts {
		pc, err := lc.ListenPacket(ctx, "udp", addr)
		if err != nil {
			return nil, nil, err
		}
		udpPort := strconv.Itoa(int(addrPortOf(pc.LocalAddr()).Port()))
		ln, err := lc.Listen(ctx, "tcp", net.JoinHostPort(host, udpPort))
		if err == nil {
			return pc, ln, nil
		}
		_ = pc.Close()
		if port != "0" {
			return nil, nil, err
		}
	}
	return nil, nil, fmt.Errorf("no port free for both UDP and TCP on %s after %d attempts", addr, bindAttempts)
}

func addrPortOf(a net.Addr) netip.AddrPort {
	switch a := a.(type) {
	case *net.UDPAddr:
		return a.AddrPort()
	case *net.TCPAddr:
		return a.AddrPort()
	}
	return netip.AddrPort{}
}

// Serve answers on both sockets until ctx is done, then shuts down, letting
// queries in flight finish, and returns nil.
func (s *Server) Serve(ctx context.Context) error {
	s.mu.Lock()
	pc, ln, unwatch := s.pc, s.ln, s.unwatch
	s.mu.Unlock()
	if pc == nil {
		return errors.New("dns: Serve called before Listen")
	}
	defer unwatch() // shutdown closes the sockets
	if s.upstreams != nil {
		defer s.upstreams.close()
	}
	servers := []*miekg.Server{s.miekgServer(ctx, pc, nil), s.miekgServer(ctx, nil, ln)}
	errc := make(chan error, len(servers))
	for _, srv := range servers {
		go func() { errc <- srv.ActivateAndServe() }()
	}
	select {
	case <-ctx.Done():
		return s.shutdown(servers, errc, len(servers), nil)
	case err := <-errc:
		switch {
		case ctx.Err() != nil: // Listen's context closed the sockets: a stop, not a failure
			err = nil
		case err == nil:
			err = errors.New("dns: serve: stopped unexpectedly")
		default:
			err = fmt.Errorf("dns: serve: %w", err)
		}
		return s.shutdown(servers, errc, len(servers)-1, err)
	}
}

// shutdown stops the servers and waits for the running ones still to
// return. Closing the sockets ends a server however far it got in starting.
func (s *Server) shutdown(servers []*miekg.Server, errc <-chan error, running int, failure error) error {
	sctx, cancel := context.WithTimeout(context.Background(), s.opts.Timeout+time.Second)
	defer cancel()
	for _, srv := range servers {
		if err := srv.ShutdownContext(sctx); err != nil {
			s.log.Debug("shutdown", "err", err)
		}
	}
	s.closeSockets()
	for range running {
		if err := <-errc; err != nil && !errors.Is(err, net.ErrClosed) && failure == nil {
			s.log.Warn("server ended with an error during shutdown", "err", err)
		}
	}
	return failure
}

func (s *Server) closeSockets() {
	s.mu.Lock()
	defer s.mu.Unlock()
	_ = s.pc.Close()
	_ = s.ln.Close()
}

// miekgServer wraps one socket in a miekg/dns server feeding our chain.
func (s *Server) miekgServer(ctx context.Context, pc net.PacketConn, ln net.Listener) *miekg.Server {
	return &miekg.Server{
		PacketConn:     pc,
		Listener:       ln,
		Handler:        &serveAdapter{ctx: ctx, handler: s.handler, udp: pc != nil, log: s.log},
		UDPSize:        maxQuerySize,
		MsgAcceptFunc:  s.acceptQuery,
		MsgInvalidFunc: func([]byte, error) { s.stats.invalid.Add(1) },
	}
}

// acceptQuery filters on the header alone. Anything that is not one plain
// question is dropped without a word, so that garbage and reflected
// responses get no reply; other opcodes get NOTIMP.
func (s *Server) acceptQuery(h miekg.Header) miekg.MsgAcceptAction {
	if h.Bits&qrBit != 0 || h.Qdcount != 1 || h.Ancount != 0 || h.Nscount != 0 || h.Arcount > 2 {
		s.stats.invalid.Add(1)
		return miekg.MsgIgnore
	}
	if opcode := int(h.Bits>>11) & 0xF; opcode != miekg.OpcodeQuery {
		return miekg.MsgRejectNotImplemented
	}
	growStack(0)
	return miekg.MsgAccept
}

// queryStackBytes is about the stack a query needs: unpacking it, the
// chain, packing the reply.
const queryStackBytes = 4 << 10

// growStack gives the goroutine the stack a whole query needs in one step,
// while it is still shallow. The DNS library runs each UDP query on a new
// goroutine (and calls acceptQuery there first) whose small stack would
// otherwise grow two or three times, deep in unpacking and packing, each
// time copying and adjusting every frame: 18% of the CPU of answering a
// query before this (BenchmarkUDPPSOName's profile).
//
//go:noinline
func growStack(i int) byte {
	var frame [queryStackBytes]byte
	return frame[i]
}
