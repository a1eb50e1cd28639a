package dhcp

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/insomniacslk/dhcp/dhcpv4"
)

func TestReservations(t *testing.T) {
	reserved := []Reservation{
		{MAC: macGC, IP: ip("10.55.0.50"), Name: "gc-kitchen"}, // outside the pool
		{MAC: macDC, IP: ip("10.55.0.100"), Name: "dc"},        // inside the pool
	}
	s, _, _ := newTestServer(t, func(o *Options) { o.Reservations = reserved })
	if got := obtain(t, s, macPC); got == ip("10.55.0.100") {
		t.Errorf("dynamic client got %v, which is reserved", got)
	}
	if got := obtain(t, s, macGC); got != ip("10.55.0.50") {
		t.Errorf("reserved client got %v, want 10.55.0.50", got)
	}
	if got := obtain(t, s, macDC); got != ip("10.55.0.100") {
		t.Errorf("reserved client got %v, want 10.55.0.100", got)
	}
	nak := exchange(t, s, requestMsg(t, macGC, withRequested(ip("10.55.0.105"))))
	if nak == nil || nak.MessageType() != dhcpv4.MessageTypeNak {
		t.Errorf("reserved client asking for another address got %v, want NAK", nak)
	}
	for _, l := range s.Leases() {
		if l.IP == ip("10.55.0.50") && (!l.Reserved || l.Hostname != "gc-kitchen") {
			t.Errorf("reserved lease shown as %+v", l)
		}
	}
}

func TestPoolExhaustionAndReuseOfTheLongestExpired(t *testing.T) {
	s, clock, _ := newTestServer(t, func(o *Options) { o.PoolEnd = ip("10.55.0.101"); o.LeaseTime = time.Hour })
	a := obtain(t, s, macPC)
	clock.Advance(10 * time.Minute)
	b := obtain(t, s, macPC2)
	if resp := exchange(t, s, discover(t, macPC3)); resp != nil {
		t.Fatalf("full pool answered %v %v", resp.MessageType(), resp.YourIPAddr)
	}
	if resp := exchange(t, s, discover(t, mustMAC("02:00:00:00:00:04"))); resp != nil {
		t.Fatalf("full pool answered a second time")
	}
	if got := s.Status().Counters.Exhausted; got != 2 {
		t.Errorf("exhausted counter = %d, want 2", got)
	}
	clock.Advance(time.Hour) // both expired; a first
	if got := obtain(t, s, macPC3); got != a {
		t.Errorf("new client got %v, want %v (expired longest ago)", got, a)
	}
	if got := obtain(t, s, macPC2); got != b {
		t.Errorf("returning client got %v, want its old %v", got, b)
	}
}

func TestRenewalExtendsFromNow(t *testing.T) {
	s, clock, _ := newTestServer(t, func(o *Options) { o.LeaseTime = time.Hour })
	a := obtain(t, s, macPC)
	clock.Advance(50 * time.Minute)
	if ack := exchange(t, s, requestMsg(t, macPC, withCiaddr(a))); ack == nil || ack.MessageType() != dhcpv4.MessageTypeAck {
		t.Fatalf("renewal: %v", ack)
	}
	clock.Advance(50 * time.Minute)
	if got := s.Leases(); len(got) != 1 || got[0].State != "bound" || got[0].Remaining != 10*time.Minute {
		t.Errorf("after renewal at 50m and 50m more: %+v, want bound with 10m left", got)
	}
	clock.Advance(11 * time.Minute)
	if got := s.Leases(); got[0].State != "expired" {
		t.Errorf("state %q after the lease ran out, want expired", got[0].State)
	}
}

func TestHomeModeAnswersOnlyConsoles(t *testing.T) {
	extraOUI := must[OUI](t)(ParseOUI("aa-bb-cc"))
	extraMAC := mustMAC("02:11:22:33:44:55")
	s, _, _ := newTestServer(t, func(o *Options) {
		o.Mode = ModeHome
		o.ConsoleOUIs = []OUI{extraOUI}
		o.ConsoleMACs = []net.HardwareAddr{extraMAC}
	})
	for _, tc := range []struct {
		mac    net.HardwareAddr
		answer bool
	}{
		{macPC, false},
		{mustMAC("3c:22:fb:00:00:01"), false}, // some laptop
		{macGC, true},
		{macDC, true},
		{mustMAC("e8:da:20:00:00:01"), true}, // a later Nintendo OUI
		{mustMAC("aa:bb:cc:00:00:01"), true},
		{extraMAC, true},
	} {
		resp := exchange(t, s, discover(t, tc.mac))
		if (resp != nil) != tc.answer {
			t.Errorf("%v: answered=%v, want %v", tc.mac, resp != nil, tc.answer)
		}
		inform := exchange(t, s, message(t, tc.mac, dhcpv4.MessageTypeInform, withCiaddr(ip("10.55.0.20"))))
		if (inform != nil) != tc.answer {
			t.Errorf("%v INFORM: answered=%v, want %v", tc.mac, inform != nil, tc.answer)
		}
	}
}

