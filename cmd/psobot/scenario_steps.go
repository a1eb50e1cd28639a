package main

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/psobox/psobox/gameserver/client"
)

// socialSteps are the steps of bots in the menus and lobbies.
func socialSteps() []scenarioStep {
	return []scenarioStep{
		{"bot", "NAME [VERSION [HOST:PORT]]", 1, 3, false, "act as bot NAME (a new one is a -pso console, or VERSION)", stepBot},
		{"login", "", 0, 0, false, "log the bot in, up to the main menu", stepLogin},
		{"lobby", "", 0, 0, false, "log in if needed and join a lobby", stepLobby},
		{"logout", "", 0, 0, false, "end the bot's session", stepLogout},
		{"wait", "DURATION", 1, 1, false, "pause, e.g. 500ms", stepWait},
		{"expect-join", "NAME", 1, 1, false, "wait until NAME is in our lobby", stepExpectJoin},
		{"expect-leave", "NAME", 1, 1, false, "wait until NAME is not in our lobby", stepExpectLeave},
		{"chat", "TEXT", 1, 1, true, "say TEXT in the lobby", stepChat},
		{"expect-chat", "FROM TEXT", 2, 2, true, "wait for FROM (* = anyone) to say TEXT", stepExpectChat},
		{"card", "TO [TEXT]", 1, 2, true, "send our guild card to TO in the lobby, TEXT as description", stepCard},
		{"expect-card", "FROM", 1, 1, false, "wait for FROM's guild card", stepExpectCard},
		{"mail", "TO TEXT", 2, 2, true, "mail TEXT to TO (guild card number, player in the lobby or bot)", stepMail},
		{"expect-mail", "FROM TEXT", 2, 2, true, "wait for mail from FROM (* = anyone) saying TEXT", stepExpectMail},
		{"expect-message", "TEXT", 1, 1, true, "wait for a server message containing TEXT", stepExpectMessage},
		{"search", "WHO [LOBBY]", 1, 2, false, "find WHO, and check it is in lobby LOBBY", stepSearch},
		{"change-lobby", "N", 1, 1, false, "go to lobby N of the block (84)", stepChangeLobby},
		{"change-block", "N", 1, 1, false, "go to block N (A1)", stepChangeBlock},
		{"info-board", "TEXT", 1, 1, true, "write our info board", stepInfoBoard},
		{"expect-board", "NAME TEXT", 2, 2, true, "read the lobby's boards: NAME's says TEXT", stepExpectBoard},
		{"auto-reply", "[TEXT]", 0, 1, true, "turn the mail auto-reply on with TEXT, or off", stepAutoReply},
	}
}

func stepBot(_ context.Context, sc *scenario, args []string) error {
	cv := sc.s.opts.console
	if len(args) > 1 {
		var ok bool
		if cv, ok = findConsole(args[1]); !ok {
			return fmt.Errorf("unknown version %q", args[1])
		}
	}
	b := sc.bot(args[0], cv)
	if len(args) > 1 && b.console.name != cv.name {
		return fmt.Errorf("bot %s is a %s already", b.name, b.console.name)
	}
	if len(args) > 2 {
		b.addr = args[2]
	}
	sc.cur = b
	return nil
}

// login logs the current bot in unless it is.
func (sc *scenario) login(ctx context.Context) (*client.Client, error) {
	b := sc.cur
	if b.c != nil && b.c.Err() == nil {
		return b.c, nil
	}
	cfg := sc.s.opts.cfg
	if b.name != cfg.Name || b.console.name != sc.s.opts.console.name {
		cfg.Serial, cfg.AccessKey, cfg.Password = "", "", ""
	}
	cfg.Name, cfg.Version, cfg.SubVersion = b.name, b.console.version, b.console.subVersion
	if !sc.s.opts.quiet {
		cfg.Trace = func(st client.Step) {
			fmt.Fprintf(sc.s.out, "%8.3fs  %-10s %s\n", st.Time.Sub(sc.s.start).Seconds(), b.name, st.Text)
		}
	}
	c, err := client.Dial(ctx, sc.addrOf(b), cfg)
	if err != nil {
		return nil, err
	}
	b.c, b.card = c, c.GuildCard()
	return c, nil
}

