package server

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/psobox/psobox/gameserver/accounts"
	"github.com/psobox/psobox/gameserver/wire"
)

// Simple mail (81) goes to a guild card number. A recipient in a lobby
// gets it at once; otherwise it is kept in the accounts database (at most
// accounts.MaxMailbox per recipient) and delivered when the recipient
// next enters a lobby, which the reference server does not do. Either way
// the recipient's auto-reply (C7) comes back to the sender, unless one
// blocked the other (C6).

func onMail(c *Client, cmd wire.Command) error {
	var m wire.SimpleMail
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	body := clip(m.TextString(c.Version(), c.sess.lang), accounts.MaxMailText)
	from, name := c.GuildCard(), clip(nameOf(c), accounts.MaxNameBytes)
	if t := c.srv.findPlayer(m.ToCard); t != nil && t.location.Load() != nil {
		if t.blocks(from) {
			c.log.Info("mail dropped: the recipient blocked the sender", "to", m.ToCard)
			return nil
		}
		if p := t.profile.Load(); p != nil && p.autoReply != "" && !c.blocks(m.ToCard) {
			c.sendMail(m.ToCard, nameOf(t), p.autoReply)
		}
		t.sendMail(from, name, body)
		return nil
	}
	return c.keepMail(accounts.Mail{From: from, FromName: name, To: m.ToCard, Text: body})
}

// keepMail stores mail for an absent recipient and tells the sender,
// with the recipient's stored auto-reply.
func (c *Client) keepMail(m accounts.Mail) error {
	err := c.srv.accounts.KeepMail(m)
	switch {
	case errors.Is(err, accounts.ErrNoSuchGuildCard):
		return c.privateMessage(fmt.Sprintf("No player has guild card\nnumber %d.", m.To))
	case errors.Is(err, accounts.ErrMailboxFull):
		return c.privateMessage("That player's mailbox is full.")
	case err != nil:
		c.log.Error("cannot keep mail", "to", m.To, "err", err)
		return c.privateMessage("Your mail could not be kept.")
	}
	c.log.Info("mail kept for an absent player", "to", m.To)
	if p, err := c.srv.accounts.Profile(m.To); err == nil && p.AutoReply != "" && !c.blocks(m.To) {
		c.sendMail(m.To, p.Name, p.AutoReply)
	}
	return c.privateMessage("The player is not online:\nyour mail is kept for\ntheir next visit.")
}

// deliverStoredMail sends c the mail kept for it, taken out of the
// database; mail from senders c blocked is dropped unread, and mail that
// cannot be queued (c is leaving) is kept again.
func (c *Client) deliverStoredMail() {
	mails, err := c.srv.accounts.TakeMail(c.GuildCard())
	if err != nil {
		c.log.Error("cannot read kept mail", "err", err)
	}
	sent := 0
	for i, m := range mails {
		if c.blocks(m.From) {
			continue
		}
		if c.sendMail(m.From, m.FromName, m.Text) != nil {
			c.keepAgain(mails[i:])
			break
		}
		sent++
	}
	if len(mails) > 0 {
		c.log.Info("kept mail delivered", "count", sent, "kept", len(mails))
	}
}

// keepAgain puts back mail that could not be delivered.
func (c *Client) keepAgain(mails []accounts.Mail) {
	for _, m := range mails {
		if err := c.srv.accounts.KeepMail(m); err != nil {
			c.log.Error("undelivered mail lost", "from", m.From, "err", err)
		}
	}
}

// sendMail queues an 81 for c in c's layout. Any goroutine may call it.
func (c *Client) sendMail(from uint32, fromName, body string) error {
	v, lang := c.Version(), languageOf(c)
	m := &wire.SimpleMail{FromCard: from, ToCard: c.GuildCard()}
	if from != 0 {
		m.PlayerTag = playerTag
	}
	m.SetFromName(v, fromName, lang)
	m.SetText(v, body, lang)
	return c.Send(m)
}

// findPlayer returns the logged-in client with guild card number gc.
func (s *Server) findPlayer(gc uint32) *Client {
	if gc == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.clients {
		if c.GuildCard() == gc && c.Player() != nil {
			return c
		}
	}
	return nil
}

// clip cuts s to at most n bytes at a character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
