package server

import (
	"github.com/psobox/psobox/gameserver/accounts"
	"github.com/psobox/psobox/gameserver/wire"
)

// A player's info board and auto-reply come in the player data (61) the
// console saved, and change with D9, C7 and C8. psobox also keeps them per
// account (accounts.Profile): a console that sends none gets the stored
// ones, and the auto-reply answers mail while the player is offline. The
// blocked senders (C6, and in the 61) live only as long as the session:
// the console keeps that list itself.

// storedProfile is accounts.Profile: what the database holds.
type storedProfile = accounts.Profile

// loadProfile merges a new 61 with the stored profile: the console's
// texts win when it sent any, the stored ones fill the gaps.
func (c *Client) loadProfile(p *wire.Player) {
	s := &c.sess.social
	if !s.profileRead && c.hasAccount() {
		s.profileRead = true
		stored, err := c.srv.accounts.Profile(c.GuildCard())
		if err != nil {
			c.log.Error("cannot read the player's profile", "err", err)
		}
		s.stored = stored
	}
	board, reply := clip(p.InfoBoard, accounts.MaxProfileText), clip(p.AutoReply, accounts.MaxProfileText)
	if board == "" {
		board = s.stored.InfoBoard
	}
	if reply == "" {
		reply = s.stored.AutoReply
	}
	c.editProfile(func(pr *profile) { pr.infoBoard, pr.autoReply, pr.blocked = board, reply, p.Blocked })
	if board != "" || reply != "" {
		// Only a profile with something in it is worth a write at login.
		c.saveProfile(storedProfile{Name: clip(p.Name, accounts.MaxNameBytes), InfoBoard: board, AutoReply: reply})
	}
}

// hasAccount: the PC trial edition's temporary licences are not stored.
func (c *Client) hasAccount() bool { return c.sess.licence.Serial != "" }

// saveProfile writes the profile when it differs from what is stored.
func (c *Client) saveProfile(p storedProfile) {
	s := &c.sess.social
	if p == s.stored || !c.hasAccount() {
		return
	}
	if err := c.srv.accounts.SetProfile(c.GuildCard(), p); err != nil {
		c.log.Error("cannot save the player's profile", "err", err)
		return
	}
	s.stored = p
}

// editStored changes one field of the stored profile and saves it.
func (c *Client) editStored(f func(p *storedProfile)) {
	p := c.sess.social.stored
	if pl := c.Player(); pl != nil {
		p.Name = clip(pl.Name, accounts.MaxNameBytes)
	}
	f(&p)
	c.saveProfile(p)
}

// onBlockSenders (C6) replaces the list of blocked guild card numbers.
func onBlockSenders(c *Client, cmd wire.Command) error {
	var m wire.BlockedSenders
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	c.editProfile(func(p *profile) { p.blocked = m.Cards })
	return nil
}

// onAutoReply (C7) turns the auto-reply on with a text.
func onAutoReply(c *Client, cmd wire.Command) error {
	var m wire.PlainText
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	reply := clip(m.String(c.Version(), c.sess.lang), accounts.MaxProfileText)
	c.editProfile(func(p *profile) { p.autoReply = reply })
	c.editStored(func(p *storedProfile) { p.AutoReply = reply })
	return nil
}

// onAutoReplyOff (C8) turns the auto-reply off.
func onAutoReplyOff(c *Client, cmd wire.Command) error {
	if err := c.decodeEmpty(cmd); err != nil {
		return err
	}
	c.editProfile(func(p *profile) { p.autoReply = "" })
	c.editStored(func(p *storedProfile) { p.AutoReply = "" })
	return nil
}
