package dns

import (
	"io"
	"log/slog"
	"net"
	"net/netip"
	"testing"
	"time"

	miekg "github.com/miekg/dns"
	"github.com/psobox/psobox/internal/testenv"
)

// sentinel is the island-mode game server address used throughout the tests.
var sentinel = netip.MustParseAddr("198.18.55.1")

func newFakeClock() *testenv.Clock {
	return testenv.NewClock(time.Date(2026, 5, 1, 20, 0, 0, 0, time.UTC))
}

// fakeWriter records replies; its addresses are whatever the test says.
type fakeWriter struct {
	local, remote net.Addr
	msgs          []*miekg.Msg
}

func newFakeWriter(client string, tcp bool) *fakeWriter {
	ip := net.ParseIP(client)
	if tcp {
		return &fakeWriter{local: &net.TCPAddr{IP: net.IPv4(10, 55, 0, 1), Port: 53}, remote: &net.TCPAddr{IP: ip, Port: 40000}}
	}
	return &fakeWriter{local: &net.UDPAddr{IP: net.IPv4(10, 55, 0, 1), Port: 53}, remote: &net.UDPAddr{IP: ip, Port: 40000}}
}

func (w *fakeWriter) LocalAddr() net.Addr  { return w.local }
func (w *fakeWriter) RemoteAddr() net.Addr { return w.remote }
func (w *fakeWriter) WriteMsg(m *miekg.Msg) error {
	w.msgs = append(w.msgs, m)
	return nil
}

// last returns the only reply, failing the test if there is not exactly one.
func (w *fakeWriter) last(t testing.TB) *miekg.Msg {
	t.Helper()
	if len(w.msgs) != 1 {
		t.Fatalf("got %d replies, want 1", len(w.msgs))
	}
	return w.msgs[0]
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func query(name string, qtype uint16) *miekg.Msg {
	m := new(miekg.Msg)
	m.SetQuestion(miekg.Fqdn(name), qtype)
	return m
}
