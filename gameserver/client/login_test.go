package client

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/wire"
)

func TestRefusalsNameThePhaseAndCode(t *testing.T) {
	tests := []struct {
		name      string
		play      func(p *peer)
		wantPhase string
		wantCmd   uint16
		wantCode  uint32
		wantText  string
	}{
		{"bad access key", func(p *peer) { p.accept(0x17); p.expect(0xDB); p.send(0x9A, 0x03, nil) },
			PhaseLicence, 0x9A, 3, "access key invalid"},
		{"suspended", func(p *peer) { p.accept(0x17); p.expect(0xDB); p.send(0x9A, 0x0F, nil) },
			PhaseLicence, 0x9A, 0x0F, "connection suspended"},
		{"wrong password", func(p *peer) {
			p.accept(0x17)
			p.expect(0xDB)
			p.send(0x9A, 0x02, nil)
			p.expect(0x9E)
			p.send(0x04, 0x03, nil)
		}, PhaseLogin, 0x04, 3, "incorrect password"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := newPeer(t, wire.GCV3)
			p.play(func() { tc.play(p) })
			_, err := dialTest(t, testContext(t), p, Config{Version: wire.GCV3})
			var se *StepError
			var re *RefusedError
			if !errors.As(err, &se) || !errors.As(err, &re) {
				t.Fatalf("Dial error = %v, want a StepError wrapping a RefusedError", err)
			}
			if se.Phase != tc.wantPhase || re.Cmd != tc.wantCmd || re.Code != tc.wantCode {
				t.Errorf("refused at %q by %02X code %02X, want %q, %02X code %02X",
					se.Phase, re.Cmd, re.Code, tc.wantPhase, tc.wantCmd, tc.wantCode)
			}
			if !strings.Contains(err.Error(), tc.wantText) {
				t.Errorf("error %q does not explain %q", err, tc.wantText)
			}
		})
	}
}

func TestServerClosingQuotesItsLastMessage(t *testing.T) {
	p := newPeer(t, wire.GCV3)
	p.play(func() {
		p.accept(0x17)
		p.expect(0xDB)
		p.sendMsg(wire.NewTextMessage(0x01, wire.GCV3, 0, "Licence banned.\nBye.", 1))
		p.conn.Close()
	})
	_, err := dialTest(t, testContext(t), p, Config{Version: wire.GCV3})
	var ce *ClosedError
	if !errors.As(err, &ce) {
		t.Fatalf("Dial error = %v, want a ClosedError", err)
	}
	if ce.LastMessage != "Licence banned. / Bye." || ce.Waiting != "9A (licence result)" {
		t.Errorf("ClosedError = %+v", ce)
	}
}

func TestTimeoutSaysWhatWasAwaited(t *testing.T) {
	p := newPeer(t, wire.GCV3)
	p.play(func() { p.accept(0x17); p.expect(0xDB) }) // and then silence
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := dialTest(t, ctx, p, Config{Version: wire.GCV3})
	var we *WaitError
	if !errors.As(err, &we) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Dial error = %v, want a WaitError for the deadline", err)
	}
	want := "failed at licence check: timed out waiting for 9A (licence result); last received 17 (server init)"
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error = %q, want it to start with %q", err, want)
	}
}

func TestRegistrationWhenAsked(t *testing.T) {
	p := newPeer(t, wire.DCV1)
	p.play(func() {
		p.accept(0x17)
		p.expect(0x90)
		p.send(0x90, wire.LicenseRegister, nil)
		p.expect(0x92)
		p.send(0x92, 0x01, nil)
		login := p.expect(0x93)
		m, err := wire.Decode(wire.DCV1, wire.ClientToServer, login.Header, login.Payload)
		if err != nil || !m.(*wire.V1Login).HasMeetUser {
			t.Errorf("first 93 should be the extended form: %v", err)
		}
		p.sendMsg(&wire.UpdateClientConfig{PlayerTag: playerTag, GuildCard: 7})
		p.expect(0x96)
		p.sendMsg(mainMenu(wire.DCV1, "Go to lobby"))
	})
	c, err := dialTest(t, testContext(t), p, Config{Version: wire.DCV1})
	if err != nil {
		t.Fatal(err)
	}
	if c.GuildCard() != 7 || c.Phase() != PhaseMainMenu {
		t.Errorf("guild card %d, phase %q", c.GuildCard(), c.Phase())
	}
}

// A 19 after login sends the client to another server, which starts with 02:
// the client logs in there directly, with the guild card it got.
func TestReconnectLogsInAgain(t *testing.T) {
	first, second := newPeer(t, wire.GCV3), newPeer(t, wire.GCV3)
	first.play(func() {
		first.accept(0x17)
		first.expect(0xDB)
		first.send(0x9A, wire.LicenseOK, nil)
		first.expect(0x9E)
		first.sendMsg(&wire.UpdateClientConfig{PlayerTag: playerTag, GuildCard: 42, Config: [0x28]byte{0xC0}})
		first.expect(0x96)
		first.sendMsg(wire.NewReconnect(netip.MustParseAddrPort(second.addr())))
	})
	second.play(func() {
		second.accept(0x02)
		login := second.expect(0x9E)
		m, err := wire.Decode(wire.GCV3, wire.ClientToServer, login.Header, login.Payload)
		if err != nil {
			t.Errorf("9E: %v", err)
			return
		}
		l := m.(*wire.LoginWithConfig)
		if l.GuildCard != 42 || l.PlayerTag != playerTag || l.HasMeetUser || l.ClientConfig[0] != 0xC0 {
			t.Errorf("second login: guild card %d, tag %08X, extended %v, config %X",
				l.GuildCard, l.PlayerTag, l.HasMeetUser, l.ClientConfig[0])
		}
		second.sendMsg(&wire.UpdateClientConfig{PlayerTag: playerTag, GuildCard: 42})
		second.sendMsg(mainMenu(wire.GCV3, "Go to lobby"))
	})
	if _, err := dialTest(t, testContext(t), first, Config{Version: wire.GCV3}); err != nil {
		t.Fatal(err)
	}
}

// The shared PC/console port sends one command that each side reads as a
// reconnect to its own port.
func TestSplitReconnectSendsEachVersionToItsPort(t *testing.T) {
	for _, v := range []wire.Version{wire.PCV2, wire.GCV3, wire.DCV2, wire.XBV3} {
		t.Run(v.String(), func(t *testing.T) {
			split, pc, console := newPeer(t, wire.PCV2), newPeer(t, wire.PCV2), newPeer(t, v)
			target := console
			if v.IsPC() {
				target = pc
			}
			split.play(func() {
				split.acceptConn()
				split.sendMsg(wire.NewReconnectSplit(netip.MustParseAddrPort(pc.addr()), netip.MustParseAddrPort(console.addr())))
			})
			arrived := make(chan struct{})
			go func() {
				conn, err := acceptWithin(target.ln, 5*time.Second)
				if err == nil {
					conn.Close()
					close(arrived)
				}
			}()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			dialTest(t, ctx, split, Config{Version: v}) // fails once the target hangs up
			select {
			case <-arrived:
			case <-time.After(5 * time.Second):
				t.Errorf("%s did not reconnect to its own port", v)
			}
		})
	}
}
