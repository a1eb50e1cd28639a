package dhcp

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/insomniacslk/dhcp/dhcpv4"
)

// waitFor polls cond for up to 10 s; tests stay correct on a slow machine
// and fast on a quick one.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (l *fakeLink) sent() []sentPacket {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]sentPacket(nil), l.sentIP...)
}

// sentReplies parses what the server sent through the link to clients.
func (l *fakeLink) sentReplies(t testing.TB) []*dhcpv4.DHCPv4 {
	var out []*dhcpv4.DHCPv4
	for _, p := range l.sent() {
		u, err := parseUDP(p.pkt)
		if err != nil || u.dstPort != clientPort || u.srcPort != serverPort {
			continue
		}
		m, err := dhcpv4.FromBytes(u.payload)
		if err != nil {
			t.Fatalf("server sent an unparsable reply: %v", err)
		}
		if keyOf(p.dst) != keyOf(m.ClientHWAddr) || addrOf(m.YourIPAddr) != u.dst {
			t.Errorf("L2 reply to %v/%v for client %v/%v", p.dst, u.dst, m.ClientHWAddr, m.YourIPAddr)
		}
		out = append(out, m)
	}
	return out
}

// TestServeOverLoopback runs the whole server on a loopback socket: the
// reply to a client without an address goes out as a layer-2 unicast, and
// garbage in between does not disturb it.
func TestServeOverLoopback(t *testing.T) {
	s, _, link := newTestServer(t, func(o *Options) { o.Conn = loopbackConn(t) })
	stop := runServer(t, s)
	defer stop()
	client := loopbackConn(t)
	to := s.conn.LocalAddr()
	for _, junk := range [][]byte{{}, {1, 2, 3}, make([]byte, 300), []byte(strings.Repeat("\xff", 600))} {
		if _, err := client.WriteTo(junk, to); err != nil {
			t.Fatal(err)
		}
	}
	disc := discover(t, macGC)
	if _, err := client.WriteTo(disc.ToBytes(), to); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the OFFER", func() bool { return len(link.sentReplies(t)) == 1 })
	offer := link.sentReplies(t)[0]
	if offer.MessageType() != dhcpv4.MessageTypeOffer || offer.TransactionID != disc.TransactionID {
		t.Errorf("got %v, want the OFFER for transaction %v", offer, disc.TransactionID)
	}
	st := s.Status()
	if st.State != StateServing || st.Counters.UnicastL2 != 1 || st.Counters.Offer != 1 || st.Counters.Discover != 1 {
		t.Errorf("status after one DISCOVER: %+v", st)
	}
}

