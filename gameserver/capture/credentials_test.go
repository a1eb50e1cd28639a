package capture

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/psobox/psobox/gameserver/wire"
)

// command encodes m as a whole command of version v, header included.
func command(t testing.TB, v wire.Version, m wire.Msg) []byte {
	t.Helper()
	payload, flag, err := wire.AppendPayload(nil, v, m)
	if err != nil {
		t.Fatal(err)
	}
	hf := v.HeaderFormat()
	out, err := hf.Append(nil, wire.Header{Command: m.Command(), Flag: flag, Size: uint16(hf.Len() + len(payload))})
	if err != nil {
		t.Fatal(err)
	}
	return append(out, payload...)
}

func put(dst []byte, s string) { copy(dst, s) }

type loginCase struct {
	name string
	v    wire.Version
	m    wire.Msg
	want []string // credential fields as "name=value" (text) in order
}

func loginCases() []loginCase {
	db := &wire.VerifyAccount{SubVersion: 0x31, HardwareID: 0}
	put(db.Serial[:], "1705B11E")
	put(db.AccessKey[:], "145756008422")
	put(db.Serial2[:], "1705B11E")
	put(db.AccessKey2[:], "145756008422")
	put(db.Password[:], "Matcha12")
	xb := &wire.LoginWithConfig{HasXB: true}
	put(xb.Serial[:], "Gamer Tag 7")
	put(xb.AccessKey[:], "00112233AABBCCDD")
	xb.XB[0], xb.XB[0x47] = 0x0A, 0x55
	dc := &wire.LicenseCheck{SubVersion: 0x26}
	put(dc.Serial[:], "0ABCDEF1")
	put(dc.AccessKey[:], "KEY42key")
	put(dc.Email[:], "me@example.org")
	nte := &wire.DCNTELogin{HardwareID: 0x0123456789AB}
	put(nte.Serial[:], "NTESERIAL0000001")
	put(nte.AccessKey[:], "NTEACCESS0000001")
	put(nte.Username[:], "dreamer")
	put(nte.Password[:], "hunter2")
	bb := &wire.BBLogin{}
	put(bb.Username[:], "bbuser")
	put(bb.Password[:], "bbpass99")
	return []loginCase{
		{"GC DB", wire.GCV3, db, []string{"serial=", "access key=", "serial=1705B11E", "access key=145756008422",
			"hardware ID", "serial=1705B11E", "access key=145756008422", "password=Matcha12"}},
		{"Xbox 9E", wire.XBV3, xb, []string{"hardware ID", "serial=", "access key=", "serial=Gamer Tag 7",
			"access key=00112233AABBCCDD", "serial=", "access key=", "xbox network"}},
		{"DC v2 9A", wire.DCV2, dc, []string{"serial=", "access key=", "serial=0ABCDEF1", "access key=KEY42key",
			"serial=", "access key=", "email=me@example.org"}},
		{"DC NTE 8B", wire.DCNTE, nte, []string{"hardware ID", "serial=NTESERIAL0000001", "access key=NTEACCESS0000001",
			"username=dreamer", "password=hunter2"}},
		{"BB 93", wire.BBV4, bb, []string{"username=bbuser", "password=bbpass99"}},
	}
}

func describe(f Field) string {
	if !f.Text {
		return f.Name
	}
	return f.Name + "=" + string(f.Value())
}

