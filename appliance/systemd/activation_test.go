package systemd

import (
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// passed makes the *os.File systemd would pass for a socket: a duplicate of
// its descriptor, named by FileDescriptorName=.
func passed(t *testing.T, name string, sock interface {
	File() (*os.File, error)
}) *os.File {
	t.Helper()
	f, err := sock.File()
	if err != nil {
		t.Fatal(err)
	}
	return os.NewFile(f.Fd(), name)
}

func udp(t *testing.T) *net.UDPConn {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func tcp(t *testing.T) *net.TCPListener {
	t.Helper()
	ln, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

func TestActivatedSortsByName(t *testing.T) {
	dnsUDP, dnsTCP, dhcp := udp(t), tcp(t), udp(t)
	s, err := Activated([]*os.File{
		passed(t, NameDHCP, dhcp), passed(t, NameDNSTCP, dnsTCP), passed(t, NameDNSUDP, dnsUDP),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.DNSPacket.LocalAddr().String() != dnsUDP.LocalAddr().String() ||
		s.DNSListener.Addr().String() != dnsTCP.Addr().String() ||
		s.DHCP.LocalAddr().String() != dhcp.LocalAddr().String() {
		t.Errorf("sockets mixed up: %q", s.Names())
	}
	// The adopted socket receives what is sent to the original address.
	c, err := net.Dial("udp", dnsUDP.LocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	_ = s.DNSPacket.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, _, err := s.DNSPacket.ReadFrom(buf); err != nil || string(buf[:n]) != "ping" {
		t.Errorf("read on the adopted socket = %q, %v", buf[:n], err)
	}
}

// One socket unit with both DNS sockets names both "dns".
func TestActivatedTellsTheDNSSocketsApart(t *testing.T) {
	dnsUDP, dnsTCP := udp(t), tcp(t)
	s, err := Activated([]*os.File{passed(t, NameDNS, dnsTCP), passed(t, NameDNS, dnsUDP)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.DNSPacket == nil || s.DNSListener == nil || s.DHCP != nil ||
		s.DNSPacket.LocalAddr().String() != dnsUDP.LocalAddr().String() || s.DNSListener.Addr().String() != dnsTCP.Addr().String() {
		t.Errorf("sockets = %q", s.Names())
	}
}

func TestActivatedRefusesWhatItCannotUse(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files func() []*os.File
		want  string
	}{
		{"unnamed", func() []*os.File { return []*os.File{passed(t, "LISTEN_FD_3", udp(t))} },
			`socket "LISTEN_FD_3": unknown FileDescriptorName=; psobox takes dns, dns-udp, dns-tcp, dhcp`},
		{"twice", func() []*os.File { return []*os.File{passed(t, NameDHCP, udp(t)), passed(t, NameDHCP, udp(t))} },
			`socket "dhcp": passed twice`},
		{"tcp as udp", func() []*os.File { return []*os.File{passed(t, NameDNSUDP, tcp(t))} },
			`socket "dns-udp": not a UDP socket`},
		{"udp as tcp", func() []*os.File { return []*os.File{passed(t, NameDNSTCP, udp(t))} },
			`socket "dns-tcp": not a listening TCP socket`},
		{"two dns udp", func() []*os.File { return []*os.File{passed(t, NameDNS, udp(t)), passed(t, NameDNS, udp(t))} },
			`socket "dns": passed twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := tc.files()
			var fds []int
			for _, f := range files {
				fds = append(fds, int(f.Fd()))
			}
			_, err := Activated(files)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Activated = %v, want an error containing %q", err, tc.want)
			}
			for _, fd := range fds {
				if _, err := syscall.Getsockname(fd); err != syscall.EBADF {
					t.Errorf("fd %d: getsockname = %v, want EBADF: left open after the error", fd, err)
				}
			}
		})
	}
}

func TestNoSocketsWithoutSystemd(t *testing.T) {
	t.Setenv("LISTEN_PID", "")
	t.Setenv("LISTEN_FDS", "")
	if files := ListenFiles(); len(files) != 0 {
		t.Errorf("ListenFiles without LISTEN_FDS = %v", files)
	}
	s, err := Activated(nil)
	if err != nil || s.Names() != nil {
		t.Errorf("Activated(nil) = %q, %v", s.Names(), err)
	}
	s.Close() // nothing to close, and no panic
}
