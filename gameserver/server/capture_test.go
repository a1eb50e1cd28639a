package server_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/psobox/psobox/gameserver/server"
	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/wire"
)

// switchCapturer records connections only while on, like psobox's capture
// behind its status-page switch, and counts every call it gets.
type switchCapturer struct {
	on    atomic.Bool
	opens atomic.Int32
	calls atomic.Int32 // Received, Sent and Ended on every recorder

	mu    sync.Mutex
	infos []server.ConnInfo
	ended []string
	cmds  []string // "S17", "CDB"... in order
}

func (s *switchCapturer) Open(info server.ConnInfo) server.Recorder {
	s.opens.Add(1)
	if !s.on.Load() {
		return nil
	}
	s.mu.Lock()
	s.infos = append(s.infos, info)
	s.mu.Unlock()
	return &countingRecorder{s}
}

type countingRecorder struct{ s *switchCapturer }

func (r *countingRecorder) Received(v wire.Version, b []byte) { r.note("C", v, b) }
func (r *countingRecorder) Sent(v wire.Version, b []byte)     { r.note("S", v, b) }

func (r *countingRecorder) note(dir string, v wire.Version, b []byte) {
	r.s.calls.Add(1)
	h, _ := v.HeaderFormat().Decode(b)
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	r.s.cmds = append(r.s.cmds, fmt.Sprintf("%s%02X", dir, h.Command))
}

func (r *countingRecorder) Ended(reason string) {
	r.s.calls.Add(1)
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	r.s.ended = append(r.s.ended, reason)
}

// With capture switched off, a connection is asked about but gets no
// recorder: nothing is called during or after its session.
func TestCaptureOffCallsNothing(t *testing.T) {
	capt := &switchCapturer{}
	o := servertest.Options()
	o.Capture = capt
	failOnPanic(t, &o)
	srv := servertest.Start(t, o)
	c, _ := loginGC(t, srv.Addr(9103), gcLicence(1), "Quiet")
	c.conn.Close()
	waitFor(t, "the session to end", func() bool { return srv.Clients() == 0 })
	if capt.opens.Load() != 1 || capt.calls.Load() != 0 {
		t.Errorf("%d opens, %d recorder calls; want 1 and 0", capt.opens.Load(), capt.calls.Load())
	}
}

// With capture on, the recorder sees the login's commands both ways in
// order, the connection's description, and then how it ended.
func TestCaptureOnRecordsTheSession(t *testing.T) {
	capt := &switchCapturer{}
	capt.on.Store(true)
	o := servertest.Options()
	o.Capture = capt
	failOnPanic(t, &o)
	srv := servertest.Start(t, o)
	c, _ := loginGC(t, srv.Addr(9103), gcLicence(2), "Loud")
	c.conn.Close()
	waitFor(t, "the session to end", func() bool { return srv.Clients() == 0 })
	capt.mu.Lock()
	defer capt.mu.Unlock()
	if len(capt.infos) != 1 || capt.infos[0].Port != 9103 || capt.infos[0].Listener != "TG-9103-GC_V3-gc-us3-game_server" ||
		!capt.infos[0].Remote.Addr().IsLoopback() || capt.infos[0].ID == 0 {
		t.Errorf("connection info %+v", capt.infos)
	}
	want := []string{"S17", "CDB", "S9A", "C9E", "S04", "SB1", "S95"}
	if len(capt.cmds) < len(want) {
		t.Fatalf("recorded %v", capt.cmds)
	}
	for i, w := range want {
		if capt.cmds[i] != w {
			t.Fatalf("recorded %v, want it to start with %v", capt.cmds, want)
		}
	}
	if len(capt.ended) != 1 || capt.ended[0] != "client closed the connection" {
		t.Errorf("ended %q", capt.ended)
	}
}

// The recent connections list shows open sessions first, then ended and
// refused ones with how far they got and why they ended.
func TestRecentConnections(t *testing.T) {
	o := servertest.Options()
	o.MaxPerIP = 2
	failOnPanic(t, &o)
	srv := servertest.Start(t, o)
	c, gc := loginGC(t, srv.Addr(9103), gcLicence(3), "Recent")
	c.toLobby()
	c.conn.Close()
	waitFor(t, "the session to end", func() bool { return srv.Clients() == 0 })
	held := []*testClient{dial(t, srv.Addr(9103), wire.GCV3), dial(t, srv.Addr(9103), wire.GCV3)}
	for _, h := range held {
		h.expect(0x17)
	}
	dial(t, srv.Addr(9200), wire.DCV2).expectClosed()
	recs := srv.RecentConnections()
	if len(recs) != 4 {
		t.Fatalf("%d records: %+v", len(recs), recs)
	}
	for _, r := range recs[:2] {
		if r.Reached != "connected" || !r.Ended.IsZero() || r.Port != 9103 {
			t.Errorf("open connection %+v", r)
		}
	}
	if r := recs[2]; r.Reached != "refused" || r.Port != 9200 || r.Outcome == "" {
		t.Errorf("refused connection %+v", r)
	}
	if r := recs[3]; r.Reached != "lobby" || r.GuildCard != gc || r.Version != wire.GCV3 || r.Outcome != "client closed the connection" || r.Ended.IsZero() {
		t.Errorf("ended session %+v", r)
	}
}
