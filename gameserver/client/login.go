package client

import (
	"fmt"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// noGuildCard is what a client that has not received 04 reports.
const (
	noGuildCard    = 0xFFFFFFFF
	noPlayerTag    = 0xFFFF0000
	playerTag      = 0x00010000
	resultWaiting  = "%02X (licence result)"
	loginWaitingOn = "04 (guild card number)"
)

// sendLicenceCheck sends the first command after 17: the licence check of
// the version (DC NTE 88, DC v1 90, DC v2/PC 9A, GC DB). Xbox goes straight
// to its login, as real Xboxes do.
func (c *Client) sendLicenceCheck() error {
	var m wire.Msg
	switch v := c.cfg.Version; {
	case v == wire.DCNTE:
		m = c.ntAccountCheck()
	case v.IsV1():
		m = c.v1LicenceCheck()
	case v == wire.XBV3:
		return c.sendLogin()
	case v.IsV3():
		m = c.verifyAccount()
	default:
		m = c.licenceCheck()
	}
	answer := m.Command() // the result comes back under the same number, except for DB
	if answer == 0xDB {
		answer = 0x9A
	}
	c.setPhase(PhaseLicence, fmt.Sprintf(resultWaiting, answer))
	return c.Send(m)
}

// sendLogin sends the version's login command (8B, 93, 9D or 9E).
func (c *Client) sendLogin() error {
	var m wire.Msg
	switch v := c.cfg.Version; {
	case v == wire.DCNTE:
		m = c.ntLogin()
	case v.IsV1():
		m = c.v1Login()
	case v.IsV3():
		m = c.loginWithConfig()
	default:
		m = &wire.Login{Flag: c.loginFlag(), LoginBase: c.loginBase(), HasMeetUser: c.rs.guildCard == noGuildCard}
	}
	c.setPhase(PhaseLogin, loginWaitingOn)
	return c.Send(m)
}

// sendRegister answers "registration required" (9A 01, 90 01).
func (c *Client) sendRegister() error {
	var m wire.Msg
	if c.cfg.Version.IsV1() {
		m = &wire.V1Register{HardwareID: c.cfg.HardwareID, SubVersion: c.cfg.SubVersion,
			Language: uint8(c.lang), Serial2: field30(c.hardwareString()), Email: field30(c.cfg.Email)}
	} else {
		r := &wire.Register{HardwareID: c.cfg.HardwareID, SubVersion: c.cfg.SubVersion, Language: uint8(c.lang),
			Serial: field30(c.cfg.Serial), AccessKey: field30(c.cfg.AccessKey), Password: field30(c.cfg.Password)}
		if c.cfg.Version == wire.XBV3 {
			r.Password = field30("xbox-pso")
		}
		m = r
	}
	c.setPhase(PhaseRegister, fmt.Sprintf("%02X (registration result)", m.Command()))
	return c.Send(m)
}

func (c *Client) ntAccountCheck() *wire.DCNTEAccountCheck {
	return &wire.DCNTEAccountCheck{Serial: field11(c.cfg.Serial), AccessKey: field11(c.cfg.AccessKey)}
}

func (c *Client) ntConnectionInfo() *wire.DCNTEConnectionInfo {
	return &wire.DCNTEConnectionInfo{HardwareID: c.cfg.HardwareID, SubVersion: c.cfg.SubVersion,
		Username: field30(c.cfg.Name), Password: field30(c.cfg.Password), Email: field30(c.cfg.Email)}
}

func (c *Client) ntLogin() *wire.DCNTELogin {
	return &wire.DCNTELogin{PlayerTag: c.playerTag(), GuildCard: c.rs.guildCard, HardwareID: c.cfg.HardwareID,
		SubVersion: c.cfg.SubVersion, Language: uint8(c.lang),
		Serial: field11(c.cfg.Serial), AccessKey: field11(c.cfg.AccessKey),
		Username: field30(c.cfg.Name), Password: field30(c.cfg.Password), CharName: c.charName(),
		HasMeetUser: c.rs.guildCard == noGuildCard}
}

func (c *Client) v1LicenceCheck() *wire.V1LicenseCheck {
	// Later DC v1 builds pad the command to 4 bytes; the retail US build does.
	return &wire.V1LicenseCheck{Serial: field11(c.cfg.Serial), AccessKey: field11(c.cfg.AccessKey), Padding: []byte{0, 0}}
}

func (c *Client) v1Login() *wire.V1Login {
	return &wire.V1Login{PlayerTag: c.playerTag(), GuildCard: c.rs.guildCard, HardwareID: c.cfg.HardwareID,
		SubVersion: c.cfg.SubVersion, Language: uint8(c.lang),
		Serial: field11(c.cfg.Serial), AccessKey: field11(c.cfg.AccessKey),
		Serial2: field30(c.hardwareString()), CharName: c.charName(), HasMeetUser: c.rs.guildCard == noGuildCard}
}

// licenceCheck is 9A. DC v2 repeats its licence in the v1 fields and sends a
// string derived from its hardware in serial2; PC repeats serial and key.
func (c *Client) licenceCheck() *wire.LicenseCheck {
	m := &wire.LicenseCheck{Serial: field10(c.cfg.Serial), AccessKey: field10(c.cfg.AccessKey),
		PlayerTag: noPlayerTag, GuildCard: noGuildCard, SubVersion: c.cfg.SubVersion, Email: field30(c.cfg.Email)}
	if c.cfg.Version == wire.DCV2 {
		m.V1Serial, m.V1AccessKey = m.Serial, m.AccessKey
		m.Serial2 = field30(c.hardwareString())
	} else {
		m.Serial2, m.AccessKey2 = field30(c.cfg.Serial), field30(c.cfg.AccessKey)
	}
	return m
}

func (c *Client) verifyAccount() *wire.VerifyAccount {
	return &wire.VerifyAccount{Serial: field10(c.cfg.Serial), AccessKey: field10(c.cfg.AccessKey),
		HardwareID: c.cfg.HardwareID, SubVersion: c.cfg.SubVersion,
		Serial2: field30(c.cfg.Serial), AccessKey2: field30(c.cfg.AccessKey), Password: field30(c.cfg.Password)}
}

// loginBase is the part of 9D and 9E every version fills the same way.
func (c *Client) loginBase() wire.LoginBase {
	b := wire.LoginBase{PlayerTag: c.playerTag(), GuildCard: c.rs.guildCard, HardwareID: c.cfg.HardwareID,
		SubVersion: c.cfg.SubVersion, Language: uint8(c.lang),
		Serial: field10(c.cfg.Serial), AccessKey: field10(c.cfg.AccessKey), CharName: c.charName()}
	if c.cfg.Version == wire.DCV2 {
		b.V1Serial, b.V1AccessKey = b.Serial, b.AccessKey
		b.Serial2 = field30(c.hardwareString())
	} else {
		b.Serial2, b.AccessKey2 = field30(c.cfg.Serial), field30(c.cfg.AccessKey)
	}
	return b
}

// loginWithConfig is 9E: the login, the client config the server stored
// with 04 and, on Xbox, the console's network location and account.
func (c *Client) loginWithConfig() *wire.LoginWithConfig {
	m := &wire.LoginWithConfig{Flag: c.loginFlag(), LoginBase: c.loginBase(), ClientConfig: c.rs.clientConfig,
		HasMeetUser: c.rs.guildCard == noGuildCard}
	if c.cfg.Version == wire.XBV3 {
		m.HasXB, m.XB = true, xboxLocation(c.cfg)
	}
	return m
}

// loginFlag: PC and V3 consoles set the flag of 9D/9E, DC v2 does not.
func (c *Client) loginFlag() uint32 {
	if c.cfg.Version == wire.DCV2 {
		return 0
	}
	return 1
}

func (c *Client) playerTag() uint32 {
	if c.rs.guildCard == noGuildCard {
		return noPlayerTag
	}
	return playerTag
}

func (c *Client) charName() [0x10]byte {
	var b [0x10]byte
	text.Put(b[:], text.ASCII, c.player.Name, c.lang)
	return b
}

// hardwareString is what Dreamcasts send in their second serial field: a
// hex string derived from the console.
func (c *Client) hardwareString() string {
	return fmt.Sprintf("%08X", uint32(c.cfg.HardwareID)^uint32(c.cfg.HardwareID>>32))
}

func field10(s string) (b [0x10]byte) { copy(b[:], s); return b }
func field11(s string) (b [0x11]byte) { copy(b[:], s); return b }
func field30(s string) (b [0x30]byte) { copy(b[:], s); return b }
