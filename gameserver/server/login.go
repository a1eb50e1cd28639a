package server

import (
	"fmt"

	"github.com/psobox/psobox/gameserver/accounts"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// lobbyMenuID is the menu ID of lobbies (83, 84 and the meet-user extension
// of login commands). The main and information menus are in menus.go; all
// use the reference server's IDs so recorded sessions replay.
const lobbyMenuID = 0x33000033

func loginRoutes() map[uint16]handler {
	return map[uint16]handler{
		0x88: loginOnly(onDCNTEAccountCheck), 0x8A: loginOnly(onDCNTEConnectionInfo),
		0x8B: loginOnly(onDCNTELogin), 0x90: loginOnly(onV1LicenseCheck),
		0x92: loginOnly(onV1Register), 0x93: loginOnly(onV1Login),
		0x9A: loginOnly(on9A), 0x9C: loginOnly(on9C), 0x9D: loginOnly(on9D),
		0x9E: loginOnly(on9E), 0xDB: loginOnly(onDB),
	}
}

// loginOnly checks that a login command fits the port and cipher it came
// on: Dreamcast commands only with the V2 cipher on a console port, DB and
// 9E only from V3 clients, PC and Xbox ports only their own commands.
func loginOnly(h handler) handler {
	return func(c *Client, cmd wire.Command) error {
		if !loginAllowed(c.port.Kind, c.sess.family, cmd.Header.Command) {
			return fmt.Errorf("login command %02X not used by clients of a %s port with the %v cipher",
				cmd.Header.Command, c.port.Kind, c.sess.family)
		}
		return h(c, cmd)
	}
}

func loginAllowed(k PortKind, f wire.CipherFamily, cmd uint16) bool {
	switch {
	case k == PortPC:
		return cmd == 0x9A || cmd == 0x9C || cmd == 0x9D
	case k == PortXbox:
		return cmd == 0xDB || cmd == 0x9E
	case f == wire.CipherV2:
		return cmd != 0xDB && cmd != 0x9E
	}
	return cmd == 0xDB || cmd == 0x9A || cmd == 0x9C || cmd == 0x9D || cmd == 0x9E
}

// identify settles the version from the sub_version a login command
// carries, as the clients number it: on the V2 cipher up to 0x24 is DC v1,
// up to 0x28 DC v2, above that the GameCube trial edition; on V3, 0x40 and
// up is Episode III.
func (c *Client) identify(sub uint32) error {
	c.sess.subVersion = sub
	v := c.Version()
	switch {
	case c.port.Kind == PortPC, c.port.Kind == PortXbox:
	case c.sess.family == wire.CipherV2 && sub <= 0x24:
		v = wire.DCV1
	case c.sess.family == wire.CipherV2 && sub <= 0x28:
		v = wire.DCV2
	case c.sess.family == wire.CipherV2:
		v = wire.GCNTE
	case sub >= 0x40:
		v = wire.GCEp3
	default:
		v = wire.GCV3
	}
	return c.switchVersion(v)
}

// switchVersion changes the version if it differs (ciphers stay).
func (c *Client) switchVersion(v wire.Version) error {
	if v == c.Version() {
		return nil
	}
	c.log.Debug("version identified", "version", v)
	return c.setVersion(v, nil, nil)
}

func onDB(c *Client, cmd wire.Command) error {
	var m wire.VerifyAccount
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	if c.port.Kind == PortXbox {
		// Xbox identifies itself in 9E; answer so that it sends it.
		return c.Send(&wire.Empty{Cmd: 0x9A, Flag: wire.LicenseOKSave})
	}
	if err := c.identify(m.SubVersion); err != nil {
		return err
	}
	cr := accounts.Credentials{Kind: accounts.KindGC, Serial: m.SerialNumber(), AccessKey: m.AccessKeyString(),
		Password: m.PasswordString(), HasPassword: true}
	if err := c.checkLicence(cr); err != nil {
		return c.refuseWithCode(err, 0x9A, licenceResult(err))
	}
	return c.Send(&wire.Empty{Cmd: 0x9A, Flag: wire.LicenseOKSave})
}

func on9A(c *Client, cmd wire.Command) error {
	var m wire.LicenseCheck
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	if err := c.identify(m.SubVersion); err != nil {
		return err
	}
	var err error
	if isPCNTE(c, m.SubVersion, m.V1Serial[:], m.V1AccessKey[:], m.Serial[:], m.AccessKey[:], m.Serial2[:], m.AccessKey2[:], m.Email[:]) {
		err = c.enterPCNTE(m.GuildCard)
	} else {
		err = c.checkLicence(accounts.Credentials{Kind: licenceKind(c.Version()), Serial: m.SerialNumber(), AccessKey: m.AccessKeyString()})
	}
	if err != nil {
		return c.refuseWithCode(err, 0x9A, licenceResult(err))
	}
	return c.Send(&wire.Empty{Cmd: 0x9A, Flag: wire.LicenseOKSave})
}

// isPCNTE: the PC trial edition sends sub_version 0x29 and no credentials.
func isPCNTE(c *Client, sub uint32, fields ...[]byte) bool {
	if c.port.Kind != PortPC || sub != 0x29 {
		return false
	}
	for _, f := range fields {
		if asciiField(f) != "" {
			return false
		}
	}
	return true
}

func (c *Client) enterPCNTE(guildCard uint32) error {
	if err := c.switchVersion(wire.PCNTE); err != nil {
		return err
	}
	return c.temporaryLicence(guildCard)
}

func on9C(c *Client, cmd wire.Command) error {
	var m wire.Register
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	if err := c.identify(m.SubVersion); err != nil {
		return err
	}
	c.sess.lang = text.Language(m.Language)
	v := c.Version()
	cr := accounts.Credentials{Kind: licenceKind(v), Serial: asciiField(m.Serial[:]), AccessKey: asciiField(m.AccessKey[:])}
	if v.IsGC() {
		cr.Password, cr.HasPassword = asciiField(m.Password[:]), true
	}
	if err := c.checkLicence(cr); err != nil {
		return c.refuseWithCode(err, 0x9C, 0)
	}
	return c.Send(&wire.Empty{Cmd: 0x9C, Flag: 1})
}
