package dhcp

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/insomniacslk/dhcp/dhcpv4"
)

// replySummary is what a client reads from a reply; tests compare it whole.
type replySummary struct {
	Type                      string
	XIDCopied                 bool
	YourIP, ClientIP          string
	Mask, Broadcast, Domain   string
	Router, DNS, ServerID     string
	Lease, Renew, Rebind      time.Duration
	HasLeaseOptions, HasCIDEc bool
}

func summarize(req, resp *dhcpv4.DHCPv4) replySummary {
	ips := func(l []net.IP) string {
		if len(l) == 0 {
			return ""
		}
		return l[0].String()
	}
	mask := ""
	if m := resp.SubnetMask(); m != nil {
		mask = net.IP(m).String()
	}
	bcast := ""
	if b := resp.BroadcastAddress(); b != nil {
		bcast = b.String()
	}
	return replySummary{
		Type: resp.MessageType().String(), XIDCopied: resp.TransactionID == req.TransactionID,
		YourIP: resp.YourIPAddr.String(), ClientIP: resp.ClientIPAddr.String(),
		Mask: mask, Broadcast: bcast, Domain: resp.DomainName(),
		Router: ips(resp.Router()), DNS: ips(resp.DNS()), ServerID: ips([]net.IP{resp.ServerIdentifier()}),
		Lease: resp.IPAddressLeaseTime(0), Renew: resp.IPAddressRenewalTime(0), Rebind: resp.IPAddressRebindingTime(0),
		HasLeaseOptions: resp.Options.Has(dhcpv4.OptionIPAddressLeaseTime),
		HasCIDEc:        resp.Options.Has(dhcpv4.OptionClientIdentifier),
	}
}

func fullGrant(typ, yiaddr, ciaddr string) replySummary {
	return replySummary{
		Type: typ, XIDCopied: true, YourIP: yiaddr, ClientIP: ciaddr,
		Mask: "255.255.255.0", Broadcast: "10.55.0.255", Domain: "psobox",
		Router: "10.55.0.1", DNS: "10.55.0.1", ServerID: "10.55.0.1",
		Lease: 24 * time.Hour, Renew: 12 * time.Hour, Rebind: 21 * time.Hour, HasLeaseOptions: true,
	}
}

func TestDiscoverRequestGivesThePSOOptionSet(t *testing.T) {
	s, _, _ := newTestServer(t, nil)
	disc := discover(t, macPC, dhcpv4.WithOption(dhcpv4.OptHostName("pc")))
	offer := exchange(t, s, disc)
	if offer == nil {
		t.Fatal("no OFFER")
	}
	if diff := cmp.Diff(fullGrant("OFFER", "10.55.0.100", "0.0.0.0"), summarize(disc, offer)); diff != "" {
		t.Errorf("OFFER (-want +got):\n%s", diff)
	}
	req := must[*dhcpv4.DHCPv4](t)(dhcpv4.NewRequestFromOffer(offer))
	ack := exchange(t, s, req)
	if diff := cmp.Diff(fullGrant("ACK", "10.55.0.100", "0.0.0.0"), summarize(req, ack)); diff != "" {
		t.Errorf("ACK (-want +got):\n%s", diff)
	}
	got := s.Leases()
	if len(got) != 1 || got[0].State != "bound" || got[0].Hostname != "pc" || got[0].IP != ip("10.55.0.100") {
		t.Errorf("Leases() = %+v, want one bound lease for pc on .100", got)
	}
}

func TestRelayedRequestFromOurSubnet(t *testing.T) {
	s, _, _ := newTestServer(t, nil)
	req := discover(t, macPC, dhcpv4.WithGatewayIP(net.IPv4(10, 55, 0, 254)))
	offer := exchange(t, s, req)
	if offer == nil || !offer.GatewayIPAddr.Equal(net.IPv4(10, 55, 0, 254)) {
		t.Errorf("relayed DISCOVER answered with %v, want an OFFER keeping giaddr", offer)
	}
}

func TestClientIdentifierIsEchoed(t *testing.T) {
	s, _, _ := newTestServer(t, nil)
	disc := discover(t, macPC, dhcpv4.WithOption(dhcpv4.OptClientIdentifier([]byte{1, 2, 0, 0, 0, 0, 1})))
	if offer := exchange(t, s, disc); offer == nil || !offer.Options.Has(dhcpv4.OptionClientIdentifier) {
		t.Errorf("OFFER %v lacks the client identifier (RFC 6842)", offer)
	}
}

