package server

import (
	"slices"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// The social features share what is below: the room a player talks in,
// the player's profile (info board, auto-reply, blocked senders) and the
// session's reusable chat buffers.

// room is where a player's chat and relayed commands go: the lobby now; a
// game implements the same two methods.
type room interface {
	// each calls f for every member but skip, with the room's lock held:
	// f may only push to outboxes.
	each(skip *Client, f func(m *Client, slot uint8))
	// member returns the client in slot, or nil.
	member(slot uint32) *Client
}

// currentRoom is the room c is in, or nil in the menus.
func (c *Client) currentRoom() room {
	if g := c.sess.game; g != nil {
		return g
	}
	if l := c.sess.lobby; l != nil {
		return l
	}
	return nil
}

// profile is what a player shows others besides the character: replaced
// whole on every change, read by other goroutines through Client.profile.
type profile struct {
	infoBoard string
	autoReply string // "" = off
	blocked   [30]uint32
}

// blocks reports whether the player blocked mail and chat from guildCard.
func (p *profile) blocks(guildCard uint32) bool {
	return p != nil && guildCard != 0 && slices.Contains(p.blocked[:], guildCard)
}

// blocks reports whether c blocked guildCard (C6, or the list in its 61).
func (c *Client) blocks(guildCard uint32) bool { return c.profile.Load().blocks(guildCard) }

// editProfile replaces c's profile with an edited copy. Session goroutine
// only: other goroutines only read profiles.
func (c *Client) editProfile(f func(p *profile)) *profile {
	var p profile
	if old := c.profile.Load(); old != nil {
		p = *old
	}
	f(&p)
	c.profile.Store(&p)
	return &p
}

// socialSession is the social state owned by the session goroutine.
type socialSession struct {
	chatIn      wire.TextMessage // reused to decode 06
	chatOut     chatPayloads     // encoded lines, one per receiver format
	line        chatLine         // the line being said, reused
	stored      storedProfile    // the profile as last read from or written to the database
	profileRead bool             // the database's profile was read for this session
}

// chatPayloads keeps one encoded payload per receiver format (chatFormat)
// for the line being sent; the buffers are reused for every line, so a
// lobby's fan-out does not allocate per receiver.
type chatPayloads struct {
	bufs  [chatFormats][]byte
	built [chatFormats]bool
}

// chatKeepBytes bounds each kept chat buffer: an unusually long line is
// encoded into a fresh one, so an idle client keeps at most a few KB.
const chatKeepBytes = 512

func (p *chatPayloads) reset() {
	clear(p.built[:])
	for i, b := range p.bufs {
		if cap(b) > chatKeepBytes {
			p.bufs[i] = nil
		}
	}
}

// get returns the payload of format k, encoding it with build the first
// time it is asked for since reset.
func (p *chatPayloads) get(k int, build func(dst []byte) []byte) []byte {
	if !p.built[k] {
		p.bufs[k] = build(p.bufs[k][:0])
		p.built[k] = true
	}
	return p.bufs[k]
}

// afterLobbyJoin runs when the session's player is seated in a lobby from
// the menus: mail kept while the player was away (or in the menus) is
// delivered.
func (c *Client) afterLobbyJoin() { c.deliverStoredMail() }

// privateMessage shows s to c alone: the overlay text (B0) where the
// version has it, the lobby message box (01) on DC NTE and 11/2000.
func (c *Client) privateMessage(s string) error {
	cmd := uint16(0xB0)
	if isPreV1(c.Version()) {
		cmd = 0x01
	}
	return c.Send(wire.NewTextMessage(cmd, c.Version(), 0, s, c.sess.lang))
}

// nameOf is a player's character name, "?" before its player data.
func nameOf(c *Client) string {
	if p := c.Player(); p != nil && p.Name != "" {
		return p.Name
	}
	return "?"
}

// languageOf is a receiver's language, from its last player data (other
// clients' session state is not ours to read).
func languageOf(c *Client) text.Language {
	if p := c.Player(); p != nil {
		return p.Language
	}
	return text.English
}
