package dhcp

import (
	"encoding/hex"
	"flag"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/insomniacslk/dhcp/dhcpv4"
	"golang.org/x/net/bpf"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestReplyDestination(t *testing.T) {
	offer := func(mods ...dhcpv4.Modifier) *dhcpv4.DHCPv4 {
		r := newReply(discover(t, macPC))
		r.YourIPAddr = net.IPv4(10, 55, 0, 100)
		r.UpdateOption(dhcpv4.OptMessageType(dhcpv4.MessageTypeOffer))
		for _, m := range mods {
			m(r)
		}
		return r
	}
	nakMsg := offer(dhcpv4.WithMessageType(dhcpv4.MessageTypeNak))
	for _, tc := range []struct {
		name string
		req  *dhcpv4.DHCPv4
		resp *dhcpv4.DHCPv4
		want string
	}{
		{"relay", discover(t, macPC, dhcpv4.WithGatewayIP(net.IPv4(10, 55, 1, 1))), offer(), "relay 10.55.1.1:67"},
		{"relay gets NAKs too", requestMsg(t, macPC, dhcpv4.WithGatewayIP(net.IPv4(10, 55, 1, 1))), nakMsg, "relay 10.55.1.1:67"},
		{"NAK is broadcast", requestMsg(t, macPC, withCiaddr(ip("10.55.0.100"))), nakMsg, "broadcast 255.255.255.255:68"},
		{"renewing client is unicast to ciaddr", requestMsg(t, macPC, withCiaddr(ip("10.55.0.100"))), offer(), "ciaddr 10.55.0.100:68"},
		{"broadcast flag", discover(t, macPC, dhcpv4.WithBroadcast(true)), offer(), "broadcast 255.255.255.255:68"},
		{"no address yet: layer-2 unicast", discover(t, macPC), offer(), "mac 10.55.0.100:68 02:00:00:00:00:01"},
		{"INFORM without ciaddr", message(t, macPC, dhcpv4.MessageTypeInform), offer(dhcpv4.WithYourIP(net.IPv4zero)), "broadcast 255.255.255.255:68"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := replyDestination(tc.req, tc.resp)
			got := []string{"relay", "broadcast", "ciaddr", "mac"}[d.kind] + " " + d.ip.String() + ":" + strconv.Itoa(d.port)
			if d.mac != nil {
				got += " " + d.mac.String()
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestOfferWireFormat pins the bytes of an OFFER: option order (message type
// first), values, End and BOOTP padding to 300 bytes.
func TestOfferWireFormat(t *testing.T) {
	s, _, _ := newTestServer(t, nil)
	disc := discover(t, macGC)
	disc.TransactionID = dhcpv4.TransactionID{0xde, 0xad, 0xbe, 0xef}
	resp := runChain(s.chain, disc)
	got := encode(resp)
	if len(got) != bootpMinLen {
		t.Errorf("OFFER is %d bytes, want %d", len(got), bootpMinLen)
	}
	if got[headerLen] != 53 {
		t.Errorf("first option is %d, want 53 (message type)", got[headerLen])
	}
	golden := filepath.Join("testdata", "offer.golden")
	dump := hex.Dump(got)
	if *update {
		if err := os.WriteFile(golden, []byte(dump), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), dump); diff != "" {
		t.Errorf("OFFER bytes (-want +got):\n%s", diff)
	}
	again, err := dhcpv4.FromBytes(got)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(resp.Options, again.Options); diff != "" {
		t.Errorf("options change through encode and the library's parser:\n%s", diff)
	}
}

func TestLongOptionsAreSplit(t *testing.T) {
	r := newReply(discover(t, macPC))
	long := strings.Repeat("x", 300)
	r.UpdateOption(dhcpv4.OptMessageType(dhcpv4.MessageTypeOffer))
	r.UpdateOption(dhcpv4.OptGeneric(dhcpv4.OptionVendorSpecificInformation, []byte(long)))
	back, err := dhcpv4.FromBytes(encode(r))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(back.Options.Get(dhcpv4.OptionVendorSpecificInformation)); got != long {
		t.Errorf("300-byte option came back as %d bytes", len(got))
	}
}

func TestUDPFrameRoundTrip(t *testing.T) {
	p := udpPacket{src: ip("10.55.0.1"), dst: ip("10.55.0.100"), srcPort: 67, dstPort: 68, payload: []byte("hello, console")}
	b := marshalUDP(p)
	if sum := checksum(b[:ipv4HeaderLen], 0); sum != 0 {
		t.Errorf("IP header checksum does not verify: %#x", sum)
	}
	if sum := checksum(b[ipv4HeaderLen:], pseudoHeaderSum(p.src.As4(), p.dst.As4(), len(b)-ipv4HeaderLen)); sum != 0 {
		t.Errorf("UDP checksum does not verify: %#x", sum)
	}
	got, err := parseUDP(b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p, got, cmp.AllowUnexported(udpPacket{}), cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	for _, bad := range [][]byte{nil, b[:10], append([]byte{0x46}, b[1:]...), b[:ipv4HeaderLen+4]} {
		if _, err := parseUDP(bad); err == nil {
			t.Errorf("parseUDP accepted % x", bad)
		}
	}
}

func TestARPRoundTrip(t *testing.T) {
	b := arpProbe(macOwn, ip("10.55.0.100"))
	a, err := parseARP(b)
	if err != nil {
		t.Fatal(err)
	}
	got := []string{a.senderMAC.String(), a.senderIP.String(), a.targetIP.String()}
	if diff := cmp.Diff([]string{macOwn.String(), "0.0.0.0", "10.55.0.100"}, got); diff != "" {
		t.Errorf("probe fields (-want +got):\n%s", diff)
	}
	if _, err := parseARP(b[:20]); err == nil {
		t.Errorf("short ARP accepted")
	}
}

// TestClientPortFilter runs the socket's BPF program in the x/net VM.
func TestClientPortFilter(t *testing.T) {
	prog, err := clientPortFilter()
	if err != nil {
		t.Fatal(err)
	}
	insts := make([]bpf.Instruction, len(prog))
	for i, r := range prog {
		insts[i] = r.Disassemble()
	}
	vm, err := bpf.NewVM(insts)
	if err != nil {
		t.Fatal(err)
	}
	toClient := marshalUDP(udpPacket{src: ip("10.55.0.2"), dst: ip("255.255.255.255"), srcPort: 67, dstPort: 68, payload: []byte{1}})
	toServer := marshalUDP(udpPacket{src: ip("0.0.0.0"), dst: ip("255.255.255.255"), srcPort: 68, dstPort: 67, payload: []byte{1}})
	fragment := append([]byte(nil), toClient...)
	fragment[6] = 0x20 // more fragments
	tcp := append([]byte(nil), toClient...)
	tcp[9] = 6
	for name, tc := range map[string]struct {
		pkt  []byte
		keep bool
	}{"to port 68": {toClient, true}, "to port 67": {toServer, false}, "fragment": {fragment, false}, "TCP": {tcp, false}} {
		n, err := vm.Run(tc.pkt)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if (n > 0) != tc.keep {
			t.Errorf("%s: filter kept=%v, want %v", name, n > 0, tc.keep)
		}
	}
}
