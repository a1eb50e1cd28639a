package client

import (
	"context"
	"errors"
	"fmt"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// What a player does in a lobby besides walking: chat, guild cards, mail,
// searches, info boards, lobby and block changes. Answers arrive as events
// (WaitEvent) or, for lobby changes, as the new lobby.

// Chat says s in the room (06), as the console writes it: behind a
// language marker (DC NTE has none).
func (c *Client) Chat(s string) error {
	v := c.cfg.Version
	if v != wire.DCNTE && !v.UsesUTF16() {
		s = text.MarkerFor(s, c.lang) + s
	}
	return c.Send(wire.NewTextMessage(0x06, v, 0, s, c.lang))
}

// SendGuildCard sends the player's guild card, with a description, to the
// player in slot clientID of the lobby (62, subcommand 06).
func (c *Client) SendGuildCard(clientID uint8, description string) error {
	info := c.player.GuildCardInfo(description)
	info.Number = c.GuildCard()
	card := wire.NewGuildCard(c.cfg.Version, info)
	data, err := wire.AppendSubcommand(nil, c.cfg.Version, &wire.SubGuildCard{Card: card})
	if err != nil {
		return err
	}
	return c.SendRaw(0x62, uint32(clientID), data)
}

// Mail sends a simple mail (81) to a guild card number.
func (c *Client) Mail(to uint32, s string) error {
	v := c.cfg.Version
	m := &wire.SimpleMail{PlayerTag: 0x00010000, FromCard: c.GuildCard(), ToCard: to}
	m.SetFromName(v, c.player.Name, c.lang)
	m.SetText(v, s, c.lang)
	return c.Send(m)
}

// Search asks where the player with a guild card number is (40) and waits
// for the answer (41). Servers do not answer for players they cannot
// find: the wait then ends with ctx.
func (c *Client) Search(ctx context.Context, guildCard uint32) (*SearchResult, error) {
	err := c.Send(&wire.GuildCardSearch{PlayerTag: 0x00010000, SearcherCard: c.GuildCard(), TargetGuildCard: guildCard})
	if err != nil {
		return nil, err
	}
	e, err := c.WaitEvent(ctx, fmt.Sprintf("41 (search result for %d)", guildCard), func(e Event) bool {
		r, ok := e.(*SearchResult)
		return ok && r.GuildCard == guildCard
	})
	if err != nil {
		return nil, err
	}
	return e.(*SearchResult), nil
}

// SetInfoBoard writes the player's info board (D9).
func (c *Client) SetInfoBoard(s string) error {
	return c.Send(wire.NewPlainText(0xD9, c.cfg.Version, s, c.lang))
}

// InfoBoards asks for the info boards of the players in the room (D8).
func (c *Client) InfoBoards(ctx context.Context) ([]InfoBoard, error) {
	if err := c.Send(&wire.Empty{Cmd: 0xD8}); err != nil {
		return nil, err
	}
	e, err := c.WaitEvent(ctx, "D8 (info boards)", func(e Event) bool { _, ok := e.(*InfoBoards); return ok })
	if err != nil {
		return nil, err
	}
	return e.(*InfoBoards).Boards, nil
}

// SetAutoReply turns the mail auto-reply on with s (C7), or off for ""
// (C8).
func (c *Client) SetAutoReply(s string) error {
	if s == "" {
		return c.Send(&wire.Empty{Cmd: 0xC8})
	}
	return c.Send(wire.NewPlainText(0xC7, c.cfg.Version, s, c.lang))
}

// ChangeLobby uses the lobby teleporter (84) to go to lobby number n of
// the block and returns the new lobby. A server that refuses says why in
// a message, which the error quotes.
func (c *Client) ChangeLobby(ctx context.Context, n uint32) (*Lobby, error) {
	seq := c.seqs()
	if err := c.Send(&wire.MenuItemRef{Cmd: 0x84, MenuID: lobbyMenuID, ItemID: n}); err != nil {
		return nil, err
	}
	return c.awaitLobby(ctx, seq, fmt.Sprintf("67 (join lobby %d)", n))
}

// ChangeBlock uses the block counter (A1), picks block n from the block
// menu the server shows and returns the lobby it seats the player in.
func (c *Client) ChangeBlock(ctx context.Context, n uint32) (*Lobby, error) {
	seq := c.seqs()
	if err := c.Send(&wire.ChangeShipOrBlock{Cmd: 0xA1, PlayerTag: 0x00010000, GuildCard: c.GuildCard()}); err != nil {
		return nil, err
	}
	err := c.waitFor(ctx, func(s *sharedState) bool { return s.menuSeq != seq.menu })
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	menu := c.sh.menu
	c.mu.Unlock()
	if menu == nil || len(menu.Items) == 0 {
		return nil, &StepError{Phase: c.phase(), Err: fmt.Errorf("no block menu after A1")}
	}
	for _, it := range menu.Items[1:] {
		if it.ItemID == n {
			seq = c.seqs()
			if err := c.Send(&wire.MenuSelection{MenuID: it.MenuID, ItemID: n}); err != nil {
				return nil, err
			}
			return c.awaitLobby(ctx, seq, fmt.Sprintf("67 (join a lobby of block %d)", n))
		}
	}
	return nil, &StepError{Phase: c.phase(), Err: fmt.Errorf("the block menu has no block %d", n)}
}

// counters are the sequence numbers lobby waits compare against.
type counters struct{ lobby, message, menu int }

func (c *Client) seqs() counters {
	c.mu.Lock()
	defer c.mu.Unlock()
	return counters{c.sh.lobbySeq, c.sh.messageSeq, c.sh.menuSeq}
}

// errRefused is a lobby change the server answered with a message.
var errRefused = errors.New("refused")

// awaitLobby waits for a new 67 (the new lobby) or a message (a refusal).
func (c *Client) awaitLobby(ctx context.Context, seq counters, waiting string) (*Lobby, error) {
	c.update(func(s *sharedState) { s.waiting = waiting })
	err := c.waitFor(ctx, func(s *sharedState) bool { return s.lobbySeq != seq.lobby || s.messageSeq != seq.message })
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sh.lobbySeq != seq.lobby && c.sh.lobby != nil {
		return c.sh.lobby.clone(), nil
	}
	return nil, &StepError{Phase: c.sh.phase, Err: fmt.Errorf("%w: server said %q", errRefused, c.sh.lastMessage)}
}

// PlayerNamed finds a player of the current lobby by name.
func (c *Client) PlayerNamed(name string) (LobbyPlayer, bool) {
	if l := c.CurrentLobby(); l != nil {
		for _, p := range l.Players {
			if p.Name == name {
				return p, true
			}
		}
	}
	return LobbyPlayer{}, false
}