func TestRequestStates(t *testing.T) {
	ours, other := ip("10.55.0.1"), ip("10.55.0.254")
	for _, tc := range []struct {
		name    string
		mode    Mode
		mac     net.HardwareAddr
		mods    []dhcpv4.Modifier
		want    string // reply type, or "" for silence
		wantYI  string
		wantCI  string
		message string
	}{
		{name: "selecting our offer", mac: macPC, mods: []dhcpv4.Modifier{withServerID(ours), withRequested(ip("10.55.0.100"))}, want: "ACK", wantYI: "10.55.0.100", wantCI: "0.0.0.0"},
		{name: "selecting another server", mac: macPC, mods: []dhcpv4.Modifier{withServerID(other), withRequested(ip("10.55.0.100"))}},
		{name: "init-reboot known lease", mac: macPC, mods: []dhcpv4.Modifier{withRequested(ip("10.55.0.100"))}, want: "ACK", wantYI: "10.55.0.100", wantCI: "0.0.0.0"},
		{name: "init-reboot free pool address", mac: macPC2, mods: []dhcpv4.Modifier{withRequested(ip("10.55.0.105"))}, want: "ACK", wantYI: "10.55.0.105", wantCI: "0.0.0.0"},
		{name: "init-reboot wrong subnet", mac: macPC, mods: []dhcpv4.Modifier{withRequested(ip("192.168.1.20"))}, want: "NAK", wantYI: "0.0.0.0", wantCI: "0.0.0.0", message: "address is not in subnet 10.55.0.0/24"},
		{name: "init-reboot address of another client", mac: macPC2, mods: []dhcpv4.Modifier{withRequested(ip("10.55.0.100"))}, want: "NAK", wantYI: "0.0.0.0", wantCI: "0.0.0.0", message: "address is leased to another client"},
		{name: "init-reboot outside the pool", mac: macPC2, mods: []dhcpv4.Modifier{withRequested(ip("10.55.0.50"))}, want: "NAK", wantYI: "0.0.0.0", wantCI: "0.0.0.0", message: "address is outside the pool"},
		{name: "init-reboot the server's own address", mac: macPC2, mods: []dhcpv4.Modifier{withRequested(ours)}, want: "NAK", wantYI: "0.0.0.0", wantCI: "0.0.0.0", message: "address is outside the pool"},
		{name: "renewing", mac: macPC, mods: []dhcpv4.Modifier{withCiaddr(ip("10.55.0.100"))}, want: "ACK", wantYI: "10.55.0.100", wantCI: "10.55.0.100"},
		{name: "rebinding", mac: macPC, mods: []dhcpv4.Modifier{withCiaddr(ip("10.55.0.100")), dhcpv4.WithBroadcast(true)}, want: "ACK", wantYI: "10.55.0.100", wantCI: "10.55.0.100"},
		{name: "renewing someone else's address", mac: macPC2, mods: []dhcpv4.Modifier{withCiaddr(ip("10.55.0.100"))}, want: "NAK", wantYI: "0.0.0.0", wantCI: "0.0.0.0", message: "address is leased to another client"},
		{name: "no address at all", mac: macPC, mods: nil},
		{name: "home: wrong subnet is silent", mode: ModeHome, mac: macGC, mods: []dhcpv4.Modifier{withRequested(ip("192.168.1.20"))}},
		{name: "home: unknown in-pool address is silent", mode: ModeHome, mac: macGC, mods: []dhcpv4.Modifier{withRequested(ip("10.55.0.105"))}},
		{name: "home: taken address is silent", mode: ModeHome, mac: macDC, mods: []dhcpv4.Modifier{withRequested(ip("10.55.0.100"))}},
		{name: "home: known lease is ACKed", mode: ModeHome, mac: macGC, mods: []dhcpv4.Modifier{withRequested(ip("10.55.0.100"))}, want: "ACK", wantYI: "10.55.0.100", wantCI: "0.0.0.0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mode := tc.mode
			if mode == "" {
				mode = ModeIsland
			}
			s, _, _ := newTestServer(t, func(o *Options) { o.Mode = mode })
			holder := macPC
			if mode == ModeHome {
				holder = macGC
			}
			if got := obtain(t, s, holder); got != ip("10.55.0.100") {
				t.Fatalf("setup lease = %v", got)
			}
			req := requestMsg(t, tc.mac, tc.mods...)
			resp := exchange(t, s, req)
			if tc.want == "" {
				if resp != nil {
					t.Fatalf("got %v, want silence", resp.MessageType())
				}
				return
			}
			if resp == nil {
				t.Fatalf("got silence, want %s", tc.want)
			}
			got := []string{resp.MessageType().String(), resp.YourIPAddr.String(), resp.ClientIPAddr.String(), resp.Message()}
			want := []string{tc.want, tc.wantYI, tc.wantCI, tc.message}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("type, yiaddr, ciaddr, message (-want +got):\n%s", diff)
			}
			if tc.want == "NAK" && (resp.Options.Has(dhcpv4.OptionIPAddressLeaseTime) || resp.Options.Has(dhcpv4.OptionRouter)) {
				t.Errorf("NAK carries lease or router options: %v", resp.Options)
			}
		})
	}
}

