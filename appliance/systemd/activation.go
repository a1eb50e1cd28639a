package systemd

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"

	"github.com/coreos/go-systemd/v22/activation"
	"golang.org/x/sys/unix"
)

// The FileDescriptorName= a socket unit gives its sockets; psobox finds
// the sockets by these names, whatever their order. FileDescriptorName=
// names every socket of a unit, so one unit with both DNS sockets uses
// NameDNS and psobox tells UDP from TCP itself.
const (
	NameDNS    = "dns"     // psobox-dns.socket: ListenDatagram= and ListenStream=
	NameDNSUDP = "dns-udp" // a unit with only the UDP socket
	NameDNSTCP = "dns-tcp" // a unit with only the TCP socket
	NameDHCP   = "dhcp"    // psobox-dhcp.socket: ListenDatagram= port 67
)

// Sockets are the sockets systemd passed in, by use; nil where none came
// and the service binds its own.
type Sockets struct {
	DNSPacket   net.PacketConn
	DNSListener net.Listener
	DHCP        net.PacketConn
}

// ListenFiles returns the file descriptors systemd passed (LISTEN_FDS, for
// this process only: LISTEN_PID) and unsets those variables. Call it once:
// a second call finds nothing.
func ListenFiles() []*os.File { return activation.Files(true) }

// Activated sorts the passed files into Sockets by FileDescriptorName=. An
// unknown or repeated name, or a socket of the wrong kind, is an error
// naming the fix; every file is closed then.
func Activated(files []*os.File) (Sockets, error) {
	var s Sockets
	var errs []error
	for _, f := range files {
		errs = append(errs, s.adopt(f))
		_ = f.Close() // net.File* made a duplicate, or it is refused
	}
	if err := errors.Join(errs...); err != nil {
		s.Close()
		return Sockets{}, fmt.Errorf("socket activation: %w", err)
	}
	return s, nil
}

func (s *Sockets) adopt(f *os.File) error {
	name := f.Name()
	if name == NameDNS {
		name = dnsNameByType(f)
	}
	switch name {
	case NameDNSUDP:
		return setOnce(&s.DNSPacket, f, udpSocket)
	case NameDNSTCP:
		return setOnce(&s.DNSListener, f, tcpListener)
	case NameDHCP:
		return setOnce(&s.DHCP, f, udpSocket)
	}
	return fmt.Errorf("socket %q: unknown FileDescriptorName=; psobox takes %s", f.Name(),
		strings.Join([]string{NameDNS, NameDNSUDP, NameDNSTCP, NameDHCP}, ", "))
}

// dnsNameByType tells a "dns" socket's kind by its type: a datagram
// socket is the UDP one, anything else is taken for TCP (and refused by
// tcpListener if it is not).
func dnsNameByType(f *os.File) string {
	typ, err := unix.GetsockoptInt(int(f.Fd()), unix.SOL_SOCKET, unix.SO_TYPE)
	if err == nil && typ == unix.SOCK_DGRAM {
		return NameDNSUDP
	}
	return NameDNSTCP
}

// setOnce converts f and stores it in *dst, refusing a second socket of
// the same name.
func setOnce[T comparable](dst *T, f *os.File, convert func(*os.File) (T, error)) error {
	var zero T
	if *dst != zero {
		return fmt.Errorf("socket %q: passed twice; give each socket its own FileDescriptorName=", f.Name())
	}
	v, err := convert(f)
	if err != nil {
		return fmt.Errorf("socket %q: %w", f.Name(), err)
	}
	*dst = v
	return nil
}

func udpSocket(f *os.File) (net.PacketConn, error) {
	pc, err := net.FilePacketConn(f)
	if err != nil {
		return nil, fmt.Errorf("not a UDP socket (want ListenDatagram=): %w", err)
	}
	if _, ok := pc.(*net.UDPConn); !ok {
		_ = pc.Close()
		return nil, errors.New("not a UDP socket (want ListenDatagram=)")
	}
	return pc, nil
}

func tcpListener(f *os.File) (net.Listener, error) {
	ln, err := net.FileListener(f)
	if err != nil {
		return nil, fmt.Errorf("not a listening TCP socket (want ListenStream= and Accept=no): %w", err)
	}
	if _, ok := ln.(*net.TCPListener); !ok {
		_ = ln.Close()
		return nil, errors.New("not a TCP socket (want ListenStream=)")
	}
	return ln, nil
}

// Names lists the passed sockets with their addresses, for the log.
func (s Sockets) Names() []string {
	var out []string
	if s.DNSPacket != nil {
		out = append(out, NameDNSUDP+" "+s.DNSPacket.LocalAddr().String())
	}
	if s.DNSListener != nil {
		out = append(out, NameDNSTCP+" "+s.DNSListener.Addr().String())
	}
	if s.DHCP != nil {
		out = append(out, NameDHCP+" "+s.DHCP.LocalAddr().String())
	}
	return out
}

// Close closes every socket, for sockets no service took.
func (s Sockets) Close() {
	for _, c := range []interface{ Close() error }{s.DNSPacket, s.DNSListener, s.DHCP} {
		if c != nil {
			_ = c.Close()
		}
	}
}
