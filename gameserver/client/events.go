package client

import (
	"context"
	"net/netip"
	"strings"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// Event is something another player or the server did that a script waits
// for: *Chat, *GuildCardReceived, *MailReceived, *SearchResult,
// *InfoBoards, *ServerMessage or *Relayed.
type Event interface{ eventName() string }

// Chat is a line said in the room (06).
type Chat struct {
	GuildCard uint32 // the speaker's
	From      string
	Text      string
}

// GuildCardReceived is a guild card another player sent (6x06).
type GuildCardReceived struct {
	Card wire.GuildCardInfo
}

// MailReceived is a simple mail (81).
type MailReceived struct {
	From     uint32
	FromName string
	Text     string
}

// SearchResult is where a guild card search found the player (41).
type SearchResult struct {
	GuildCard uint32
	Name      string
	Location  string         // "BLOCK01-05,,BLOCK01,psobox"
	Block     uint32         // 0 when the server names no block
	Lobby     uint32         // the lobby's item ID
	Server    netip.AddrPort // where the reconnect (19) would go
}

// InfoBoards are the info boards of the players in the room (D8).
type InfoBoards struct {
	Boards []InfoBoard
}

// InfoBoard is one player's info board.
type InfoBoard struct {
	Name, Text string
}

// ServerMessage is text the server showed: 01 (lobby message box), 11,
// 1A, D5 (message boxes) or B0 (the overlay chat commands answer with).
type ServerMessage struct {
	Cmd  uint16
	Text string
}

func (*Chat) eventName() string              { return "chat" }
func (*GuildCardReceived) eventName() string { return "guild card" }
func (*MailReceived) eventName() string      { return "mail" }
func (*SearchResult) eventName() string      { return "search result" }
func (*InfoBoards) eventName() string        { return "info boards" }
func (*ServerMessage) eventName() string     { return "server message" }

// maxStash bounds the events WaitEvent keeps for later waits.
const maxStash = 1024

// WaitEvent returns the first event that match accepts: one received
// earlier and set aside by another WaitEvent, or the next one to arrive.
// Events that do not match are kept for later waits; other commands are
// consumed (as Next does).
func (c *Client) WaitEvent(ctx context.Context, what string, match func(Event) bool) (Event, error) {
	if e := c.takeStashed(match); e != nil {
		return e, nil
	}
	for {
		r, err := c.next(ctx, what)
		if err != nil {
			return nil, err
		}
		e := c.DecodeEvent(r)
		if e == nil {
			continue
		}
		if match(e) {
			return e, nil
		}
		c.mu.Lock()
		if len(c.stash) >= maxStash {
			c.stash = c.stash[1:]
		}
		c.stash = append(c.stash, e)
		c.mu.Unlock()
	}
}

func (c *Client) takeStashed(match func(Event) bool) Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range c.stash {
		if match(e) {
			c.stash = append(c.stash[:i], c.stash[i+1:]...)
			return e
		}
	}
	return nil
}

// DecodeEvent reads the event in a received command, or returns nil.
func (c *Client) DecodeEvent(r Received) Event {
	v, lang := c.cfg.Version, c.lang
	switch m := r.Msg.(type) {
	case *wire.TextMessage:
		if r.Header.Command == 0x06 {
			from, s := decodeChat(v, lang, m.Text)
			return &Chat{GuildCard: m.GuildCard, From: from, Text: s}
		}
		return &ServerMessage{Cmd: r.Header.Command, Text: m.String(v, lang)}
	case *wire.PlainText:
		if r.Header.Command == 0x1A || r.Header.Command == 0xD5 {
			return &ServerMessage{Cmd: r.Header.Command, Text: m.String(v, lang)}
		}
	case *wire.GameCommand:
		if e := guildCardIn(v, m.Data); e != nil {
			return e
		}
		return relayedEvent(r.Header.Command, r.Header.Flag, m.Data)
	case *wire.SimpleMail:
		return &MailReceived{From: m.FromCard, FromName: m.FromNameString(v, lang), Text: m.TextString(v, lang)}
	case *wire.GuildCardSearchResult:
		return searchResult(v, lang, m)
	case *wire.InfoBoard:
		return infoBoards(v, lang, m)
	}
	return nil
}

// decodeChat splits a chat line as the server sends it: the speaker's name
// in the reader's own character set, a tab (DC NTE: '>' and the slot),
// then the text behind its language marker (Episode III's CARD lobbies may
// put a private mask byte before the marker).
func decodeChat(v wire.Version, lang text.Language, raw []byte) (from, msg string) {
	if v.UsesUTF16() {
		for i := 0; i+1 < len(raw); i += 2 {
			if raw[i] == '\t' && raw[i+1] == 0 {
				return text.Decode(text.UTF16, raw[:i], lang), text.Decode(text.UTF16Marked, raw[i+2:], lang)
			}
		}
		return "", text.Decode(text.UTF16Marked, raw, lang)
	}
	sep := "\t"
	if v == wire.DCNTE {
		sep = ">"
	}
	name, rest, ok := strings.Cut(string(raw), sep)
	if !ok {
		return "", text.Decode(text.Marked, raw, lang)
	}
	switch {
	case v == wire.DCNTE && rest != "":
		rest = rest[1:] // the speaker's slot digit
	case v.IsEp3() && rest != "" && rest[0] != '\t':
		rest = rest[1:] // private mask
	}
	return text.Decode(text.Marked, []byte(name), lang), text.Decode(text.Marked, []byte(rest), lang)
}

// guildCardIn finds a guild card among relayed subcommands.
func guildCardIn(v wire.Version, data []byte) Event {
	for sub, err := range wire.Subcommands(data) {
		if err != nil {
			return nil
		}
		if n, ok := wire.SubcommandToFinal(v, sub.Number()); !ok || n != 0x06 {
			continue
		}
		if m, err := wire.DecodeSubcommand(v, sub); err == nil {
			return &GuildCardReceived{Card: m.(*wire.SubGuildCard).Card.Info(v)}
		}
	}
	return nil
}

func searchResult(v wire.Version, lang text.Language, m *wire.GuildCardSearchResult) *SearchResult {
	w := 0x20
	if v.UsesUTF16() {
		w = 0x40
	}
	r := &SearchResult{
		GuildCard: m.ResultGuildCard,
		Name:      text.Decode(wire.NameEncoding(v), m.MeetUser.PlayerName[:w], lang),
		Location:  text.Decode(wire.FieldEncoding(v), m.Location[:], lang),
		Server:    netip.AddrPortFrom(netip.AddrFrom4(m.ReconnectAddr), m.ReconnectPort),
	}
	for _, ref := range m.MeetUser.LobbyRefs {
		switch ref[0] {
		case lobbyMenuID:
			r.Lobby = ref[1]
		case blockMenuID:
			r.Block = ref[1]
		}
	}
	return r
}

// Menu IDs of lobbies and blocks in psobox's (and newserv's) numbering.
const (
	lobbyMenuID = 0x33000033
	blockMenuID = 0x66000066
)

func infoBoards(v wire.Version, lang text.Language, m *wire.InfoBoard) *InfoBoards {
	unit := 1
	if v.UsesUTF16() {
		unit = 2
	}
	out := &InfoBoards{}
	for _, e := range m.Entries {
		out.Boards = append(out.Boards, InfoBoard{
			Name: text.Decode(wire.NameEncoding(v), e.Name[:0x10*unit], lang),
			Text: text.Decode(wire.FieldEncoding(v), e.Message[:0xAC*unit], lang),
		})
	}
	return out
}
