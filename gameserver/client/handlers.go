package client

import (
	"fmt"

	"github.com/psobox/psobox/gameserver/wire"
)

// handler reacts to one server command the way a console does. Handlers run
// in the reader goroutine, before the command is queued for Next, so that a
// script waiting for a command sees the answers already sent.
type handler struct {
	fn     func(c *Client, r *Received) error
	manual bool // also runs with Config.Manual (connection plumbing only)
}

// handlers is fixed at start-up and never changed.
var handlers = map[uint16]handler{
	0x02: {onServerInit, true}, 0x17: {onServerInit, true}, 0x91: {onServerInit, true}, 0x9B: {onServerInit, true},
	0x19: {onReconnect, true},

	0x88: {onNTEAccountCheck, false}, 0x8A: {onNTEConnectionInfo, false},
	0x90: {onLicenceResult, false}, 0x9A: {onLicenceResult, false}, 0x18: {onLicenceResult, false},
	0x92: {onRegisterResult, false}, 0x9C: {onRegisterResult, false},
	0x04: {onGuildCard, false},
	0x95: {onPlayerDataRequest, false}, 0x8D: {onPlayerDataRequest, false},
	0xB1: {onServerTime, false}, 0x97: {onEnableSave, false},
	0x1D: {onGamePing, false}, 0xB2: {onExecuteCode, false},
	0x01: {onMessage, false}, 0x11: {onMessage, false}, 0xB0: {onMessage, false},
	0x1A: {onMessage, false}, 0xD5: {onLargeMessage, false},
	0xB7: {onEp3Ack, false}, 0xB8: {onEp3Ack, false},
	0x44: {onOpenQuestFile, false}, 0x13: {onQuestChunk, false}, 0xAC: {onQuestBarrier, false},
	0xA6: {onOpenQuestFile, false}, 0xA7: {onQuestChunk, false},
	0xA2: {onQuestMenu, false}, 0xA4: {onQuestMenu, false}, 0xA3: {onQuestInfo, false}, 0xA5: {onQuestInfo, false},
	0x07: {onMenu, false}, 0xA0: {onMenu, false}, 0xA1: {onMenu, false},
	0x67: {onJoinLobby, false}, 0x68: {onPlayerJoined, false}, 0x69: {onPlayerLeft, false},
	0x08: {onGameList, false}, 0x64: {onJoinGame, false}, 0x65: {onGamePlayerJoined, false},
	0x66: {onGamePlayerLeft, false}, 0x60: {onGameCommand, false}, 0x62: {onGameCommand, false},
	0x6C: {onGameCommand, false}, 0x6D: {onGameCommand, false},
}

// dispatch runs the handler of r's command, if any.
func (c *Client) dispatch(r *Received) error {
	h, ok := handlers[r.Header.Command]
	if !ok || (c.cfg.Manual && !h.manual) {
		return nil
	}
	return h.fn(c, r)
}

// DC NTE's account check result: 0 asks for the connection info (8A),
// anything else lets the client log in (8B) directly.
func onNTEAccountCheck(c *Client, r *Received) error {
	if c.cfg.Version != wire.DCNTE {
		return nil // 88 is the lobby arrows elsewhere
	}
	if r.Header.Flag != 0 {
		return c.sendLogin()
	}
	c.setPhase(PhaseLicence, "8A (connection result)")
	return c.Send(c.ntConnectionInfo())
}

// DC NTE's connection info result: nonzero is success.
func onNTEConnectionInfo(c *Client, r *Received) error {
	if c.cfg.Version != wire.DCNTE {
		return onLobbyName(c, r) // 8A is the lobby or game name elsewhere
	}
	if r.Header.Flag == 0 {
		return &RefusedError{Cmd: 0x8A, Code: 0, Reason: "connection info refused"}
	}
	return c.sendLogin()
}

// onLicenceResult handles 9A (and DC v1's 90, the old 18): 0 and 2 let the
// client log in, 1 asks it to register, anything else is a refusal.
func onLicenceResult(c *Client, r *Received) error {
	switch code := r.Header.Flag; code {
	case wire.LicenseOK, wire.LicenseOKSave:
		return c.sendLogin()
	case wire.LicenseRegister:
		return c.sendRegister()
	default:
		return &RefusedError{Cmd: r.Header.Command, Code: code, Reason: explain(licenceCodes, code)}
	}
}

// onRegisterResult handles 9C/92: nonzero means registered.
func onRegisterResult(c *Client, r *Received) error {
	if r.Header.Flag == 0 {
		return &RefusedError{Cmd: r.Header.Command, Code: 0, Reason: "registration failed (wrong password?)"}
	}
	return c.sendLogin()
}

