package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/psobox/psobox/gameserver/client"
)

// The scenario steps about cards, mail, searches, boards and lobbies.

func stepCard(_ context.Context, sc *scenario, args []string) error {
	c, err := sc.client()
	if err != nil {
		return err
	}
	p, ok := c.PlayerNamed(args[0])
	if !ok {
		return fmt.Errorf("%s is not in the lobby", args[0])
	}
	desc := ""
	if len(args) > 1 {
		desc = args[1]
	}
	return c.SendGuildCard(uint8(p.ClientID), desc)
}

func stepExpectCard(ctx context.Context, sc *scenario, args []string) error {
	_, err := sc.expect(ctx, "guild card from "+args[0], func(e client.Event) bool {
		g, ok := e.(*client.GuildCardReceived)
		return ok && anyone(args[0], g.Card.Name)
	})
	return err
}

// cardOf reads TO: a guild card number, a player in the lobby, or a bot
// of this scenario that logged in before (online or not).
func (sc *scenario) cardOf(c *client.Client, who string) (uint32, error) {
	if gc, err := guildCardOf(c, who); err == nil {
		return gc, nil
	}
	if b, ok := sc.bots[who]; ok && b.card != 0 {
		return b.card, nil
	}
	return 0, fmt.Errorf("%q is no guild card number, player in the lobby or bot that logged in", who)
}

func stepMail(_ context.Context, sc *scenario, args []string) error {
	c, err := sc.client()
	if err != nil {
		return err
	}
	to, err := sc.cardOf(c, args[0])
	if err != nil {
		return err
	}
	return c.Mail(to, args[1])
}

func stepExpectMail(ctx context.Context, sc *scenario, args []string) error {
	_, err := sc.expect(ctx, fmt.Sprintf("mail %q from %s", args[1], args[0]), func(e client.Event) bool {
		m, ok := e.(*client.MailReceived)
		return ok && anyone(args[0], m.FromName) && m.Text == args[1]
	})
	return err
}

func stepExpectMessage(ctx context.Context, sc *scenario, args []string) error {
	_, err := sc.expect(ctx, fmt.Sprintf("a message with %q", args[0]), func(e client.Event) bool {
		m, ok := e.(*client.ServerMessage)
		return ok && strings.Contains(m.Text, args[0])
	})
	return err
}

func stepSearch(ctx context.Context, sc *scenario, args []string) error {
	c, err := sc.client()
	if err != nil {
		return err
	}
	gc, err := sc.cardOf(c, args[0])
	if err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, sc.s.opts.wait)
	defer cancel()
	r, err := c.Search(wctx, gc)
	if err != nil {
		return err
	}
	if !sc.s.opts.quiet {
		printEvent(sc.s.out, r)
	}
	if len(args) > 1 && strconv.FormatUint(uint64(r.Lobby), 10) != args[1] {
		return fmt.Errorf("%s is in lobby %d (%s), not %s", args[0], r.Lobby, r.Location, args[1])
	}
	return nil
}

func stepChangeLobby(ctx context.Context, sc *scenario, args []string) error {
	return sc.move(ctx, args[0], (*client.Client).ChangeLobby)
}

func stepChangeBlock(ctx context.Context, sc *scenario, args []string) error {
	return sc.move(ctx, args[0], (*client.Client).ChangeBlock)
}

// move runs a lobby or block change to number n.
func (sc *scenario) move(ctx context.Context, n string, change func(*client.Client, context.Context, uint32) (*client.Lobby, error)) error {
	c, err := sc.client()
	if err != nil {
		return err
	}
	num, err := strconv.ParseUint(n, 10, 32)
	if err != nil {
		return fmt.Errorf("not a number: %q", n)
	}
	_, err = change(c, ctx, uint32(num))
	return err
}

func stepInfoBoard(_ context.Context, sc *scenario, args []string) error {
	c, err := sc.client()
	if err != nil {
		return err
	}
	return c.SetInfoBoard(args[0])
}

func stepExpectBoard(ctx context.Context, sc *scenario, args []string) error {
	c, err := sc.client()
	if err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, sc.s.opts.wait)
	defer cancel()
	boards, err := c.InfoBoards(wctx)
	if err != nil {
		return err
	}
	for _, b := range boards {
		if b.Name == args[0] && b.Text == args[1] {
			return nil
		}
	}
	return fmt.Errorf("no board of %s saying %q among %+v", args[0], args[1], boards)
}

func stepAutoReply(_ context.Context, sc *scenario, args []string) error {
	c, err := sc.client()
	if err != nil {
		return err
	}
	text := ""
	if len(args) > 0 {
		text = args[0]
	}
	return c.SetAutoReply(text)
}
