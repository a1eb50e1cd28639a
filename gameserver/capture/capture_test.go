package capture_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/psobox/psobox/gameserver/capture/capturetest"
	"github.com/psobox/psobox/gameserver/client"
	"github.com/psobox/psobox/gameserver/sessionlog"
	"github.com/psobox/psobox/gameserver/wire"
)

// captureAll records psobot of every version logging in and returns the
// one file (all bots come from 127.0.0.1) and the bots' configurations.
func captureAll(t *testing.T, keep bool) ([]byte, []client.Config) {
	t.Helper()
	path, cfgs := capturetest.Record(t, keep)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data, cfgs
}

// A capture of every version's login parses as a session log: one
// connection per login (two for PC: the 9100 split, then 9300), each with
// its listener, commands both ways with the version in effect, and its end.
func TestCaptureParsesAsASessionLog(t *testing.T) {
	data, _ := captureAll(t, false)
	events, err := sessionlog.Read(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	type conn struct {
		port             int
		sent, received   int
		ended            bool
		versions         map[wire.Version]bool
		disconnectedNote bool
	}
	conns := map[string]*conn{}
	var order []string
	for _, ev := range events {
		c := conns[ev.Client]
		switch ev.Kind {
		case sessionlog.Connect:
			c = &conn{port: ev.Port, versions: map[wire.Version]bool{}}
			conns[ev.Client] = c
			order = append(order, ev.Client)
		case sessionlog.FromServer:
			c.sent++
			c.versions[ev.Version] = true
		case sessionlog.FromClient:
			c.received++
			c.versions[ev.Version] = true
		case sessionlog.Disconnect:
			c.ended = true
		case sessionlog.Note:
			if c != nil && len(ev.Text) > 13 && ev.Text[:13] == "disconnected:" {
				c.disconnectedNote = true
			}
		}
	}
	var ports []int
	for _, name := range order {
		c := conns[name]
		ports = append(ports, c.port)
		if !c.ended || !c.disconnectedNote || c.sent == 0 {
			t.Errorf("%s: %+v", name, c)
		}
	}
	want := []int{9000, 9200, 9200, 9100, 9300, 9103, 9064, 9103, 9500}
	if len(ports) != len(want) {
		t.Fatalf("connections on ports %v, want %v", ports, want)
	}
	for i := range want {
		if ports[i] != want[i] {
			t.Fatalf("connections on ports %v, want %v", ports, want)
		}
	}
	// The DC v2 connection starts as GC_V3 (the console port's server init)
	// and carries on as DC_V2 once the cipher and login say so.
	if dc := conns[order[2]]; !dc.versions[wire.GCV3] || !dc.versions[wire.DCV2] {
		t.Errorf("DC v2 connection versions %v", dc.versions)
	}
}

// Masked, no serial, access key or password of any bot is in the file;
// with mask_credentials off they all are.
func TestCaptureMasksCredentials(t *testing.T) {
	for _, keep := range []bool{false, true} {
		data, cfgs := captureAll(t, keep)
		for _, cfg := range cfgs {
			for what, secret := range map[string]string{"serial": cfg.Serial, "access key": cfg.AccessKey, "password": cfg.Password} {
				if cfg.Version == wire.PCV2 && what == "password" || cfg.Version == wire.DCV1 && what == "password" ||
					cfg.Version == wire.DCV2 && what == "password" || cfg.Version == wire.XBV3 && what == "password" {
					continue // these versions send no password
				}
				if found := containsSecret(t, data, secret); found != keep {
					t.Errorf("keep=%v: %s %s %q in the capture: %v", keep, cfg.Version, what, secret, found)
				}
			}
		}
	}
}

// containsSecret looks for secret in the commands' bytes (the hex rows of a
// capture split text across lines) and in the text itself.
func containsSecret(t *testing.T, data []byte, secret string) bool {
	t.Helper()
	events, err := sessionlog.Read(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range events {
		if bytes.Contains(ev.Data, []byte(secret)) {
			return true
		}
	}
	return bytes.Contains(data, []byte(secret))
}
