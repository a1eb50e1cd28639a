package server

import (
	"github.com/psobox/psobox/gameserver/accounts"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// The commands that complete a login: 9D (DC v2, PC, GC trial), 9E
// (GameCube, Xbox), 8B (DC NTE) and 93 (DC v1 and 11/2000).

func on9D(c *Client, cmd wire.Command) error {
	var m wire.Login
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	if m.HasMeetUser {
		c.preferLobby(m.MeetUser)
	}
	return c.finalLogin(&m.LoginBase)
}

func on9E(c *Client, cmd wire.Command) error {
	var m wire.LoginWithConfig
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	if m.HasMeetUser {
		c.preferLobby(m.MeetUser)
	}
	if c.port.Kind == PortXbox {
		return c.xboxLogin(&m)
	}
	c.sess.welcome = true // GameCube shows message boxes and answers D6
	return c.finalLogin(&m.LoginBase)
}

// finalLogin checks the credentials of 9D/9E again (the console may have
// skipped 9A/DB with a saved licence) and completes the login.
func (c *Client) finalLogin(m *wire.LoginBase) error {
	if err := c.identify(m.SubVersion); err != nil {
		return err
	}
	c.sess.lang = text.Language(m.Language)
	var err error
	if isPCNTE(c, m.SubVersion, m.V1Serial[:], m.V1AccessKey[:], m.Serial[:], m.AccessKey[:], m.Serial2[:], m.AccessKey2[:]) {
		err = c.enterPCNTE(m.GuildCard)
	} else {
		err = c.checkLicence(accounts.Credentials{Kind: licenceKind(c.Version()), Serial: m.SerialNumber(), AccessKey: m.AccessKeyString()})
	}
	if err != nil {
		return c.refuseWithCode(err, 0x04, loginResult(err))
	}
	return c.loginComplete()
}

// xboxLogin: Xbox Live gives a gamertag (the serial field) and a user ID
// (the access key field); the user ID is the licence, the gamertag a name.
func (c *Client) xboxLogin(m *wire.LoginWithConfig) error {
	c.sess.subVersion = m.SubVersion
	c.sess.lang = text.Language(m.Language)
	err := c.checkLicence(accounts.Credentials{Kind: accounts.KindXB, Serial: m.AccessKeyString()})
	if err != nil {
		return c.refuseWithCode(err, 0x04, loginResult(err))
	}
	c.log.Info("Xbox login", "gamertag", m.SerialNumber())
	return c.loginComplete()
}

// preferLobby remembers the lobby a "meet user" login asks for.
func (c *Client) preferLobby(m wire.MeetUser) {
	c.sess.preferLobby = meetUserLobby(m)
}

// DC NTE: 88 (licence check), 8A (connection info), 8B (login).

func onDCNTEAccountCheck(c *Client, cmd wire.Command) error {
	if err := c.switchVersion(wire.DCNTE); err != nil {
		return err
	}
	var m wire.DCNTEAccountCheck
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	if err := c.checkLicence(dcnteCredentials(m.Serial[:], m.AccessKey[:])); err != nil {
		return c.refuseWithMessage(err)
	}
	return c.Send(&wire.Empty{Cmd: 0x88})
}

func dcnteCredentials(serial, key []byte) accounts.Credentials {
	return accounts.Credentials{Kind: accounts.KindDCNTE, Serial: asciiField(serial), AccessKey: asciiField(key)}
}

func onDCNTEConnectionInfo(c *Client, cmd wire.Command) error {
	if c.Version() != wire.DCNTE || !c.sess.licenceOK {
		return errOutOfOrder(cmd, "before the DC NTE licence check (88)")
	}
	var m wire.DCNTEConnectionInfo
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	c.sess.subVersion = m.SubVersion
	return c.Send(&wire.Empty{Cmd: 0x8A, Flag: 1})
}

func onDCNTELogin(c *Client, cmd wire.Command) error {
	if err := c.switchVersion(wire.DCNTE); err != nil {
		return err
	}
	var m wire.DCNTELogin
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	c.sess.lang, c.sess.subVersion = text.Language(m.Language), m.SubVersion
	if err := c.checkLicence(dcnteCredentials(m.Serial[:], m.AccessKey[:])); err != nil {
		return c.refuseWithMessage(err)
	}
	if m.HasMeetUser {
		c.preferLobby(m.MeetUser)
	}
	return c.loginComplete()
}

// DC v1: 90 (licence check), 92 (registration), 93 (login). The 11/2000
// prototype never sends 92, so a 93 without one is answered with a second
// 90 01 as a probe: real v1 then sends 92, the prototype sends 93 again.

func onV1LicenseCheck(c *Client, cmd wire.Command) error {
	if err := c.switchVersion(wire.DCV1); err != nil {
		return err
	}
	var m wire.V1LicenseCheck
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	cr := accounts.Credentials{Kind: accounts.KindDC, Serial: m.SerialNumber(), AccessKey: m.AccessKeyString()}
	if err := c.checkLicence(cr); err != nil {
		return c.refuseWithCode(err, 0x90, v1Result(err))
	}
	return c.Send(&wire.Empty{Cmd: 0x90, Flag: 1})
}

func v1Result(err error) uint32 {
	if licenceResult(err) == wire.LicenseSuspended {
		return wire.LicenseSuspended
	}
	return wire.LicenseBadAccess
}

func onV1Register(c *Client, cmd wire.Command) error {
	var m wire.V1Register
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	if !c.sess.licenceOK {
		return errOutOfOrder(cmd, "before the licence check (90)")
	}
	c.sess.protoProbed = true // only real DC v1 registers
	c.sess.subVersion, c.sess.lang = m.SubVersion, text.Language(m.Language)
	if err := c.switchVersion(wire.DCV1); err != nil {
		return err
	}
	return c.Send(&wire.Empty{Cmd: 0x92, Flag: 1})
}

func onV1Login(c *Client, cmd wire.Command) error {
	var m wire.V1Login
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	c.sess.lang, c.sess.subVersion = text.Language(m.Language), m.SubVersion
	cr := accounts.Credentials{Kind: accounts.KindDC, Serial: m.SerialNumber(), AccessKey: m.AccessKeyString()}
	if err := c.checkLicence(cr); err != nil {
		return c.refuseWithMessage(err)
	}
	if m.HasMeetUser {
		c.preferLobby(m.MeetUser)
	}
	if !c.sess.protoProbed {
		c.sess.protoProbed = true
		if err := c.switchVersion(wire.DC112000); err != nil {
			return err
		}
		return c.Send(&wire.Empty{Cmd: 0x90, Flag: 1})
	}
	return c.loginComplete()
}
