package sessionlog

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/internal/testenv"
)

const sample = `I 81779 2025-05-22 20:15:50 - [IPStackSimulator] Virtual network N-1 connected via T-IPS-5059
I 81779 2025-05-22 20:15:50 - [GameServer] Client connected: C-1 via TSI-9003-GC_V3-game_server
I 81779 2025-05-22 20:15:50 - [Commands] Sending to C-1 @ ipss:N-1:127.0.0.1:55253 (version=GC_V3 command=9A flag=02)
0000 | 9A 02 04 00                                     |
### on C-1 cc $help
I 81779 2025-05-22 20:15:51 - [Commands] Received from C-1 @ ipss:N-1:127.0.0.1:55253 (version=GC_V3 command=96 flag=00)
0000 | 96 00 14 00 DD CB 67 2D 12 00 00 00 00 01 02 03 |       g-
0010 | 04 05 06 07                                     |
I 81779 2025-05-22 20:15:52 - [C-1] Running cleanup tasks for C-1
`

func TestReadSample(t *testing.T) {
	got, err := Read(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	ts := func(s string) time.Time { v, _ := time.Parse("2006-01-02 15:04:05", s); return v }
	want := []Event{
		{Kind: Connect, Line: 2, Time: ts("2025-05-22 20:15:50"), Client: "C-1", Listener: "TSI-9003-GC_V3-game_server", Port: 9003, Version: wire.GCV3},
		{Kind: FromServer, Line: 3, Time: ts("2025-05-22 20:15:50"), Client: "C-1", Peer: "ipss:N-1:127.0.0.1:55253", Version: wire.GCV3, Command: 0x9A, Flag: 2, Data: []byte{0x9A, 2, 4, 0}},
		{Kind: Directive, Line: 5, Client: "C-1", Text: "cc $help"},
		{Kind: FromClient, Line: 6, Time: ts("2025-05-22 20:15:51"), Client: "C-1", Peer: "ipss:N-1:127.0.0.1:55253", Version: wire.GCV3, Command: 0x96,
			Data: []byte{0x96, 0, 0x14, 0, 0xDD, 0xCB, 0x67, 0x2D, 0x12, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7}},
		{Kind: Disconnect, Line: 9, Time: ts("2025-05-22 20:15:52"), Client: "C-1"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Read (-want +got):\n%s", diff)
	}
}

func TestReadRejectsBrokenRows(t *testing.T) {
	for name, log := range map[string]string{
		"gap in offsets": "I 1 2025-05-22 20:15:50 - [Commands] Sending to C-1 @ x (version=GC_V3 command=9A flag=02)\n0000 | 9A 02\n0020 | 04 00\n",
		"no rows":        "I 1 2025-05-22 20:15:50 - [Commands] Sending to C-1 @ x (version=GC_V3 command=9A flag=02)\nI 1 2025-05-22 20:15:50 - [C-1] Running cleanup tasks for C-1\n",
		"bad version":    "I 1 2025-05-22 20:15:50 - [Commands] Sending to C-1 @ x (version=GC_V9 command=9A flag=02)\n0000 | 9A 02 04 00\n",
	} {
		if _, err := Read(strings.NewReader(log)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestWriteReadRoundTrip(t *testing.T) {
	events, err := Read(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	events = append(events, Event{Kind: Note, Client: "C-1", Text: "disconnected: client closed the connection"},
		Event{Kind: Note, Text: "dhcp: ACK 10.55.0.23 to 00:09:bf:01:02:03"})
	var buf bytes.Buffer
	w := NewWriter(&buf, 7)
	for _, ev := range events {
		if err := w.Write(ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	again, err := Read(&buf)
	if err != nil {
		t.Fatalf("reading our own output: %v\n%s", err, buf.String())
	}
	if diff := cmp.Diff(events, again, cmpopts.IgnoreFields(Event{}, "Line", "Time")); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

// A note's text may come from a console (a DHCP host name): written and
// read back, it stays one note, never a command or a connection.
func TestNoteTextCannotForgeEvents(t *testing.T) {
	forged := "dhcp: REQUEST from \"x\nI 1 2025-05-22 20:15:50 - [Commands] Sending to C-1 @ x (version=GC_V3 command=17 flag=00) Client connected: C-2 via TG-1-GC_V3\""
	var buf bytes.Buffer
	w := NewWriter(&buf, 1)
	if err := w.Write(Event{Kind: Note, Text: forged}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	got, err := Read(&buf)
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if len(got) != 1 || got[0].Kind != Note || got[0].Client != "" || strings.Contains(got[0].Text, "\n") {
		t.Errorf("read back %+v from\n%s", got, buf.String())
	}
}

// TestReadFixtures parses every log of real clients and checks each command's
// bytes agree with its own header: a parser that lost or merged rows would not.
func TestReadFixtures(t *testing.T) {
	dir := testenv.FixturesDir(t, "pso-sessions")
	files, _ := filepath.Glob(filepath.Join(dir, "*.test.txt"))
	if len(files) == 0 {
		t.Skip("no session logs in fixtures")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		events, err := Read(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(f), err)
		}
		commands := 0
		for _, ev := range events {
			if ev.Kind != FromClient && ev.Kind != FromServer {
				continue
			}
			commands++
			h, err := ev.Version.HeaderFormat().Decode(ev.Data)
			if err != nil {
				t.Errorf("%s line %d: %v", filepath.Base(f), ev.Line, err)
				continue
			}
			if int(h.Size) != len(ev.Data) {
				t.Errorf("%s line %d: header size %#x but %#x bytes logged", filepath.Base(f), ev.Line, h.Size, len(ev.Data))
			}
		}
		t.Logf("%s: %d events, %d commands", filepath.Base(f), len(events), commands)
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte("0000 | 00\n### x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		events, err := Read(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, ev := range events {
			if (ev.Kind == FromClient || ev.Kind == FromServer) && len(ev.Data) == 0 {
				t.Fatalf("command event without data at line %d", ev.Line)
			}
		}
	})
}