// addrOf is where a bot connects: its own address, or the -server host
// with its console's port (the -server address itself for the -pso bot).
func (sc *scenario) addrOf(b *scenarioBot) string {
	if b.addr != "" {
		return b.addr
	}
	if b.console.name == sc.s.opts.console.name {
		return sc.s.opts.addr
	}
	host, _, _ := net.SplitHostPort(sc.s.opts.addr)
	return net.JoinHostPort(host, strconv.Itoa(b.console.port))
}

// client is the current bot's session, which must be logged in.
func (sc *scenario) client() (*client.Client, error) {
	if c := sc.cur.c; c != nil {
		return c, c.Err()
	}
	return nil, fmt.Errorf("bot %s is not logged in (add a login or lobby step)", sc.cur.name)
}

func stepLogin(ctx context.Context, sc *scenario, _ []string) error {
	_, err := sc.login(ctx)
	return err
}

func stepLobby(ctx context.Context, sc *scenario, _ []string) error {
	c, err := sc.login(ctx)
	if err != nil {
		return err
	}
	_, err = c.Lobby(ctx)
	return err
}

func stepLogout(_ context.Context, sc *scenario, _ []string) error {
	if c := sc.cur.c; c != nil {
		c.Close()
		sc.cur.c = nil
	}
	return nil
}

func stepWait(ctx context.Context, _ *scenario, args []string) error {
	d, err := time.ParseDuration(args[0])
	if err != nil {
		return err
	}
	select {
	case <-time.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func stepChat(_ context.Context, sc *scenario, args []string) error {
	c, err := sc.client()
	if err != nil {
		return err
	}
	return c.Chat(args[0])
}

// expect waits at most -wait for an event match accepts.
func (sc *scenario) expect(ctx context.Context, what string, match func(client.Event) bool) (client.Event, error) {
	c, err := sc.client()
	if err != nil {
		return nil, err
	}
	wctx, cancel := context.WithTimeout(ctx, sc.s.opts.wait)
	defer cancel()
	e, err := c.WaitEvent(wctx, what, match)
	if err == nil && !sc.s.opts.quiet {
		fmt.Fprintf(sc.s.out, "%8.3fs  %-10s ", time.Since(sc.s.start).Seconds(), sc.cur.name)
		printEvent(sc.s.out, e)
	}
	return e, err
}

// anyone matches a name against a pattern where "*" is anyone.
func anyone(pattern, name string) bool { return pattern == "*" || pattern == name }

func stepExpectChat(ctx context.Context, sc *scenario, args []string) error {
	_, err := sc.expect(ctx, fmt.Sprintf("chat %q from %s", args[1], args[0]), func(e client.Event) bool {
		ch, ok := e.(*client.Chat)
		return ok && anyone(args[0], ch.From) && ch.Text == args[1]
	})
	return err
}

func stepExpectJoin(ctx context.Context, sc *scenario, args []string) error {
	return sc.waitRoster(ctx, args[0], true)
}

func stepExpectLeave(ctx context.Context, sc *scenario, args []string) error {
	return sc.waitRoster(ctx, args[0], false)
}

// waitRoster waits at most -wait until name is (or is not) on the lobby's
// roster; the client updates the roster as 68 and 69 arrive.
func (sc *scenario) waitRoster(ctx context.Context, name string, present bool) error {
	c, err := sc.client()
	if err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, sc.s.opts.wait)
	defer cancel()
	_, err = c.WaitLobby(wctx, func(l *client.Lobby) bool {
		return (l != nil && hasPlayer(l.Players, name)) == present
	})
	if err != nil && ctx.Err() == nil && wctx.Err() != nil {
		return fmt.Errorf("%s still %s after %v", name, map[bool]string{true: "absent", false: "present"}[present], sc.s.opts.wait)
	}
	return err
}
