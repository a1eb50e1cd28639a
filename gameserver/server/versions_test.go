package server_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/accounts"
	"github.com/psobox/psobox/gameserver/crypt"
	"github.com/psobox/psobox/gameserver/server"
	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/internal/testenv"
)

func v1Login(serial, key string, sub uint32) *wire.V1Login {
	m := &wire.V1Login{SubVersion: sub, GuildCard: 0xFFFFFFFF}
	putASCII(m.Serial[:], serial)
	putASCII(m.AccessKey[:], key)
	return m
}

// The 11/2000 prototype answers the 90 probe with a second 93, never 92: it
// then gets the prototypes' flow (no time, no 95, an 04 before the menu).
func TestDC112000Probe(t *testing.T) {
	o := servertest.Options()
	failOnPanic(t, &o)
	srv := servertest.Start(t, o)
	c := dial(t, srv.Addr(9200), wire.DC112000)
	c.start(wire.DC112000)
	v1 := &wire.V1LicenseCheck{}
	putASCII(v1.Serial[:], "11112000")
	putASCII(v1.AccessKey[:], "PROTOKEY")
	c.sendMsg(v1)
	c.expect(0x90)
	c.sendMsg(v1Login("11112000", "PROTOKEY", 0x20))
	if r := c.expect(0x90); r.Header.Flag != 1 {
		t.Fatalf("probe 90 flag %X", r.Header.Flag)
	}
	c.sendMsg(v1Login("11112000", "PROTOKEY", 0x20))
	for _, want := range []uint16{0x04, 0x04, 0x07} {
		c.expect(want)
	}
	c.sendMsg(&wire.MenuSelection{MenuID: 0x11000011, ItemID: 0x11222211})
	c.expect(0x83)
	c.expect(0x95) // the prototypes' player data is asked for before the lobby
	c.sendMsg(testPlayer("Proto").CharacterData(wire.DC112000, 0x61))
	c.expect(0x67)
}

// Real DC v1 that skipped 92 answers the probe with 92 and logs in as v1.
func TestDCV1AnswersProbe(t *testing.T) {
	o := servertest.Options()
	failOnPanic(t, &o)
	srv := servertest.Start(t, o)
	c := dial(t, srv.Addr(9200), wire.DCV1)
	c.start(wire.DCV1)
	c.sendMsg(v1Login("0000CCCC", "KEYKEY12", 0x21))
	c.expect(0x90)
	c.sendMsg(&wire.V1Register{SubVersion: 0x21})
	c.expect(0x92)
	c.sendMsg(v1Login("0000CCCC", "KEYKEY12", 0x21))
	for _, want := range []uint16{0x04, 0xB1, 0x95} {
		c.expect(want)
	}
}

func TestPort9100WithoutSplit(t *testing.T) {
	o := servertest.Options()
	o.PCOn9100 = false
	failOnPanic(t, &o)
	srv := servertest.Start(t, o)
	loginGC(t, srv.Addr(9100), gcLicence(1), "Console")
}

func TestBlueBurstPorts(t *testing.T) {
	keys := testenv.FixturesDir(t, "bb-keys")
	o := servertest.Options()
	o.BBKeyDir = keys
	failOnPanic(t, &o)
	srv := servertest.Start(t, o)
	for _, p := range []int{11101, 12000, 12001} {
		if _, ok := srv.Addrs[p]; !ok {
			t.Errorf("BB port %d not bound with key tables present", p)
		}
	}
	table, err := crypt.LoadBBKeys(keys)
	if err != nil {
		t.Fatal(err)
	}
	c := dial(t, srv.Addr(12000), wire.BBV4)
	r := c.expect(0x03)
	var init wire.ServerInitBB
	if err := wire.DecodeInto(wire.BBV4, r.Header, r.Payload, &init); err != nil {
		t.Fatal(err)
	}
	in, _ := crypt.NewBB(table[0], table[0].ServerStreamSeed(init.ServerKey[:], init.ClientKey[:]))
	out, _ := crypt.NewBB(table[0], init.ClientKey[:])
	c.f.SetVersion(wire.BBV4)
	c.f.SetCiphers(in, out)
	login := &wire.BBLogin{SubVersion: 0x41}
	putASCII(login.Username[:], "bbuser")
	c.sendMsg(login)
	var ci wire.BBClientInit
	r = c.expect(0x00E6)
	if err := wire.DecodeInto(wire.BBV4, r.Header, r.Payload, &ci); err != nil || ci.ErrorCode == 0 {
		t.Errorf("BB login answered %+v, %v; want a refusal code", ci, err)
	}
	c.expectClosed()
}

func TestNoBBPortsWithoutKeys(t *testing.T) {
	srv := servertest.Start(t, servertest.Options())
	for _, p := range []int{11101, 12000, 12001, 10000, 11000} {
		if _, ok := srv.Addrs[p]; ok {
			t.Errorf("port %d bound without BB key tables or a patch server", p)
		}
	}
	if len(srv.Addrs) != 14 {
		t.Errorf("%d ports bound, want the 14 console ports", len(srv.Addrs))
	}
}

// A damaged accounts database stops Listen with an error naming the file,
// and nothing stays bound.
func TestListenFailsOnDamagedAccounts(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, accounts.FileName)
	if err := os.WriteFile(path, []byte(strings.Repeat("x", 8192)), 0o600); err != nil {
		t.Fatal(err)
	}
	o := servertest.Options()
	o.Listen, o.EphemeralPorts, o.StateDir = "127.0.0.1", true, dir
	srv, err := server.New(o)
	if err != nil {
		t.Fatal(err)
	}
	err = srv.Listen(context.Background())
	if err == nil || !strings.Contains(err.Error(), path) || !errors.Is(err, accounts.ErrCorrupt) {
		t.Fatalf("Listen = %v, want ErrCorrupt naming %s", err, path)
	}
	if len(srv.Addrs()) != 0 {
		t.Errorf("ports left bound after a failed Listen: %v", srv.Addrs())
	}
	if err := srv.Serve(context.Background()); err == nil {
		t.Error("Serve after a failed Listen succeeded")
	}
}

