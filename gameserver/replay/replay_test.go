package replay_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/capture/capturetest"
	"github.com/psobox/psobox/gameserver/replay"
	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/sessionlog"
	"github.com/psobox/psobox/gameserver/sessionlog/sessionlogtest"
)

// record captures psobot of every version logging in.
func record(t *testing.T) []sessionlog.Event {
	t.Helper()
	path, _ := capturetest.Record(t, false)
	return sessionlogtest.ReadFile(t, path)
}

func against(srv *servertest.Server) replay.Options {
	return replay.Options{Addr: srv.Addr, Wait: 5 * time.Second}
}

func run(t *testing.T, events []sessionlog.Event, opts replay.Options) (replay.Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return replay.Run(ctx, events, opts)
}

// A capture of every version replays against a fresh server without a
// difference, with masked credentials replaced by the replay's own.
func TestOwnCaptureReplays(t *testing.T) {
	events := record(t)
	fresh := servertest.Start(t, servertest.Options())
	res, err := run(t, events, against(fresh))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Conns) != 9 {
		t.Errorf("%d connections replayed, want 9 (the PC one twice: split and 9300)", len(res.Conns))
	}
	for _, c := range res.Conns {
		if c.Matched == 0 || (c.Port != 9100 && c.Sent == 0) {
			t.Errorf("%v", c)
		}
		t.Log(c)
	}
}

// Replaying against a server that answers differently reports the first
// difference with the recorded line and both commands.
func TestReplayReportsTheFirstDifference(t *testing.T) {
	events := record(t)
	o := servertest.Options()
	o.WelcomeMessage = "" // GameCubes get no D5 then
	other := servertest.Start(t, o)
	_, err := run(t, events, against(other))
	var d *replay.Difference
	if !errors.As(err, &d) {
		t.Fatalf("error %v, want a Difference", err)
	}
	if !strings.HasPrefix(d.Expected, "D5 ") || !strings.HasPrefix(d.Got, "07 ") || d.Line == 0 || d.LastMatch == 0 || d.LastMatch >= d.Line {
		t.Errorf("difference %+v", d)
	}
	if e := events[lineIndex(events, d.Line)]; e.Kind != sessionlog.FromServer || e.Data[0] != 0xD5 {
		t.Errorf("line %d of the log is %+v, not the server's D5", d.Line, e)
	}
	t.Log(err)
}

func lineIndex(events []sessionlog.Event, line int) int {
	for i, e := range events {
		if e.Line == line {
			return i
		}
	}
	return -1
}

// A command the server sends that the recording has not is a difference
// too: here the recorded 9A of the first GameCube is changed to 9C.
func TestReplayNoticesAnUnexpectedCommand(t *testing.T) {
	events := record(t)
	for i, e := range events {
		if e.Kind == sessionlog.FromServer && e.Data[0] == 0x9A {
			events[i].Data = bytes.Clone(e.Data)
			events[i].Data[0] = 0x9C
			break
		}
	}
	_, err := run(t, events, against(servertest.Start(t, servertest.Options())))
	var d *replay.Difference
	if !errors.As(err, &d) || !strings.HasPrefix(d.Expected, "9C ") || !strings.HasPrefix(d.Got, "9A ") {
		t.Fatalf("got %v", err)
	}
}

// One connection can be replayed alone, and an unknown one is refused.
func TestReplayOneClient(t *testing.T) {
	events := record(t)
	srv := servertest.Start(t, servertest.Options())
	opts := against(srv)
	opts.Clients = []string{"C-6"}
	res, err := run(t, events, opts)
	if err != nil || len(res.Conns) != 1 || res.Conns[0].Client != "C-6" || res.Conns[0].Port != 9103 {
		t.Fatalf("%+v, %v", res, err)
	}
	opts.Clients = []string{"C-99"}
	if _, err := run(t, events, opts); err == nil {
		t.Error("no error for a client not in the log")
	}
}
