package capture

import (
	"bytes"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/sessionlog"
	"github.com/psobox/psobox/gameserver/wire"
)

func newCapture(t *testing.T, o Options) *Capture {
	t.Helper()
	if o.Dir == "" {
		o.Dir = filepath.Join(t.TempDir(), "captures")
	}
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func conn(id uint64, ip string) Conn {
	return Conn{ID: id, Remote: netip.AddrPortFrom(netip.MustParseAddr(ip), 50000), Port: 9103,
		Listener: "TG-9103-GC_V3-gc-us3-game_server", Time: time.Now()}
}

// session records n 64-byte commands each way on one connection.
func session(c *Capture, id uint64, ip string, n int) {
	r := c.Open(conn(id, ip))
	if r == nil {
		return
	}
	cmd := append([]byte{0x60, 0, 0x40, 0}, make([]byte, 0x3C)...)
	for range n {
		r.Received(wire.GCV3, cmd)
		r.Sent(wire.GCV3, cmd)
	}
	r.Ended("client closed the connection")
}

func dirUsage(t *testing.T, dir string) (total int64, sizes []int64) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		info, _ := e.Info()
		total += info.Size()
		sizes = append(sizes, info.Size())
	}
	return total, sizes
}

// Many sessions of one console: files rotate at max_file and the oldest
// are deleted so that the directory never holds more than max_total.
func TestRotationKeepsWithinBounds(t *testing.T) {
	const maxFile, maxTotal = 4 << 10, 16 << 10
	c := newCapture(t, Options{Enabled: true, MaxFileBytes: maxFile, MaxTotalBytes: maxTotal})
	for i := range 60 {
		session(c, uint64(i+1), "10.55.0.23", 5)
		total, sizes := dirUsage(t, c.Dir())
		if total > maxTotal {
			t.Fatalf("after session %d: %d bytes in %d files, over %d", i, total, len(sizes), maxTotal)
		}
		for _, s := range sizes {
			if s > maxFile {
				t.Fatalf("after session %d: a file of %d bytes, over %d", i, s, maxFile)
			}
		}
	}
	if c.Stats().Dropped != 0 {
		t.Errorf("%d events dropped although old files could go", c.Stats().Dropped)
	}
	files, _ := c.Files()
	data, err := os.ReadFile(filepath.Join(c.Dir(), files[0].Name))
	if err != nil || !bytes.Contains(data, []byte("Running cleanup tasks for C-3C")) {
		t.Errorf("the newest file %s does not hold the last session (%v)", files[0].Name, err)
	}
	if !strings.Contains(string(data), "continues capture-") {
		t.Errorf("a rotated file does not say what it continues:\n%.300s", data)
	}
}

// Many consoles at once: when the open files alone fill max_total, events
// are dropped and counted; the limit still holds.
func TestFullCaptureDropsInsteadOfGrowing(t *testing.T) {
	const maxFile, maxTotal = 4 << 10, 8 << 10
	c := newCapture(t, Options{Enabled: true, MaxFileBytes: maxFile, MaxTotalBytes: maxTotal, Linger: time.Hour})
	for i := range 20 {
		session(c, uint64(i+1), netip.AddrFrom4([4]byte{10, 55, 0, byte(i + 1)}).String(), 3)
		if total, _ := dirUsage(t, c.Dir()); total > maxTotal {
			t.Fatalf("after console %d: %d bytes, over %d", i, total, maxTotal)
		}
	}
	if c.Stats().Dropped == 0 {
		t.Error("nothing dropped although 20 open files cannot fit")
	}
}

