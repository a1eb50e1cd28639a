package client

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/crypt"
	"github.com/psobox/psobox/gameserver/sessionlog"
	"github.com/psobox/psobox/gameserver/wire"
)

// scriptServer plays the server side of a recorded session: it sends the
// server's commands in order, and wherever the real client spoke it reads
// what psobot sends and records it. Its ciphers are the real ones, keyed by
// the recorded init command.
type scriptServer struct {
	v      wire.Version
	script []sessionlog.Event // FromServer and FromClient events, in order
	ln     net.Listener
	split  net.Listener // when set: the shared-port listener that sends the split 19

	want, got []string // "CMD size 0xNNN" of each client command: recorded and psobot's
	err       error    // why the replay stopped early
	done      chan struct{}
	release   chan struct{} // closed by the test when the client is finished
}

func newScriptServer(t *testing.T, v wire.Version, script []sessionlog.Event, withSplit bool) *scriptServer {
	t.Helper()
	s := &scriptServer{v: v, script: script, done: make(chan struct{}), release: make(chan struct{})}
	s.ln = listen(t)
	if withSplit {
		s.split = listen(t)
	}
	for _, ev := range script {
		if ev.Kind == sessionlog.FromClient {
			s.want = append(s.want, s.label(ev.Data))
		}
	}
	return s
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

// addr is where the client connects first.
func (s *scriptServer) addr() string {
	if s.split != nil {
		return s.split.Addr().String()
	}
	return s.ln.Addr().String()
}

// label names a whole command (header included) by number and size.
func (s *scriptServer) label(data []byte) string {
	h, err := s.v.HeaderFormat().Decode(data)
	if err != nil {
		return fmt.Sprintf("short command % X", data)
	}
	return fmt.Sprintf("%02X size 0x%X", h.Command, h.Size)
}

func (s *scriptServer) serve() {
	defer close(s.done)
	if s.split != nil {
		if s.err = s.sendSplit(); s.err != nil {
			return
		}
	}
	conn, err := acceptWithin(s.ln, 5*time.Second)
	if err != nil {
		s.err = err
		return
	}
	defer conn.Close()
	s.err = s.replay(conn, wire.NewFramer(conn, conn, s.v))
	<-s.release
}

// sendSplit plays newserv's shared PC/console port: one command that PC
// reads as a 19 to one address and consoles as a text message and a 19 to
// another. Both point at the replay listener; each client must read its own
// half correctly to get there.
func (s *scriptServer) sendSplit() error {
	conn, err := acceptWithin(s.split, 5*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	to := netip.MustParseAddrPort(s.ln.Addr().String())
	fr := wire.NewFramer(conn, conn, wire.PCV2) // the split command is a PC command
	return fr.WriteMsg(wire.NewReconnectSplit(to, to))
}

func acceptWithin(ln net.Listener, d time.Duration) (net.Conn, error) {
	ln.(*net.TCPListener).SetDeadline(time.Now().Add(d))
	conn, err := ln.Accept()
	if err != nil {
		return nil, fmt.Errorf("psobot never connected: %w", err)
	}
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	return conn, nil
}

func (s *scriptServer) replay(conn net.Conn, fr *wire.Framer) error {
	for i, ev := range s.script {
		var err error
		if ev.Kind == sessionlog.FromServer {
			err = s.send(fr, ev)
		} else {
			err = s.receive(fr, ev)
		}
		if err != nil {
			return fmt.Errorf("step %d (log line %d): %w", i, ev.Line, err)
		}
	}
	return nil
}

// send writes one recorded server command; after the init it switches the
// ciphers on with the recorded keys.
func (s *scriptServer) send(fr *wire.Framer, ev sessionlog.Event) error {
	hf := s.v.HeaderFormat()
	h, err := hf.Decode(ev.Data)
	if err != nil || int(h.Size) > len(ev.Data) {
		return fmt.Errorf("recorded server command does not frame: % X", ev.Data)
	}
	payload := ev.Data[hf.Len():h.Size]
	if err := fr.WriteCommand(h.Command, h.Flag, payload); err != nil {
		return err
	}
	if h.Command != 0x02 && h.Command != 0x17 {
		return nil
	}
	m, err := wire.Decode(s.v, wire.ServerToClient, h, payload)
	if err != nil {
		return err
	}
	init := m.(*wire.ServerInit)
	in, _ := crypt.NewStream(s.v.Cipher(), init.ClientKey)
	out, _ := crypt.NewStream(s.v.Cipher(), init.ServerKey)
	fr.SetCiphers(in, out)
	return nil
}

// receive reads what psobot sent where the real client sent ev.
func (s *scriptServer) receive(fr *wire.Framer, ev sessionlog.Event) error {
	cmd, err := fr.ReadCommand()
	if err != nil {
		return fmt.Errorf("waiting for psobot's %s: %w", s.label(ev.Data), err)
	}
	got := fmt.Sprintf("%02X size 0x%X", cmd.Header.Command, cmd.Header.Size)
	s.got = append(s.got, got)
	if want := s.label(ev.Data); got != want {
		return errors.New("psobot diverged from the real client")
	}
	return s.checkDecodes(cmd)
}

// checkDecodes holds psobot to what the codecs accept from real clients.
func (s *scriptServer) checkDecodes(cmd wire.Command) error {
	_, err := wire.Decode(s.v, wire.ClientToServer, cmd.Header, cmd.Payload)
	if err != nil && !errors.Is(err, wire.ErrUnknownCommand) {
		return fmt.Errorf("psobot's %02X does not decode: %w", cmd.Header.Command, err)
	}
	return nil
}
