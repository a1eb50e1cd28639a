package app

import (
	"fmt"
	"log/slog"
	"net"
	"strings"

	"github.com/psobox/psobox/appliance/dhcp"
	"github.com/psobox/psobox/appliance/lifecycle"
	"github.com/psobox/psobox/appliance/systemd"
)

// supervision is what the parts hand to the service manager integration
// while they are built, and what they take from it:
//
//   - sockets systemd passed in (socket activation), taken by DNS and DHCP;
//   - probes: one self-probe per service that can be asked like a client
//     would; the watchdog pings only while all pass. A part adds its own:
//     w.sup.probes = append(w.sup.probes, systemd.TCPProbe("game", addr));
//   - describe: a part's words in the status line (systemctl status), by
//     service name; without one, the service's name and endpoints;
//   - dns: the DNS service whose settings a reload can change.
type supervision struct {
	sockets  systemd.Sockets
	probes   []systemd.Probe
	describe map[string]func() string
	dns      *liveDNS
}

// takeDNS hands over the DNS sockets systemd passed, if any.
func (s *supervision) takeDNS(logger *slog.Logger) (net.PacketConn, net.Listener) {
	pc, ln := s.sockets.DNSPacket, s.sockets.DNSListener
	s.sockets.DNSPacket, s.sockets.DNSListener = nil, nil
	if pc != nil || ln != nil {
		logger.Info("using sockets from systemd instead of binding dns.listen", "udp", pc != nil, "tcp", ln != nil)
	}
	return pc, ln
}

// takeDHCP hands over the port-67 socket systemd passed, if any.
func (s *supervision) takeDHCP(logger *slog.Logger) net.PacketConn {
	pc := s.sockets.DHCP
	s.sockets.DHCP = nil
	if pc != nil {
		logger.Info("using the port 67 socket from systemd", "addr", pc.LocalAddr())
	}
	return pc
}

// closeUntaken closes the sockets no service took: their service is off
// in the config.
func (s *supervision) closeUntaken(logger *slog.Logger) {
	if names := s.sockets.Names(); len(names) > 0 {
		logger.Warn("systemd passed sockets for services that are off in the config; closing them", "sockets", names)
	}
	s.sockets.Close()
	s.sockets = systemd.Sockets{}
}

// line is the status line: what every service serves, in start order.
func (s *supervision) line(services []lifecycle.Service) string {
	parts := make([]string, 0, len(services))
	for _, svc := range services {
		parts = append(parts, s.describeOne(svc))
	}
	return "serving: " + strings.Join(parts, ", ")
}

func (s *supervision) describeOne(svc lifecycle.Service) string {
	if d, ok := s.describe[svc.Name()]; ok {
		return d()
	}
	if e, ok := svc.(lifecycle.Endpointer); ok {
		return svc.Name() + " " + strings.Join(e.Endpoints(), " ")
	}
	return svc.Name()
}

// describeAs sets how the named service reads in the status line.
func (s *supervision) describeAs(name string, fn func() string) {
	if s.describe == nil {
		s.describe = make(map[string]func() string)
	}
	s.describe[name] = fn
}

// dhcpLine puts the DHCP server's state in the status line, where a refusal
// to serve (another DHCP server answers) is what an operator must see.
func dhcpLine(srv *dhcp.Server) func() string {
	return func() string {
		st := srv.Status()
		if st.State == dhcp.StateRefused {
			return "DHCP refused: " + st.Message
		}
		line := fmt.Sprintf("dhcp on %s %s", st.Interface, st.State)
		if st.Message != "" {
			line += " (" + st.Message + ")"
		}
		return line
	}
}
