package server_test

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/sessionlog"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/internal/replaytest"
)

type replayResult struct {
	compared, sent int
	skipped        []string
}

// portVersion is the header layout of a port's first command.
func portVersion(port int) wire.Version {
	switch port {
	case 9100, 9300:
		return wire.PCV2
	case 9500:
		return wire.XBV3
	}
	return wire.GCV3
}

// replay runs one recorded login against srv.
func replay(t *testing.T, srv *servertest.Server, rc *replayClient) replayResult {
	if len(rc.events) == 0 {
		t.Fatalf("%v: no commands", rc)
	}
	c := dial(t, srv.Addr(rc.port), portVersion(rc.port))
	if rc.port == 9100 {
		return replaySplit(t, srv, c, rc)
	}
	first := rc.events[0]
	if first.Kind != sessionlog.FromServer || command(portVersion(rc.port), first) != 0x17 {
		t.Fatalf("%v: the log does not start with the server init", rc)
	}
	c.start(rc.version)
	res := replayResult{compared: 1}
	skip := replaytest.NewservSkipper()
	for _, e := range rc.events[1:] {
		if !replayEvent(t, c, rc, e, skip, &res) {
			break
		}
	}
	return res
}

// replayEvent sends a recorded client command or checks that our server
// sent the same command the reference server sent.
func replayEvent(t *testing.T, c *testClient, rc *replayClient, e sessionlog.Event, skip func(fromServer bool, v wire.Version, cmd uint16) (string, bool), res *replayResult) bool {
	h, err := rc.version.HeaderFormat().Decode(e.Data)
	if err != nil {
		t.Fatalf("%v: log line %d: %v", rc, e.Line, err)
	}
	fromServer := e.Kind == sessionlog.FromServer
	if why, ok := skip(fromServer, rc.version, h.Command); ok {
		res.skipped = append(res.skipped, fmt.Sprintf("%s%02X(%s)", dirLetter(fromServer), h.Command, why))
		return true
	}
	if !fromServer {
		end := min(int(h.Size), len(e.Data))
		c.send(h.Command, h.Flag, e.Data[rc.version.HeaderFormat().Len():end])
		res.sent++
		return true
	}
	got, err := c.recv()
	if err != nil {
		t.Errorf("%v: after %d matching commands, waiting for %02X (log line %d): %v", rc, res.compared, h.Command, e.Line, err)
		return false
	}
	if got.Header.Command != h.Command {
		t.Errorf("%v: our server sent %02X (flag %X) where the reference sent %02X (log line %d)", rc, got.Header.Command, got.Header.Flag, h.Command, e.Line)
		return false
	}
	if _, err := wire.Decode(rc.version, wire.ServerToClient, got.Header, got.Payload); err != nil {
		t.Errorf("%v: our %02X does not decode in the client's layout: %v", rc, got.Header.Command, err)
	}
	if replaytest.FlagsThatMatter[h.Command] && got.Header.Flag != h.Flag {
		t.Errorf("%v: our %02X has flag %X, the reference's %X (log line %d)", rc, h.Command, got.Header.Flag, h.Flag, e.Line)
	}
	res.compared++
	return true
}

func dirLetter(fromServer bool) string {
	if fromServer {
		return "S"
	}
	return "C"
}

// replaySplit checks the 9100 answer: one 19 whose PC half points at our
// PC port and whose console half points at our 9103.
func replaySplit(t *testing.T, srv *servertest.Server, c *testClient, rc *replayClient) replayResult {
	r := c.expect(0x19)
	var m wire.Reconnect
	if err := wire.DecodeInto(wire.PCV2, r.Header, r.Payload, &m); err != nil {
		t.Fatal(err)
	}
	gc := netip.AddrPortFrom(netip.AddrFrom4(m.SplitGC.Addr), m.SplitGC.Port)
	if !m.Split || m.AddrPort() != srv.Addrs[9300] || gc != srv.Addrs[9103] {
		t.Errorf("%v: split reconnect to PC %v, console %v; want %v and %v", rc, m.AddrPort(), gc, srv.Addrs[9300], srv.Addrs[9103])
	}
	return replayResult{compared: 1}
}