// A start-up aborted after Listen (a later service failed to bind) ends
// Listen's context without Serve ever running: every port must come free.
func TestListenReleasesPortsWhenStartIsAborted(t *testing.T) {
	o := servertest.Options()
	o.Listen, o.EphemeralPorts, o.StateDir = "127.0.0.1", true, t.TempDir()
	srv, err := server.New(o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := srv.Listen(ctx); err != nil {
		t.Fatal(err)
	}
	cancel()
	for port, addr := range srv.Addrs() {
		if !eventuallyBindable(addr.String()) {
			t.Errorf("port %d (%s) still bound after the Listen context ended", port, addr)
		}
	}
}

// eventuallyBindable says whether a TCP listener can be opened on addr
// within a few seconds (AfterFunc closes the listeners on its own goroutine).
func eventuallyBindable(addr string) bool {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if ln, err := net.Listen("tcp", addr); err == nil {
			_ = ln.Close()
			return true
		}
	}
	return false
}

// Blue Burst is off without a usable key table, and the server says why
// (the status page shows it).
func TestBlueBurstOffSaysWhy(t *testing.T) {
	good := make([]byte, crypt.BBKeyFileSize) // zeros: a valid standard table
	for _, tc := range []struct {
		name  string
		files map[string][]byte // nil: the directory does not exist
		want  string            // in the reason; "" when Blue Burst is on
	}{
		{"missing directory", nil, "does not exist"},
		{"empty directory", map[string][]byte{}, "has no .nsk key file"},
		{"only a broken key", map[string][]byte{"short.nsk": good[:10]}, "no usable key file in"},
		{"a key", map[string][]byte{"default.nsk": good}, ""},
		{"a key in upper case", map[string][]byte{"DEFAULT.NSK": good}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := servertest.Options()
			o.BBKeyDir = filepath.Join(t.TempDir(), "bb-keys")
			if tc.files != nil {
				writeFiles(t, o.BBKeyDir, tc.files)
			}
			off := servertest.Start(t, o).BlueBurstOff()
			switch {
			case tc.want == "" && off != nil:
				t.Errorf("BlueBurstOff = %v, want nil", off)
			case tc.want != "" && (off == nil || !strings.Contains(off.Error(), tc.want)):
				t.Errorf("BlueBurstOff = %v, want a reason with %q", off, tc.want)
			}
		})
	}
}

func writeFiles(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOptionsChecked(t *testing.T) {
	for name, mod := range map[string]func(*server.Options){
		"no state dir":     func(o *server.Options) { o.StateDir = "" },
		"listen with port": func(o *server.Options) { o.Listen = "0.0.0.0:9000" },
		"bad mode":         func(o *server.Options) { o.Accounts = 7 },
		"tiny queue":       func(o *server.Options) { o.SendQueueBytes = 100 },
	} {
		o := servertest.Options()
		o.StateDir = t.TempDir()
		mod(&o)
		if _, err := server.New(o); err == nil {
			t.Errorf("%s: New accepted the options", name)
		}
	}
	o := servertest.Options()
	o.StateDir, o.Listen = t.TempDir(), "::1"
	if _, err := server.New(o); err != nil {
		t.Errorf("IPv6 listen address refused: %v", err)
	}
}

// The GameCube trial edition uses the V2 cipher and DC v2's commands with a
// GameCube sub_version; PC NTE sends no credentials at all and gets a
// guild card number for the session.
func TestTrialEditions(t *testing.T) {
	o := servertest.Options()
	failOnPanic(t, &o)
	srv := servertest.Start(t, o)

	c := dial(t, srv.Addr(9103), wire.GCNTE)
	c.start(wire.GCNTE)
	lc := &wire.LicenseCheck{SubVersion: 0x30}
	putASCII(lc.Serial[:], "4E544531")
	putASCII(lc.AccessKey[:], "NTEKEY000000")
	c.sendMsg(lc)
	c.expect(0x9A)
	login := &wire.Login{LoginBase: wire.LoginBase{SubVersion: 0x30, GuildCard: 0xFFFFFFFF}}
	putASCII(login.Serial[:], "4E544531")
	putASCII(login.AccessKey[:], "NTEKEY000000")
	c.sendMsg(login)
	for _, want := range []uint16{0x04, 0xB1, 0x95} {
		c.expect(want)
	}
	c.sendMsg(testPlayer("Trial").CharacterData(wire.GCNTE, 0x61))
	menu := c.expect(0x07)
	if menu.Header.Flag != 3 {
		t.Errorf("GC trial main menu has %d items, want 3 (lobby, information, disconnect)", menu.Header.Flag)
	}

	pc := dial(t, srv.Addr(9300), wire.PCNTE)
	pc.start(wire.PCNTE)
	pc.sendMsg(&wire.LicenseCheck{SubVersion: 0x29})
	pc.expect(0x9A)
	pc.sendMsg(&wire.Login{LoginBase: wire.LoginBase{SubVersion: 0x29, GuildCard: 0xFFFFFFFF}})
	r := pc.expect(0x04)
	var cfg wire.UpdateClientConfig
	if err := wire.DecodeInto(wire.PCNTE, r.Header, r.Payload, &cfg); err != nil || cfg.GuildCard < 0x40000000 {
		t.Errorf("PC NTE guild card %X, %v", cfg.GuildCard, err)
	}
}
