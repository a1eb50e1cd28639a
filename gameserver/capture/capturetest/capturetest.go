// Package capturetest makes captures for tests: it connects a Capture to a
// test game server and logs in psobot of every console version, the way
// the capture and replay tests and psobox's own tests need it.
package capturetest

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/capture"
	"github.com/psobox/psobox/gameserver/client"
	"github.com/psobox/psobox/gameserver/server"
	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/wire"
)

// Bot is one console version psobot speaks, with the port a real console
// of that version dials first.
type Bot struct {
	Name    string
	Version wire.Version
	Sub     uint32
	Port    int
}

// Bots are the seven versions psobot speaks (GC with and without Plus).
var Bots = []Bot{
	{"dcnte", wire.DCNTE, 0, 9000},
	{"dcv1", wire.DCV1, 0, 9200},
	{"dcv2", wire.DCV2, 0, 9200},
	{"pc", wire.PCV2, 0, 9100}, // through the 9100 split, to 9300
	{"gc", wire.GCV3, 0, 9103},
	{"gcplus", wire.GCV3, client.SubVersionGCPlus, 9064},
	{"ep3", wire.GCEp3, 0, 9103},
	{"xb", wire.XBV3, 0, 9500},
}

// Capturer adapts c to the game server's Options.Capture, as psobox's
// wiring does.
func Capturer(c *capture.Capture) server.Capturer { return capturer{c} }

type capturer struct{ c *capture.Capture }

func (a capturer) Open(info server.ConnInfo) server.Recorder {
	r := a.c.Open(capture.Conn{ID: info.ID, Remote: info.Remote, Port: info.Port, Listener: info.Listener, Time: info.Time})
	if r == nil {
		return nil // an untyped nil: no tap at all
	}
	return r
}

// Record captures every one of Bots logging in to a test server with
// psobox's default settings, and returns the capture file (one: all bots
// come from 127.0.0.1) and the bots' configurations, credentials filled
// in. keepCredentials records them unmasked.
func Record(t testing.TB, keepCredentials bool) (string, []client.Config) {
	t.Helper()
	capt, err := capture.New(capture.Options{Dir: t.TempDir(), Enabled: true, KeepCredentials: keepCredentials})
	if err != nil {
		t.Fatal(err)
	}
	o := servertest.Options()
	o.Capture = Capturer(capt)
	srv := servertest.Start(t, o)
	cfgs := LoginAll(t, srv, Bots)
	srv.Stop()
	if err := capt.Close(); err != nil {
		t.Fatal(err)
	}
	files, err := capt.Files()
	if err != nil || len(files) != 1 {
		t.Fatalf("capture files %+v, %v; want one", files, err)
	}
	return filepath.Join(capt.Dir(), files[0].Name), cfgs
}

// LoginAll logs in a psobot of each of bots on srv, one after the other,
// takes it to a lobby and disconnects it, waiting until the server has
// seen it go so that no session overlaps the next. It returns the
// configurations used, credentials filled in.
func LoginAll(t testing.TB, srv *servertest.Server, bots []Bot) []client.Config {
	t.Helper()
	var cfgs []client.Config
	for i, b := range bots {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		c, err := client.Dial(ctx, srv.Addr(b.Port), client.Config{Version: b.Version, SubVersion: b.Sub, Name: fmt.Sprintf("Bot%d", i)})
		if err != nil {
			cancel()
			t.Fatalf("%s login: %v", b.Name, err)
		}
		if _, err := c.Lobby(ctx); err != nil {
			t.Fatalf("%s lobby: %v", b.Name, err)
		}
		cfgs = append(cfgs, c.Config())
		c.Close()
		cancel()
		WaitIdle(t, srv)
	}
	return cfgs
}

// WaitIdle waits until srv has no connection left.
func WaitIdle(t testing.TB, srv *servertest.Server) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for srv.Clients() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the server still has %d connections", srv.Clients())
		}
		time.Sleep(5 * time.Millisecond)
	}
}