func TestRogueGuardRefusesToServe(t *testing.T) {
	rogue := RogueServer{ServerID: ip("10.0.0.1"), MAC: mustMAC("aa:bb:cc:00:00:01")}
	s, _, link := newTestServer(t, func(o *Options) { o.Conn = loopbackConn(t); o.RogueCheck = 50 * time.Millisecond })
	link.rogues = []RogueServer{rogue}
	stop := runServer(t, s)
	defer stop()
	waitFor(t, "refusal", func() bool { return s.Status().State == StateRefused })
	st := s.Status()
	want := "another DHCP server (10.0.0.1, MAC aa:bb:cc:00:00:01) answers on test0: not serving; set dhcp.force = true to serve anyway"
	if st.Message != want || len(st.Rogues) != 1 || st.Forced {
		t.Errorf("status %q rogues %v forced %v\nwant %q", st.Message, st.Rogues, st.Forced, want)
	}
	// The check went out as a real client's DISCOVER: broadcast, from our MAC.
	disc := link.sent()[0]
	u, err := parseUDP(disc.pkt)
	if err != nil {
		t.Fatal(err)
	}
	m, err := dhcpv4.FromBytes(u.payload)
	if err != nil || m.MessageType() != dhcpv4.MessageTypeDiscover || !m.IsBroadcast() ||
		keyOf(m.ClientHWAddr) != keyOf(macOwn) || keyOf(disc.dst) != keyOf(broadcastMAC) || u.srcPort != 68 {
		t.Errorf("rogue-check DISCOVER %v (err %v) to %v", m, err, disc.dst)
	}
	// A refused server does not answer.
	client := loopbackConn(t)
	if _, err := client.WriteTo(discover(t, macGC).ToBytes(), s.conn.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if got := len(link.sentReplies(t)); got != 0 || s.Status().Counters.Received != 0 {
		t.Errorf("refused server answered %d requests", got)
	}
}

// A check that cannot run (no cable yet at boot: "network is down") is not
// another server: it is tried again within seconds, not after the minute a
// refusal waits, and serving starts once the link works.
func TestRogueGuardRetriesSoonWhenTheLinkIsDown(t *testing.T) {
	s, _, link := newTestServer(t, func(o *Options) { o.Conn = loopbackConn(t); o.RogueCheck = 50 * time.Millisecond })
	link.mu.Lock()
	link.writeErr = errors.New("network is down")
	link.mu.Unlock()
	stop := runServer(t, s)
	defer stop()
	waitFor(t, "refusal", func() bool { return s.Status().State == StateRefused })
	if msg := s.Status().Message; !strings.Contains(msg, "network is down") {
		t.Errorf("status message %q does not say why the check failed", msg)
	}
	link.mu.Lock()
	link.writeErr = nil
	link.mu.Unlock()
	start := time.Now()
	waitFor(t, "serving once the link is up", func() bool { return s.Status().State == StateServing })
	if took := time.Since(start); took > rogueRetry+2*time.Second {
		t.Errorf("serving %v after the link came up, want within about %v", took, rogueRetry)
	}
}

func TestRogueGuardForced(t *testing.T) {
	s, _, link := newTestServer(t, func(o *Options) {
		o.Conn = loopbackConn(t)
		o.RogueCheck = 50 * time.Millisecond
		o.Force = true
	})
	link.rogues = []RogueServer{{ServerID: ip("10.0.0.1"), MAC: mustMAC("aa:bb:cc:00:00:01")}}
	stop := runServer(t, s)
	defer stop()
	waitFor(t, "serving", func() bool { return s.Status().State == StateServing })
	if st := s.Status(); !st.Forced || !strings.Contains(st.Message, "10.0.0.1") {
		t.Errorf("forced status %+v does not show the other server", st)
	}
}

func TestRogueGuardPassesOnAQuietLink(t *testing.T) {
	s, _, _ := newTestServer(t, func(o *Options) { o.Conn = loopbackConn(t); o.RogueCheck = 50 * time.Millisecond })
	stop := runServer(t, s)
	defer stop()
	waitFor(t, "serving", func() bool { return s.Status().State == StateServing })
	if st := s.Status(); st.Forced || len(st.Rogues) != 0 || st.Message != "" {
		t.Errorf("status %+v", st)
	}
}

func TestMissingRawSocket(t *testing.T) {
	for _, tc := range []struct {
		name    string
		mutate  func(*Options)
		want    State
		message string
	}{
		{"home mode refuses", func(o *Options) { o.Mode = ModeHome }, StateRefused, "home mode needs the ARP probe"},
		{"island rogue check refuses", func(o *Options) { o.RogueCheck = time.Second }, StateRefused, "set dhcp.force = true or dhcp.rogue_check = 0"},
		{"island forced serves", func(o *Options) { o.RogueCheck = time.Second; o.Force = true }, StateServing, ""},
		{"island without check serves", func(o *Options) {}, StateServing, "no raw packet socket"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _, _ := newTestServer(t, func(o *Options) {
				o.Conn, o.Link, o.Interface = loopbackConn(t), nil, "psobox-no-such-if"
				tc.mutate(o)
			})
			stop := runServer(t, s)
			defer stop()
			waitFor(t, string(tc.want), func() bool { return s.Status().State == tc.want })
			st := s.Status()
			if st.Unicast || st.ARPProbe || !strings.Contains(st.Message, tc.message) {
				t.Errorf("status %+v, want a message with %q", st, tc.message)
			}
		})
	}
}

func TestServeBeforeListenFails(t *testing.T) {
	s, _, _ := newTestServer(t, nil)
	if err := s.Serve(t.Context()); err == nil {
		t.Errorf("Serve without Listen returned nil")
	}
}

// Closing the socket under a running server (not a shutdown) is a failure
// Serve must report.
func TestServeReportsSocketLoss(t *testing.T) {
	s, _, _ := newTestServer(t, func(o *Options) { o.Conn = loopbackConn(t) })
	if err := s.Listen(t.Context()); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(t.Context()) }()
	waitFor(t, "serving", func() bool { return s.Status().State == StateServing })
	time.Sleep(20 * time.Millisecond) // let server4 enter its read
	s.conn.Close()
	if err := <-done; err == nil {
		t.Errorf("Serve returned nil after losing its socket")
	}
}

// A start-up aborted after Listen (a later service failed to bind) ends
// Listen's context without Serve ever running: the sockets must close.
func TestListenClosesItsSocketsWhenStartIsAborted(t *testing.T) {
	s, _, link := newTestServer(t, func(o *Options) { o.Conn = loopbackConn(t) })
	ctx, cancel := context.WithCancel(context.Background())
	if err := s.Listen(ctx); err != nil {
		t.Fatal(err)
	}
	cancel()
	waitFor(t, "the UDP socket and the link to close", func() bool {
		_, err := s.conn.WriteTo([]byte{0}, s.conn.LocalAddr())
		link.mu.Lock()
		defer link.mu.Unlock()
		return errors.Is(err, net.ErrClosed) && link.closed
	})
}