// Files already in the directory count: switching capture on deletes the
// oldest until they fit.
func TestEnablingTrimsOldFiles(t *testing.T) {
	dir := t.TempDir()
	for i := range 4 {
		name := fileName(time.Date(2026, 5, 1, 12, i, 0, 0, time.UTC), netip.MustParseAddr("10.55.0.2"), 1)
		if err := os.WriteFile(filepath.Join(dir, name), make([]byte, 3000), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(dir, "notes.txt"), make([]byte, 9000), 0o640)
	newCapture(t, Options{Dir: dir, Enabled: true, MaxFileBytes: 4000, MaxTotalBytes: 7000})
	if _, err := os.Stat(filepath.Join(dir, "notes.txt")); err != nil {
		t.Errorf("a file that is not a capture was touched: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"capture-20260501T120200.000Z-10.55.0.2.txt", "capture-20260501T120300.000Z-10.55.0.2.txt", "notes.txt"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("left %v, want %v", names, want)
	}
}

// Off, nothing is recorded, no recorder handed out, no directory made.
func TestDisabledCaptureRecordsNothing(t *testing.T) {
	c := newCapture(t, Options{})
	if r := c.Open(conn(1, "10.55.0.9")); r != nil {
		t.Fatal("a recorder while capture is off")
	}
	c.Note(netip.MustParseAddr("10.55.0.9"), time.Now(), "dns: gc01.st-pso.games.sega.net -> 198.18.55.1", true)
	if _, err := os.Stat(c.Dir()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("directory made while off: %v", err)
	}
}

// Switched off, a recorder still held by a connection writes nothing more.
func TestSwitchingOffStopsRecorders(t *testing.T) {
	c := newCapture(t, Options{Enabled: true})
	r := c.Open(conn(1, "10.55.0.9"))
	c.SetEnabled(false)
	c.SetEnabled(true)
	r.Sent(wire.GCV3, []byte{0x1D, 0, 4, 0})
	r.Ended("gone")
	files, _ := c.Files()
	data, _ := os.ReadFile(filepath.Join(c.Dir(), files[0].Name))
	if bytes.Contains(data, []byte("command=1D")) || bytes.Contains(data, []byte("gone")) {
		t.Errorf("recorded after capture was switched off:\n%s", data)
	}
}

// DHCP notes wait for the console's file; a PSO lookup opens one.
func TestNotesJoinTheConsolesFile(t *testing.T) {
	c := newCapture(t, Options{Enabled: true})
	ip := netip.MustParseAddr("10.55.0.23")
	c.Note(ip, time.Now(), "dhcp: REQUEST from 00:09:bf:01:02:03, ACK 10.55.0.23", false)
	if files, _ := c.Files(); len(files) != 0 {
		t.Fatalf("DHCP alone opened %v", files)
	}
	c.Note(ip, time.Now(), "dns: gc01.st-pso.games.sega.net -> 198.18.55.1", true)
	session(c, 7, "10.55.0.23", 1)
	files, _ := c.Files()
	if len(files) != 1 || files[0].IP != ip || !files[0].Open || files[0].Version != "GC_V3" {
		t.Fatalf("files %+v", files)
	}
	fh, info, err := c.OpenFile(files[0].Name)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	events, err := sessionlog.Read(fh)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, ev := range events[:5] {
		kinds = append(kinds, ev.Kind.String()+":"+ev.Client+":"+ev.Text)
	}
	want := "note::psobox capture of the console at 10.55.0.23; credentials masked (replay substitutes its own)|" +
		"note::dhcp: REQUEST from 00:09:bf:01:02:03, ACK 10.55.0.23|note::dns: gc01.st-pso.games.sega.net -> 198.18.55.1|" +
		"connect:C-7:|note:C-7:connected from 10.55.0.23:50000 to port 9103"
	if got := strings.Join(kinds, "|"); got != want {
		t.Errorf("file starts\n%s\nwant\n%s", got, want)
	}
	if info.Size == 0 {
		t.Error("no size")
	}
}

// An event the log format refuses is counted as dropped, and the events
// after it are still written.
func TestUnwritableEventIsDroppedAlone(t *testing.T) {
	c := newCapture(t, Options{Enabled: true})
	ip := netip.MustParseAddr("10.55.0.23")
	session(c, 7, ip.String(), 1)
	c.write(c.consoles[ip], sessionlog.Event{Kind: 99, Time: time.Now()})
	c.Note(ip, time.Now(), "after the bad event", false)
	if got := c.Stats().Dropped; got != 1 {
		t.Errorf("dropped %d events, want 1", got)
	}
	files, _ := c.Files()
	fh, _, err := c.OpenFile(files[0].Name)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	events, err := sessionlog.Read(fh)
	if err != nil {
		t.Fatal(err)
	}
	if last := events[len(events)-1]; last.Text != "after the bad event" {
		t.Errorf("last event %+v, want the note written after the bad event", last)
	}
}

// Only names Files lists can be opened: no paths, no other files.
func TestOpenFileRefusesUnknownNames(t *testing.T) {
	c := newCapture(t, Options{Enabled: true})
	session(c, 1, "10.55.0.5", 1)
	os.WriteFile(filepath.Join(c.Dir(), "secret.txt"), []byte("x"), 0o600)
	os.WriteFile(filepath.Join(filepath.Dir(c.Dir()), "capture-20260501T120000.000Z-10.0.0.1.txt"), []byte("x"), 0o600)
	for _, name := range []string{"secret.txt", "../capture-20260501T120000.000Z-10.0.0.1.txt", "/etc/passwd",
		"capture-20260501T120000.000Z-10.0.0.1.txt", "", ".", "capture-20991231T000000.000Z-10.55.0.5.txt"} {
		if fh, _, err := c.OpenFile(name); !errors.Is(err, ErrNotFound) {
			if fh != nil {
				fh.Close()
			}
			t.Errorf("OpenFile(%q): %v, want ErrNotFound", name, err)
		}
	}
}

// Masking works on a copy: the Framer's buffer the tap is given stays.
func TestMaskingLeavesTheCallersBuffer(t *testing.T) {
	c := newCapture(t, Options{Enabled: true})
	r := c.Open(conn(1, "10.55.0.5"))
	db := &wire.VerifyAccount{}
	copy(db.Serial[:], "1705B11E")
	copy(db.AccessKey[:], "145756008422")
	cmd := command(t, wire.GCV3, db)
	before := bytes.Clone(cmd)
	r.Received(wire.GCV3, cmd)
	if !bytes.Equal(before, cmd) {
		t.Error("the tap changed the command it was given")
	}
}

// A console's file stays open for Linger after its last connection (the
// 9100 split sends it on to 9103), then closes; its next session starts a
// new file.
func TestFileClosesAfterLinger(t *testing.T) {
	c := newCapture(t, Options{Enabled: true, Linger: 50 * time.Millisecond})
	session(c, 1, "10.55.0.5", 1)
	session(c, 2, "10.55.0.5", 1)
	if files, _ := c.Files(); len(files) != 1 || !files[0].Open {
		t.Fatalf("two sessions in a row: %+v", files)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		files, _ := c.Files()
		if len(files) == 1 && !files[0].Open && files[0].Version == "GC_V3" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("file not closed after linger: %+v", files)
		}
		time.Sleep(10 * time.Millisecond)
	}
	session(c, 3, "10.55.0.5", 1)
	if files, _ := c.Files(); len(files) != 2 || !files[0].Open || files[1].Open {
		t.Fatalf("after linger: %+v", files)
	}
}

// File names round-trip, and no name that parses can leave the directory.
func FuzzParseFileName(f *testing.F) {
	f.Add("capture-20260501T150025.123Z-10.55.0.23.txt")
	f.Add("capture-20260501T150025.123Z-fe80__1-2.txt")
	f.Add("capture-20260501T150025.123Z-../x.txt")
	f.Fuzz(func(t *testing.T, name string) {
		start, ip, n, ok := parseFileName(name)
		if !ok {
			return
		}
		if strings.ContainsAny(name, "/\\") || name != filepath.Base(name) {
			t.Fatalf("%q parses but is a path", name)
		}
		if again := fileName(start, ip, n); again != name && !strings.Contains(name, "-1.txt") {
			if _, _, _, ok := parseFileName(again); !ok {
				t.Fatalf("%q parses to %v %v %d, which names %q that does not parse", name, start, ip, n, again)
			}
		}
	})
}
