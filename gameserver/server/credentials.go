package server

import (
	"errors"
	mrand "math/rand/v2"

	"github.com/psobox/psobox/gameserver/accounts"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// asciiField decodes a fixed credential field.
func asciiField(b []byte) string { return text.Decode(text.ASCII, b, text.English) }

// licenceKind is the licence family of a version: DC v1 and v2 share serial
// numbers, and so do all GameCube releases.
func licenceKind(v wire.Version) accounts.Kind {
	switch {
	case v == wire.DCNTE:
		return accounts.KindDCNTE
	case v.IsDC():
		return accounts.KindDC
	case v.IsPC():
		return accounts.KindPC
	case v == wire.XBV3:
		return accounts.KindXB
	case v == wire.BBV4:
		return accounts.KindBB
	}
	return accounts.KindGC
}

// checkLicence looks the credentials up (registering them in open mode) and
// records the licence and guild card number on success.
func (c *Client) checkLicence(cr accounts.Credentials) error {
	create := c.srv.opts.Accounts == AccountsOpen
	l, created, err := c.srv.accounts.Login(cr, create)
	if err != nil {
		return err
	}
	if created {
		c.log.Info("licence registered", "kind", l.Kind, "guild_card", l.GuildCard)
	}
	c.sess.licence, c.sess.licenceOK = l, true
	c.guildCard.Store(l.GuildCard)
	return nil
}

// temporaryLicence logs in a client that sends no credentials at all (PC
// NTE): open mode only, with a guild card number for this session that is
// not stored. Numbers come from above the allocated range.
func (c *Client) temporaryLicence(guildCard uint32) error {
	if c.srv.opts.Accounts != AccountsOpen {
		return accounts.ErrUnknownLicence
	}
	if guildCard == 0 || guildCard == 0xFFFFFFFF || guildCard < 0x40000000 {
		guildCard = 0x40000000 + mrand.Uint32N(0x3FFFFFFF)
	}
	c.sess.licence = accounts.Licence{Kind: accounts.KindPC, GuildCard: guildCard}
	c.sess.licenceOK = true
	c.guildCard.Store(guildCard)
	return nil
}

// licenceResult is the flag of 9A/DB (and 90) answers for a failed check:
// the console shows its own message for each.
func licenceResult(err error) uint32 {
	switch {
	case errors.Is(err, accounts.ErrUnknownLicence):
		return wire.LicenseBadSerial
	case errors.Is(err, accounts.ErrBadPassword):
		return wire.LicenseRegister // the console asks for the password again
	case errors.Is(err, accounts.ErrBanned):
		return wire.LicenseSuspended
	}
	return wire.LicenseBadAccess
}

// loginResult is the flag of a bodiless 04 refusing 9D/9E.
func loginResult(err error) uint32 {
	switch {
	case errors.Is(err, accounts.ErrUnknownLicence), errors.Is(err, accounts.ErrBanned):
		return 0x04
	case errors.Is(err, accounts.ErrBadPassword):
		return 0x06
	}
	return 0x03
}

// refusalText is the message box DC v1 and NTE get, which have no codes.
func refusalText(err error) string {
	switch {
	case errors.Is(err, accounts.ErrBadAccessKey):
		return "Incorrect access key"
	case errors.Is(err, accounts.ErrBanned):
		return "This licence is banned"
	}
	return "Incorrect serial number"
}

// refuse sends reply (if any) and ends the session. Refusals of the
// accounts store are normal events; other errors (the database failing)
// are reported as such.
func (c *Client) refuse(err error, reply wire.Msg) error {
	if reply != nil {
		c.Send(reply)
	}
	for _, known := range []error{accounts.ErrNoSerial, accounts.ErrUnknownLicence,
		accounts.ErrBadAccessKey, accounts.ErrBadPassword, accounts.ErrBanned} {
		if errors.Is(err, known) {
			return refusal{err.Error()}
		}
	}
	c.log.Error("accounts database failed", "err", err)
	return err
}

// refuseWithCode refuses with a result flag on cmd (9A, 90, 9C, 04).
func (c *Client) refuseWithCode(err error, cmd uint16, flag uint32) error {
	if cmd == 0x04 {
		return c.refuse(err, &wire.UpdateClientConfig{Flag: flag, NoBody: true})
	}
	return c.refuse(err, &wire.Empty{Cmd: cmd, Flag: flag})
}

// refuseWithMessage refuses DC v1 and NTE logins with a message box.
func (c *Client) refuseWithMessage(err error) error {
	c.messageBox(refusalText(err))
	return c.refuse(err, nil)
}