func TestConsolesGetTheMinimumLease(t *testing.T) {
	s, _, _ := newTestServer(t, func(o *Options) { o.LeaseTime = 10 * time.Minute })
	for _, tc := range []struct {
		mac  net.HardwareAddr
		want time.Duration
	}{{macPC, 10 * time.Minute}, {macGC, MinConsoleLease}, {macDC, MinConsoleLease}} {
		offer := exchange(t, s, discover(t, tc.mac))
		if got := offer.IPAddressLeaseTime(0); got != tc.want {
			t.Errorf("%v: lease %v, want %v", tc.mac, got, tc.want)
		}
	}
}

func TestARPProbeSkipsAddressesInUse(t *testing.T) {
	s, _, link := newTestServer(t, nil)
	squatter := mustMAC("02:99:00:00:00:01")
	link.hosts[ip("10.55.0.100")] = squatter
	link.hosts[ip("10.55.0.101")] = squatter
	offer := exchange(t, s, discover(t, macPC))
	if offer == nil || addrOf(offer.YourIPAddr) != ip("10.55.0.102") {
		t.Fatalf("offer %v, want 10.55.0.102 (.100 and .101 answer ARP)", offer)
	}
	probes := link.probeCount()
	if again := exchange(t, s, discover(t, macPC)); addrOf(again.YourIPAddr) != ip("10.55.0.102") {
		t.Errorf("repeated DISCOVER got %v", again.YourIPAddr)
	}
	if link.probeCount() != probes {
		t.Errorf("a repeated DISCOVER probed again although the address was just found free")
	}
	var conflicts []string
	for _, l := range s.Leases() {
		if l.State == "conflict" {
			conflicts = append(conflicts, l.IP.String()+" "+l.MAC.String())
		}
	}
	want := []string{"10.55.0.100 02:99:00:00:00:01", "10.55.0.101 02:99:00:00:00:01"}
	if diff := cmp.Diff(want, conflicts); diff != "" {
		t.Errorf("conflicts on the status page (-want +got):\n%s", diff)
	}
	if got := s.Status().Counters.Conflicts; got != 2 {
		t.Errorf("conflict counter %d, want 2", got)
	}
}

func TestARPAnswerFromTheClientItselfIsNoConflict(t *testing.T) {
	s, _, link := newTestServer(t, nil)
	link.hosts[ip("10.55.0.100")] = macPC // the client still uses its old address
	if offer := exchange(t, s, discover(t, macPC)); addrOf(offer.YourIPAddr) != ip("10.55.0.100") {
		t.Errorf("offer %v, want 10.55.0.100", offer.YourIPAddr)
	}
}

func TestReservedAddressInUseIsNotOffered(t *testing.T) {
	s, _, link := newTestServer(t, func(o *Options) {
		o.Reservations = []Reservation{{MAC: macGC, IP: ip("10.55.0.50")}}
	})
	link.hosts[ip("10.55.0.50")] = macPC
	if offer := exchange(t, s, discover(t, macGC)); offer != nil {
		t.Errorf("offered the reserved address %v although another host answers ARP for it", offer.YourIPAddr)
	}
}

func TestProbeFailureMeansNoOffer(t *testing.T) {
	s, _, _ := newTestServer(t, func(o *Options) { o.Link = failingLink{newFakeLink()} })
	if offer := exchange(t, s, discover(t, macPC)); offer != nil {
		t.Errorf("offered %v although the ARP probe could not be sent", offer.YourIPAddr)
	}
	if s.Status().Counters.ProbeErrors == 0 {
		t.Errorf("probe error not counted")
	}
}

type failingLink struct{ *fakeLink }

func (failingLink) WriteARP([]byte, net.HardwareAddr) error { return net.ErrClosed }

func TestRunningLeasesUseTheMonotonicClock(t *testing.T) {
	s, _, _ := newTestServer(t, func(o *Options) { o.Now = nil })
	obtain(t, s, macPC)
	recs := s.store.records()
	// Round(0) strips the monotonic reading, so only a time that has one
	// differs from its rounded self. Lease ends that have it, compared with
	// time.Now, ignore wall-clock steps.
	if len(recs) != 1 || recs[0].expiry == recs[0].expiry.Round(0) {
		t.Errorf("lease expiry %v has no monotonic reading", recs[0].expiry)
	}
}

func TestPoolSkipsTheServerAddress(t *testing.T) {
	s, _, _ := newTestServer(t, func(o *Options) {
		o.Address = netip.MustParsePrefix("10.55.0.100/24")
		o.PoolEnd = ip("10.55.0.101")
	})
	if got := obtain(t, s, macPC); got != ip("10.55.0.101") {
		t.Errorf("got %v, want .101 (.100 is the server)", got)
	}
	if exchange(t, s, discover(t, macPC2)) != nil {
		t.Errorf("the server's own address was offered")
	}
}