func TestSelectingAnotherServerFreesTheOffer(t *testing.T) {
	s, _, _ := newTestServer(t, func(o *Options) { o.PoolEnd = ip("10.55.0.100") })
	if exchange(t, s, discover(t, macPC)) == nil {
		t.Fatal("no OFFER")
	}
	if exchange(t, s, discover(t, macPC2)) != nil {
		t.Fatal("one-address pool offered its address twice")
	}
	exchange(t, s, requestMsg(t, macPC, withServerID(ip("10.55.0.254")), withRequested(ip("10.55.0.77"))))
	if offer := exchange(t, s, discover(t, macPC2)); offer == nil || addrOf(offer.YourIPAddr) != ip("10.55.0.100") {
		t.Errorf("after the client chose another server, the next client got %v, want the freed .100", offer)
	}
}

func TestDeclineBlocksTheAddress(t *testing.T) {
	s, clock, _ := newTestServer(t, nil)
	got := obtain(t, s, macPC)
	if resp := exchange(t, s, message(t, macPC, dhcpv4.MessageTypeDecline, withRequested(got), withServerID(serverAddr.Addr()))); resp != nil {
		t.Fatalf("DECLINE answered with %v", resp.MessageType())
	}
	if again := obtain(t, s, macPC); again == got {
		t.Errorf("declined address %v handed out again", got)
	}
	if !hasState(s.Leases(), got, "declined") {
		t.Errorf("Leases() = %+v, want %v declined", s.Leases(), got)
	}
	clock.Advance(blockTime + time.Second)
	if hasState(s.Leases(), got, "declined") {
		t.Errorf("%v still blocked after %v", got, blockTime)
	}
}

func TestDeclineOfSomeoneElsesAddressIsIgnored(t *testing.T) {
	s, _, _ := newTestServer(t, nil)
	got := obtain(t, s, macPC)
	exchange(t, s, message(t, macPC2, dhcpv4.MessageTypeDecline, withRequested(got)))
	if hasState(s.Leases(), got, "declined") {
		t.Errorf("a client blocked an address it never had")
	}
}

func hasState(infos []LeaseInfo, a netip.Addr, state string) bool {
	for _, l := range infos {
		if l.IP == a && l.State == state {
			return true
		}
	}
	return false
}

func TestReleaseKeepsAffinity(t *testing.T) {
	s, _, _ := newTestServer(t, nil)
	first := obtain(t, s, macPC)
	exchange(t, s, message(t, macPC, dhcpv4.MessageTypeRelease, withCiaddr(first), withServerID(serverAddr.Addr())))
	if !hasState(s.Leases(), first, "released") {
		t.Fatalf("Leases() = %+v, want %v released", s.Leases(), first)
	}
	if other := obtain(t, s, macPC2); other == first {
		t.Errorf("released address went to another client while fresh ones were free")
	}
	if again := obtain(t, s, macPC); again != first {
		t.Errorf("client came back to %v, want its old %v", again, first)
	}
}

func TestInformGetsOptionsButNoLease(t *testing.T) {
	s, _, _ := newTestServer(t, nil)
	req := message(t, macPC, dhcpv4.MessageTypeInform, withCiaddr(ip("10.55.0.50")))
	resp := exchange(t, s, req)
	want := fullGrant("ACK", "0.0.0.0", "10.55.0.50")
	want.Lease, want.Renew, want.Rebind, want.HasLeaseOptions = 0, 0, 0, false
	if diff := cmp.Diff(want, summarize(req, resp)); diff != "" {
		t.Errorf("INFORM reply (-want +got):\n%s", diff)
	}
	if len(s.Leases()) != 0 {
		t.Errorf("INFORM created a lease: %+v", s.Leases())
	}
	if exchange(t, s, message(t, macPC, dhcpv4.MessageTypeInform, withCiaddr(ip("192.168.9.9")))) != nil {
		t.Errorf("INFORM from another subnet was answered")
	}
}

func TestInvalidRequestsAreDropped(t *testing.T) {
	s, _, _ := newTestServer(t, nil)
	noType := discover(t, macPC)
	noType.Options.Del(dhcpv4.OptionDHCPMessageType)
	reply := discover(t, macPC)
	reply.OpCode = dhcpv4.OpcodeBootReply
	own := discover(t, macOwn)
	multicast := discover(t, mustMAC("01:00:5e:00:00:01"))
	foreignRelay := discover(t, macPC, dhcpv4.WithGatewayIP(net.IPv4(192, 168, 7, 1)))
	for name, req := range map[string]*dhcpv4.DHCPv4{
		"no type": noType, "reply": reply, "our own DISCOVER": own, "multicast MAC": multicast,
		"relayed from another subnet": foreignRelay,
	} {
		if resp := exchange(t, s, req); resp != nil {
			t.Errorf("%s: answered with %v", name, resp.MessageType())
		}
	}
}
