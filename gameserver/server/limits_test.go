package server_test

import (
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/server"
	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/wire"
)

// waitFor polls cond until it holds or the test times out.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(ioTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestPerAddressLimit(t *testing.T) {
	o := servertest.Options()
	o.MaxPerIP = 3
	failOnPanic(t, &o)
	srv := servertest.Start(t, o)
	addr := srv.Addr(9103)
	var held []*testClient
	for range 3 {
		c := dial(t, addr, wire.GCV3)
		c.expect(0x17)
		held = append(held, c)
	}
	refused := dial(t, addr, wire.GCV3)
	if got := refused.expectClosed(); len(got) != 0 {
		t.Errorf("a connection over max_per_ip received %X before being closed", got)
	}
	held[0].conn.Close()
	waitFor(t, "the server to release the closed connection", func() bool { return srv.Clients() < 3 })
	dial(t, addr, wire.GCV3).expect(0x17)
}

func TestMaxClients(t *testing.T) {
	o := servertest.Options()
	o.MaxClients = 2
	failOnPanic(t, &o)
	srv := servertest.Start(t, o)
	dial(t, srv.Addr(9103), wire.GCV3).expect(0x17)
	dial(t, srv.Addr(9300), wire.PCV2).expect(0x17)
	if got := dial(t, srv.Addr(9500), wire.XBV3).expectClosed(); len(got) != 0 {
		t.Errorf("a connection over max_clients received %X", got)
	}
}

func TestLoginTimeout(t *testing.T) {
	o := servertest.Options()
	o.LoginTimeout = 300 * time.Millisecond
	failOnPanic(t, &o)
	srv := servertest.Start(t, o)
	start := time.Now()
	c := dial(t, srv.Addr(9103), wire.GCV3)
	c.start(wire.GCV3)
	c.expectClosed()
	if d := time.Since(start); d < o.LoginTimeout {
		t.Errorf("closed after %v, before the login timeout", d)
	}
}

// A silent logged-in client is dropped after the idle timeout; one that
// answers the pings is not.
func TestIdleTimeoutAndPings(t *testing.T) {
	o := servertest.Options()
	o.IdleTimeout, o.PingInterval = 400*time.Millisecond, 100*time.Millisecond
	failOnPanic(t, &o)
	srv := servertest.Start(t, o)
	silent, _ := loginGC(t, srv.Addr(9103), gcLicence(1), "Silent")
	silent.toLobby()
	alive, gc := loginGC(t, srv.Addr(9103), gcLicence(2), "Alive")
	alive.toLobby()

	start := time.Now()
	pings := 0
	for time.Since(start) < 3*o.IdleTimeout {
		cmd, err := alive.recv()
		if err != nil {
			t.Fatalf("the client answering pings was dropped: %v", err)
		}
		if cmd.Header.Command == 0x1D {
			pings++
			alive.sendMsg(&wire.Empty{Cmd: 0x1D})
		}
	}
	if pings == 0 {
		t.Error("no pings received")
	}
	got := silent.expectClosed()
	t.Logf("silent client got %X before being dropped; the other answered %d pings", got, pings)
	chatRoundTrip(t, alive, gc, "still here")
}

func TestRegisteredModeRefusals(t *testing.T) {
	dir := t.TempDir()
	addLicences(t, dir)
	o := servertest.Options()
	o.Accounts, o.StateDir = server.AccountsRegistered, dir
	failOnPanic(t, &o)
	srv := servertest.Start(t, o)

	for name, tc := range map[string]struct {
		cred     gcCredentials
		wantFlag uint32
	}{
		"unknown serial":   {gcLicence(99), wire.LicenseBadSerial},
		"wrong access key": {gcCredentials{serial: gcLicence(1).serial, key: "000000000000", password: "pw", sub: 0x31}, wire.LicenseBadAccess},
		"wrong password":   {gcCredentials{serial: gcLicence(1).serial, key: gcLicence(1).key, password: "nope", sub: 0x31}, wire.LicenseRegister},
	} {
		c := dial(t, srv.Addr(9103), wire.GCV3)
		c.start(wire.GCV3)
		c.sendMsg(tc.cred.verifyAccount())
		if r := c.expect(0x9A); r.Header.Flag != tc.wantFlag {
			t.Errorf("%s: 9A flag %02X, want %02X", name, r.Header.Flag, tc.wantFlag)
		}
		c.expectClosed()
	}
	loginGC(t, srv.Addr(9103), gcLicence(1), "Known")
	refuseDC(t, srv)
}
