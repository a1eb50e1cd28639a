package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/psobox/psobox/gameserver/client"
)

// The social verbs: each joins a lobby first, does one thing, then prints
// what others say or answer for -listen.

func runChat(ctx context.Context, s *session) error {
	c, err := s.dialToLobby(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Chat(strings.Join(s.args, " ")); err != nil {
		return err
	}
	return s.listen(ctx, c)
}

func runMail(ctx context.Context, s *session) error {
	c, err := s.dialToLobby(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	to, err := guildCardOf(c, s.args[0])
	if err != nil {
		return err
	}
	if err := c.Mail(to, strings.Join(s.args[1:], " ")); err != nil {
		return err
	}
	fmt.Fprintf(s.out, "ok: mail sent to guild card %d in %s\n", to, s.elapsed())
	return s.listen(ctx, c)
}

func runSearch(ctx context.Context, s *session) error {
	c, err := s.dialToLobby(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	gc, err := guildCardOf(c, s.args[0])
	if err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, s.opts.listen)
	defer cancel()
	r, err := c.Search(wctx, gc)
	if err != nil {
		if ctx.Err() == nil && wctx.Err() != nil {
			return fmt.Errorf("guild card %d: no answer in %v (not online, not in a lobby, or blocking us)", gc, s.opts.listen)
		}
		return err
	}
	fmt.Fprintf(s.out, "ok: %s (guild card %d) is at %s (block %d, lobby %d); reconnect to %v\n",
		r.Name, r.GuildCard, r.Location, r.Block, r.Lobby, r.Server)
	return nil
}

// guildCardOf reads WHO: a guild card number, or the name of a player in
// the lobby.
func guildCardOf(c *client.Client, who string) (uint32, error) {
	if n, err := strconv.ParseUint(who, 10, 32); err == nil {
		return uint32(n), nil
	}
	if p, ok := c.PlayerNamed(who); ok {
		return p.GuildCard, nil
	}
	return 0, fmt.Errorf("%q is neither a guild card number nor a player in this lobby", who)
}

// listen prints the events that arrive for -listen.
func (s *session) listen(ctx context.Context, c *client.Client) error {
	lctx, cancel := context.WithTimeout(ctx, s.opts.listen)
	defer cancel()
	for {
		e, err := c.WaitEvent(lctx, "what others say", func(client.Event) bool { return true })
		if err != nil {
			if ctx.Err() == nil && lctx.Err() != nil {
				fmt.Fprintf(s.out, "ok: listened for %v\n", s.opts.listen)
				return nil
			}
			return err
		}
		printEvent(s.out, e)
	}
}

// printEvent prints one event on one line.
func printEvent(w io.Writer, e client.Event) {
	switch e := e.(type) {
	case *client.Chat:
		fmt.Fprintf(w, "chat: %s (%d): %s\n", e.From, e.GuildCard, e.Text)
	case *client.MailReceived:
		fmt.Fprintf(w, "mail: from %s (%d): %s\n", e.FromName, e.From, e.Text)
	case *client.GuildCardReceived:
		fmt.Fprintf(w, "guild card: %s (%d): %s\n", e.Card.Name, e.Card.Number, e.Card.Description)
	case *client.ServerMessage:
		fmt.Fprintf(w, "server: %s\n", oneLine(e.Text))
	case *client.SearchResult:
		fmt.Fprintf(w, "search: %s (%d) at %s\n", e.Name, e.GuildCard, e.Location)
	case *client.InfoBoards:
		for _, b := range e.Boards {
			fmt.Fprintf(w, "info board: %s: %s\n", b.Name, oneLine(b.Text))
		}
	case *client.Relayed:
		fmt.Fprintf(w, "relayed: %02X flag %X: %X\n", e.Cmd, e.Flag, e.Data)
	}
}

// oneLine joins the lines of a message.
func oneLine(s string) string { return strings.ReplaceAll(strings.TrimSpace(s), "\n", " / ") }
