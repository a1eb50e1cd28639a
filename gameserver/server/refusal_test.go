package server_test

import (
	"testing"

	"github.com/psobox/psobox/gameserver/accounts"
	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// addLicences registers the licences the refusal tests know.
func addLicences(t *testing.T, dir string) {
	s, err := accounts.OpenDir(dir, accounts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	g := gcLicence(1)
	for _, l := range []accounts.Licence{
		{Kind: accounts.KindGC, Serial: g.serial, AccessKey: g.key, Password: g.password},
		{Kind: accounts.KindDC, Serial: "0000AAAA", AccessKey: "KEYKEY12"},
	} {
		if _, err := s.Add(l); err != nil {
			t.Fatal(err)
		}
	}
}

func putASCII(dst []byte, s string) { text.Put(dst, text.ASCII, s, text.English) }

// refuseDC checks the Dreamcast refusals: DC v2's 9A and DC v1's 90 get
// result codes, DC NTE (no codes) a message box; then the connection ends.
func refuseDC(t *testing.T, srv *servertest.Server) {
	t.Helper()
	// DC v2, unknown serial.
	c := dial(t, srv.Addr(9200), wire.DCV2)
	c.start(wire.DCV2)
	m := &wire.LicenseCheck{SubVersion: 0x26}
	putASCII(m.Serial[:], "0000BBBB")
	putASCII(m.AccessKey[:], "KEYKEY12")
	c.sendMsg(m)
	if r := c.expect(0x9A); r.Header.Flag != wire.LicenseBadSerial {
		t.Errorf("DC v2 unknown serial: 9A flag %02X", r.Header.Flag)
	}
	c.expectClosed()

	// DC v1, known serial, wrong access key.
	c = dial(t, srv.Addr(9200), wire.DCV1)
	c.start(wire.DCV1)
	v1 := &wire.V1LicenseCheck{}
	putASCII(v1.Serial[:], "0000AAAA")
	putASCII(v1.AccessKey[:], "WRONGKEY")
	c.sendMsg(v1)
	if r := c.expect(0x90); r.Header.Flag != wire.LicenseBadAccess {
		t.Errorf("DC v1 wrong key: 90 flag %02X", r.Header.Flag)
	}
	c.expectClosed()

	// DC NTE, unknown licence: a message box says why.
	c = dial(t, srv.Addr(9000), wire.DCNTE)
	c.start(wire.DCNTE)
	nte := &wire.DCNTEAccountCheck{}
	putASCII(nte.Serial[:], "4444444444444444")
	putASCII(nte.AccessKey[:], "6666666666666666")
	c.sendMsg(nte)
	r := c.expect(0x1A)
	var box wire.PlainText
	wire.DecodeInto(wire.DCNTE, r.Header, r.Payload, &box)
	if got := box.String(wire.DCNTE, text.English); got != "Incorrect serial number" {
		t.Errorf("DC NTE refusal says %q", got)
	}
	c.expectClosed()
}
