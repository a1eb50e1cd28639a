package dhcp

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/insomniacslk/dhcp/dhcpv4"
)

// Event is one DHCP exchange: a client's request and the server's reply.
// Session capture writes them into the console's capture file.
type Event struct {
	Time     time.Time
	MAC      net.HardwareAddr
	Request  string // DISCOVER, REQUEST, DECLINE, RELEASE, INFORM
	Reply    string // OFFER, ACK, NAK; "" when the request was not answered
	Hostname string // option 12, as the client sent it (untrusted)
	// IP is the address the reply gives, else the one the client asked
	// for or holds; invalid when there is none.
	IP netip.Addr
}

// String is the event for people: "dhcp: REQUEST 10.55.0.23 from
// 00:09:bf:01:02:03 (host "gc"): ACK 10.55.0.23".
func (e Event) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "dhcp: %s", e.Request)
	if e.IP.IsValid() && e.Reply == "" {
		fmt.Fprintf(&b, " %v", e.IP)
	}
	fmt.Fprintf(&b, " from %v", e.MAC)
	if e.Hostname != "" {
		fmt.Fprintf(&b, " (host %q)", e.Hostname)
	}
	switch {
	case e.Reply == "":
		b.WriteString(": not answered")
	case e.IP.IsValid() && e.Reply != "NAK":
		fmt.Fprintf(&b, ": %s %v", e.Reply, e.IP)
	default:
		fmt.Fprintf(&b, ": %s", e.Reply)
	}
	return b.String()
}

// SubscribeEvents calls fn for every request handled from now on, answered
// or not, until cancel is called. fn runs on the request's goroutine and
// must not block.
func (s *Server) SubscribeEvents(fn func(Event)) (cancel func()) { return s.events.Subscribe(fn) }

// publishEvent hands one exchange to the subscribers; free when there are none.
func (s *Server) publishEvent(now time.Time, req, resp *dhcpv4.DHCPv4) {
	if s.events.Active() {
		s.events.Publish(newEvent(now, req, resp))
	}
}

func newEvent(now time.Time, req, resp *dhcpv4.DHCPv4) Event {
	ev := Event{Time: now, MAC: req.ClientHWAddr, Request: typeName(req.MessageType()), Hostname: req.HostName()}
	switch {
	case resp != nil && !resp.YourIPAddr.IsUnspecified():
		ev.IP = addrOf(resp.YourIPAddr)
	case req.RequestedIPAddress() != nil:
		ev.IP = addrOf(req.RequestedIPAddress())
	default:
		ev.IP = addrOf(req.ClientIPAddr)
	}
	if resp != nil {
		ev.Reply = typeName(resp.MessageType())
	}
	return ev
}

// typeName is a message type in capitals, as RFC 2131 writes it.
func typeName(t dhcpv4.MessageType) string {
	return t.String()
}