// RewriteCredentials finds every credential field of each login command, in
// order, and rewrites them in place without changing the command's size.
func TestRewriteCredentialsFindsAndReplaces(t *testing.T) {
	fk := NewFaker([]byte("test key"))
	for _, tc := range loginCases() {
		t.Run(tc.name, func(t *testing.T) {
			in := command(t, tc.v, tc.m)
			var got []string
			out, ok, err := RewriteCredentials(tc.v, in, func(f Field) {
				got = append(got, describe(f))
				if f.Text {
					copy(f.Bytes, fk.text(f.Value()))
				} else {
					copy(f.Bytes, fk.binary(f.Value()))
				}
			})
			if !ok || err != nil {
				t.Fatalf("ok %v, err %v", ok, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
			if len(out) != len(in) || !bytes.Equal(out[:4], in[:4]) {
				t.Fatalf("rewritten command changed size or header: %X -> %X", in[:4], out[:4])
			}
			for _, secret := range []string{"1705B11E", "145756008422", "Matcha12", "Gamer Tag 7", "00112233AABBCCDD", "KEY42key",
				"me@example.org", "NTESERIAL", "dreamer", "hunter2", "bbuser", "bbpass99"} {
				if bytes.Contains(out, []byte(secret)) {
					t.Errorf("%q still in the rewritten command", secret)
				}
			}
			h, _ := tc.v.HeaderFormat().Decode(out)
			if _, err := wire.Decode(tc.v, wire.ClientToServer, h, out[tc.v.HeaderFormat().Len():]); err != nil {
				t.Errorf("rewritten command does not decode: %v", err)
			}
		})
	}
}

// Commands without credentials come back unchanged and not ok.
func TestRewriteCredentialsLeavesOtherCommands(t *testing.T) {
	for _, tc := range []struct {
		v wire.Version
		m wire.Msg
	}{
		{wire.GCV3, &wire.MenuSelection{MenuID: 1, ItemID: 2}},
		{wire.GCV3, &wire.Empty{Cmd: 0x99}},
	} {
		in := command(t, tc.v, tc.m)
		out, ok, err := RewriteCredentials(tc.v, in, func(Field) { t.Error("called for a command without credentials") })
		if ok || err != nil || !bytes.Equal(in, out) {
			t.Errorf("%T: ok %v err %v", tc.m, ok, err)
		}
	}
}

// A login command that does not decode is reported, so the masker blanks it.
func TestRewriteCredentialsRefusesBrokenLogins(t *testing.T) {
	in := command(t, wire.GCV3, loginCases()[0].m)
	in = in[:len(in)-8]
	in[2], in[3] = byte(len(in)), byte(len(in)>>8)
	if _, ok, err := RewriteCredentials(wire.GCV3, in, func(Field) {}); !ok || err == nil {
		t.Errorf("truncated DB: ok %v, err %v", ok, err)
	}
}

func TestFakesKeepTheFormat(t *testing.T) {
	fk := NewFaker([]byte("k"))
	for _, tc := range []struct{ in, pattern string }{
		{"1705B11E", "^[0-9A-F]{8}$"},
		{"145756008422", "^[0-9]{12}$"},
		{"me@example.org", "^[a-z]{2}@[a-z]{7}\\.[a-z]{3}$"},
		{"Gamer Tag 7", "^[A-Z][a-z]{4} [A-Z][a-z]{2} [0-9]$"},
	} {
		got := fk.text([]byte(tc.in))
		if !regexpMatch(tc.pattern, got) || string(got) == tc.in {
			t.Errorf("fake of %q is %q, want the format %s", tc.in, got, tc.pattern)
		}
		if again := fk.text([]byte(tc.in)); !bytes.Equal(got, again) {
			t.Errorf("fake of %q not stable: %q then %q", tc.in, got, again)
		}
	}
	if other := NewFaker([]byte("other")).text([]byte("1705B11E")); bytes.Equal(other, fk.text([]byte("1705B11E"))) {
		t.Error("two keys give the same fake")
	}
	if z := fk.binary(make([]byte, 8)); !isZero(z) {
		t.Errorf("zero hardware ID faked to %X", z)
	}
}

func FuzzRewriteCredentials(f *testing.F) {
	for _, tc := range loginCases() {
		f.Add(uint8(tc.v), command(f, tc.v, tc.m))
	}
	f.Fuzz(func(t *testing.T, v uint8, data []byte) {
		vs := wire.AllVersions()
		ver := vs[int(v)%len(vs)]
		if len(data) < ver.HeaderFormat().Len() {
			return
		}
		out, ok, err := RewriteCredentials(ver, data, func(f Field) {
			for i := range f.Bytes {
				f.Bytes[i] = 'x'
			}
		})
		if len(out) != len(data) {
			t.Fatalf("size changed: %d -> %d (ok %v, err %v)", len(data), len(out), ok, err)
		}
		if (!ok || err != nil) && !bytes.Equal(out, data) {
			t.Fatal("command changed although not rewritten")
		}
	})
}
