package dhcp

import (
	"net/netip"
	"sync"
	"testing"

	"github.com/insomniacslk/dhcp/dhcpv4"
)

// A subscriber hears of every request with the server's answer; after
// cancel it hears nothing more.
func TestSubscribeEvents(t *testing.T) {
	s, _, _ := newTestServer(t, func(o *Options) { o.Conn = loopbackConn(t) })
	var mu sync.Mutex
	var got []Event
	cancel := s.SubscribeEvents(func(e Event) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, e)
	})
	stop := runServer(t, s)
	defer stop()
	client := loopbackConn(t)
	if _, err := client.WriteTo(discover(t, macGC, dhcpv4.WithOption(dhcpv4.OptHostName("cube"))).ToBytes(), s.conn.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the event", func() bool { mu.Lock(); defer mu.Unlock(); return len(got) == 1 })
	e := got[0]
	if e.Request != "DISCOVER" || e.Reply != "OFFER" || e.MAC.String() != macGC.String() || !e.IP.IsValid() || e.Hostname != "cube" || e.Time.IsZero() {
		t.Errorf("event %+v", e)
	}
	want := "dhcp: DISCOVER from " + macGC.String() + ` (host "cube"): OFFER ` + e.IP.String()
	if e.String() != want {
		t.Errorf("String() = %q, want %q", e.String(), want)
	}
	cancel()
	client.WriteTo(discover(t, macGC).ToBytes(), s.conn.LocalAddr())
	// The reply is counted after subscribers were told.
	waitFor(t, "the second OFFER", func() bool { return s.Status().Counters.Offer == 2 })
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 {
		t.Errorf("%d events after cancel", len(got)-1)
	}
}

func TestEventStrings(t *testing.T) {
	mac := macGC
	ip := netip.MustParseAddr("10.55.0.23")
	for _, tc := range []struct {
		e    Event
		want string
	}{
		{Event{MAC: mac, Request: "REQUEST", Reply: "ACK", IP: ip}, "dhcp: REQUEST from " + mac.String() + ": ACK 10.55.0.23"},
		{Event{MAC: mac, Request: "REQUEST", Reply: "NAK", IP: ip}, "dhcp: REQUEST from " + mac.String() + ": NAK"},
		{Event{MAC: mac, Request: "RELEASE", IP: ip}, "dhcp: RELEASE 10.55.0.23 from " + mac.String() + ": not answered"},
	} {
		if got := tc.e.String(); got != tc.want {
			t.Errorf("%q, want %q", got, tc.want)
		}
	}
}