// onGuildCard handles 04: a nonzero flag refuses the login; otherwise the
// client keeps its guild card number and config and, the first time only,
// answers with its character save info (96).
func onGuildCard(c *Client, r *Received) error {
	m, ok := r.Msg.(*wire.UpdateClientConfig)
	if !ok {
		return badCommand(r)
	}
	if m.Flag != 0 {
		return &RefusedError{Cmd: 0x04, Code: m.Flag, Reason: explain(loginCodes, m.Flag)}
	}
	first := c.rs.guildCard == noGuildCard
	c.rs.guildCard = m.GuildCard
	copy(c.rs.clientConfig[:], m.Config[:])
	c.update(func(s *sharedState) { s.guildCard = m.GuildCard })
	c.info("guild card number %d", m.GuildCard)
	c.setPhase(PhasePlayerData, "07 (main menu)")
	if !first || c.cfg.Version == wire.DCNTE || c.cfg.Version == wire.DC112000 {
		return nil // the prototypes have no 96
	}
	return c.Send(&wire.CharSaveInfo{CreationTimestamp: c.creationTimestamp(), EventCounter: 1})
}

// creationTimestamp is the character's creation time (seconds since 2000),
// fixed per character so the server sees the same save each session.
func (c *Client) creationTimestamp() uint32 {
	var h uint32 = 2166136261
	for _, b := range []byte(c.cfg.Serial + c.player.Name) {
		h = (h ^ uint32(b)) * 16777619
	}
	return 0x20000000 + h%0x08000000
}

// onPlayerDataRequest answers 95 (and DC NTE's 8D) with the character in the
// version's 61 layout.
func onPlayerDataRequest(c *Client, _ *Received) error {
	return c.Send(c.player.CharacterData(c.cfg.Version, 0x61))
}

// onServerTime acknowledges B1 with 99.
func onServerTime(c *Client, _ *Received) error {
	return c.Send(&wire.Empty{Cmd: 0x99})
}

// onEnableSave answers 97 (with a nonzero flag) by asking for the time.
func onEnableSave(c *Client, r *Received) error {
	if r.Header.Flag == 0 {
		return nil
	}
	return c.Send(&wire.Empty{Cmd: 0xB1})
}

func onPing(c *Client, _ *Received) error {
	return c.Send(&wire.Empty{Cmd: 0x1D})
}

// onExecuteCode answers B2 with B3. psobot runs no code; it reports success
// and a checksum of what it was sent, so the answer is at least stable.
func onExecuteCode(c *Client, r *Received) error {
	var sum uint32
	for _, b := range r.Payload {
		sum = sum*31 + uint32(b)
	}
	return c.Send(&wire.ExecuteCodeResult{Flag: r.Header.Flag, Checksum: sum})
}

// onMessage remembers the text of a message box: when a server refuses a
// client it often says why in one just before disconnecting.
func onMessage(c *Client, r *Received) error {
	s := messageText(c, r)
	c.update(func(st *sharedState) {
		if s != "" {
			st.lastMessage = s
		}
		st.messageSeq++
	})
	return nil
}

// onLargeMessage handles D5: V3 consoles report closing it with D6. GC Plus,
// Episode III and Xbox do so only before they reach a lobby; GC 1.0/1.1
// always.
func onLargeMessage(c *Client, r *Received) error {
	onMessage(c, r)
	if !c.cfg.Version.IsV3() {
		return nil
	}
	alwaysD6 := c.cfg.Version == wire.GCV3 && c.cfg.SubVersion <= 0x31
	if c.phase() == PhaseInLobby && !alwaysD6 {
		return nil
	}
	return c.Send(&wire.Empty{Cmd: 0xD6})
}

// onEp3Ack confirms Episode III's rank (B7) and card list (B8) updates.
func onEp3Ack(c *Client, r *Received) error {
	if !c.cfg.Version.IsEp3() {
		return nil
	}
	return c.Send(&wire.Empty{Cmd: r.Header.Command})
}

// codeDetail explains the result code of a licence or login result.
func codeDetail(r *Received) string {
	switch cmd := r.Header.Command; {
	case cmd == 0x9A || cmd == 0x90 || cmd == 0x18:
		return ": " + explain(licenceCodes, r.Header.Flag)
	case cmd == 0x04 && r.Header.Flag != 0:
		return ": " + explain(loginCodes, r.Header.Flag)
	}
	return ""
}

// detail is what the trace adds after a received command's name.
func (c *Client) detail(r *Received) string {
	if s := codeDetail(r); s != "" {
		return s
	}
	switch cmd := r.Header.Command; {
	case cmd == 0x01 || cmd == 0x11 || cmd == 0xB0 || cmd == 0x1A || cmd == 0xD5:
		if s := messageText(c, r); s != "" {
			return fmt.Sprintf(": %q", s)
		}
	}
	if r.Err != nil {
		return fmt.Sprintf(" (psobot cannot read it: %v)", r.Err)
	}
	return ""
}
