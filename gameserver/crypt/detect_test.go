package crypt

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/psobox/psobox/gameserver/sessionlog"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/internal/testenv"
)

// newStream builds the client's side of a stream cipher of the given family.
func newStream(t testing.TB, f wire.CipherFamily, key uint32) Cipher {
	t.Helper()
	c, err := NewStream(f, key)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNewStreamRefusesBB(t *testing.T) {
	if c, err := NewStream(wire.CipherBB, 1); err == nil || c != nil {
		t.Errorf("NewStream(CipherBB) = %v, %v; want an error", c, err)
	}
}

// detectAndContinue plays a client that encrypts cmds with family f, runs
// detection on the first 4 bytes the way a server does, and checks that the
// returned cipher decrypts the rest of the first command and the next ones.
func detectAndContinue(t *testing.T, f wire.CipherFamily, key uint32, cmds ...[]byte) {
	t.Helper()
	client := newStream(t, f, key)
	wireBytes := make([][]byte, len(cmds))
	for i, c := range cmds {
		wireBytes[i] = bytes.Clone(c)
		client.Encrypt(wireBytes[i])
	}
	first := wireBytes[0]
	c, got, err := DetectV2V3(key, first[:4])
	if err != nil {
		t.Fatalf("key %08X header % X: %v", key, cmds[0][:4], err)
	}
	if got != f {
		t.Fatalf("key %08X header % X: detected family %d, want %d", key, cmds[0][:4], got, f)
	}
	c.Decrypt(first[4:])
	for _, b := range wireBytes[1:] {
		c.Decrypt(b)
	}
	for i := range cmds {
		if !bytes.Equal(wireBytes[i], cmds[i]) {
			t.Fatalf("key %08X: command %d decrypts to % X, want % X", key, i, wireBytes[i], cmds[i])
		}
	}
}

// Every first header of the detection lists, spelled as the bytes a client
// sends, with a body of the declared size (sizes that are not a multiple of 4
// included, as DC NTE's 88 is 0x26 bytes).
func TestDetectV2V3EveryKnownHeader(t *testing.T) {
	headers := []struct {
		h    [4]byte
		want wire.CipherFamily
	}{
		{[4]byte{0x88, 0, 0x26, 0}, wire.CipherV2}, {[4]byte{0x8B, 0, 0xB0, 0}, wire.CipherV2},
		{[4]byte{0x8B, 1, 0xB0, 0}, wire.CipherV2}, {[4]byte{0x8B, 0, 0x14, 1}, wire.CipherV2},
		{[4]byte{0x8B, 1, 0x14, 1}, wire.CipherV2}, {[4]byte{0x90, 0, 0x26, 0}, wire.CipherV2},
		{[4]byte{0x90, 0, 0x28, 0}, wire.CipherV2}, {[4]byte{0x93, 0, 0xB0, 0}, wire.CipherV2},
		{[4]byte{0x93, 1, 0xB0, 0}, wire.CipherV2}, {[4]byte{0x93, 0, 0x14, 1}, wire.CipherV2},
		{[4]byte{0x93, 1, 0x14, 1}, wire.CipherV2}, {[4]byte{0x9A, 0, 0xE0, 0}, wire.CipherV2},
		{[4]byte{0x9D, 0, 0xCC, 0}, wire.CipherV2}, {[4]byte{0x9D, 1, 0xCC, 0}, wire.CipherV2},
		{[4]byte{0x9D, 0, 0x30, 1}, wire.CipherV2}, {[4]byte{0x9D, 1, 0x30, 1}, wire.CipherV2},
		{[4]byte{0xDB, 0, 0xE0, 0}, wire.CipherV3}, {[4]byte{0x9E, 0, 0xEC, 0}, wire.CipherV3},
		{[4]byte{0x9E, 1, 0xEC, 0}, wire.CipherV3}, {[4]byte{0x9E, 0, 0x50, 1}, wire.CipherV3},
		{[4]byte{0x9E, 1, 0x50, 1}, wire.CipherV3},
	}
	if n := len(v2FirstHeaders) + len(v3FirstHeaders); n != len(headers) {
		t.Errorf("detection lists have %d headers, this test %d", n, len(headers))
	}
	r := rand.New(rand.NewPCG(11, 12))
	for _, h := range headers {
		size := int(h.h[2]) | int(h.h[3])<<8
		for _, key := range []uint32{0, 0xFFFFFFFF, r.Uint32(), r.Uint32()} {
			cmd := append(h.h[:], randomBytes(r, size-4)...)
			detectAndContinue(t, h.want, key, cmd, pattern(0x40))
		}
	}
}

// The first command of every client in the replay logs of real consoles,
// encrypted the way that console does: on GameCube-family ports detection
// must pick the cipher of the client's actual version (the one the log
// settles on), and continue through the client's second command. On the PC
// and Xbox ports, whose cipher is fixed, the first command must not pass as
// a known header (so a misrouted client gets a clean error).
func TestDetectV2V3FixtureClients(t *testing.T) {
	dir := testenv.FixturesDir(t, "pso-sessions")
	files, _ := filepath.Glob(filepath.Join(dir, "*.test.txt"))
	detected := map[string]int{}
	for _, file := range files {
		for _, cl := range fixtureClients(t, file) {
			if len(cl.cmds) < 2 {
				continue
			}
			family := cl.version.Cipher()
			if cl.listener.IsPC() || cl.listener == wire.XBV3 {
				rejectsFixedPortClient(t, cl, family)
				detected["rejected "+cl.version.String()]++
				continue
			}
			detectAndContinue(t, family, 0x5EED1234, cl.cmds[0], cl.cmds[1])
			detected[cl.version.String()]++
		}
	}
	if len(detected) == 0 {
		t.Fatal("no client on a detection port in the fixtures")
	}
	t.Logf("first commands per client version: %v", detected)
}

func rejectsFixedPortClient(t *testing.T, cl *fixtureClient, f wire.CipherFamily) {
	first := bytes.Clone(cl.cmds[0][:4])
	newStream(t, f, 0x5EED1234).Encrypt(first)
	if _, _, err := DetectV2V3(0x5EED1234, first); !errors.Is(err, ErrUnknownCipher) {
		t.Errorf("%s on port of %v: first header % X accepted by detection (err %v)", cl.version, cl.listener, cl.cmds[0][:4], err)
	}
}

type fixtureClient struct {
	listener wire.Version // the listener's version: which port it came to
	version  wire.Version // the version of its last command, once identified
	cmds     [][]byte     // what it sent, in order
}

func fixtureClients(t *testing.T, file string) map[string]*fixtureClient {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	events, err := sessionlog.Read(f)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	clients := map[string]*fixtureClient{}
	for _, ev := range events {
		switch ev.Kind {
		case sessionlog.Connect:
			clients[ev.Client] = &fixtureClient{listener: ev.Version}
		case sessionlog.FromClient:
			if cl := clients[ev.Client]; cl != nil {
				cl.version = ev.Version
				cl.cmds = append(cl.cmds, ev.Data)
			}
		}
	}
	return clients
}

// Random bytes must not pass: with 21 accepted words out of 2^32, a false
// match in 20000 tries has a chance of about 1 in 10000, and the generator is
// seeded, so this test is deterministic. A failure leaves the input as it was.
func TestDetectV2V3RejectsNoise(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for range 20000 {
		b := randomBytes(r, 4)
		orig := bytes.Clone(b)
		c, _, err := DetectV2V3(r.Uint32(), b)
		if !errors.Is(err, ErrUnknownCipher) || c != nil {
			t.Fatalf("noise % X accepted (err %v)", orig, err)
		}
		if !bytes.Equal(b, orig) {
			t.Fatal("a failed detection modified its input")
		}
	}
}

func TestDetectV2V3NeedsExactlyFourBytes(t *testing.T) {
	for _, n := range []int{0, 1, 3, 5, 8} {
		if _, _, err := DetectV2V3(1, make([]byte, n)); err == nil {
			t.Errorf("%d bytes accepted", n)
		}
	}
}

func TestDetectionListsAreDisjointAndUnique(t *testing.T) {
	seen := map[uint32]bool{}
	for _, w := range append(append([]uint32{}, v2FirstHeaders...), v3FirstHeaders...) {
		if seen[w] {
			t.Errorf("header %08X listed twice", w)
		}
		seen[w] = true
	}
}
