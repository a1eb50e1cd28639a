package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/psobox/psobox/gameserver/client"
)

// gameSteps are the steps of bots in games.
func gameSteps() []scenarioStep {
	return []scenarioStep{
		{"create-game", "NAME [password=PW] [difficulty=D] [episode=N] [mode=M] [v2-only]", 1, 6, false,
			"create game NAME from the lobby and load it", stepCreateGame},
		{"join-game", "NAME [password=PW] [refused=TEXT]", 1, 3, false,
			"join game NAME (name or ID); with refused=, expect the server to refuse with a message containing TEXT", stepJoinGame},
		{"leave-game", "", 0, 0, false, "leave the game for the lobby (98, 84)", stepLeaveGame},
		{"expect-game-join", "NAME", 1, 1, false, "wait until NAME is in our game", stepExpectGameJoin},
		{"expect-game-leave", "NAME", 1, 1, false, "wait until NAME is not in our game", stepExpectGameLeave},
		{"expect-leader", "NAME", 1, 1, false, "wait until NAME (or me) leads our game", stepExpectLeader},
		{"relay", "CMD TO HEX", 3, 3, true, "send relayed command CMD (60, 62, 6C, 6D) to TO (* for 60 and 6C), subcommands in HEX", stepRelay},
		{"expect-relay", "CMD HEX", 2, 2, true, "wait for a relayed command CMD carrying exactly HEX", stepExpectRelay},
	}
}

func stepCreateGame(ctx context.Context, sc *scenario, args []string) error {
	c, err := sc.client()
	if err != nil {
		return err
	}
	spec, err := gameSpecOf(args[0], args[1:])
	if err != nil {
		return err
	}
	g, err := c.CreateGame(ctx, spec)
	if err != nil {
		return err
	}
	sc.printf("created game %q (%s) as client %d\n", spec.Name, describeGame(g), g.ClientID)
	return nil
}

// gameSpecOf reads create-game's options.
func gameSpecOf(name string, opts []string) (client.GameSpec, error) {
	g := &gameFlags{name: name, difficulty: "normal", mode: "normal", episode: 1}
	for _, o := range opts {
		key, value, _ := strings.Cut(o, "=")
		switch key {
		case "password":
			g.password = value
		case "difficulty":
			g.difficulty = value
		case "mode":
			g.mode = value
		case "episode":
			n, err := strconv.ParseUint(value, 10, 8)
			if err != nil {
				return client.GameSpec{}, fmt.Errorf("episode=%q is not a number", value)
			}
			g.episode = uint(n)
		case "v2-only":
			g.v2Only = true
		default:
			return client.GameSpec{}, fmt.Errorf("unknown option %q", o)
		}
	}
	if err := g.check(); err != nil {
		return client.GameSpec{}, err
	}
	return g.spec(), nil
}

func stepJoinGame(ctx context.Context, sc *scenario, args []string) error {
	c, err := sc.client()
	if err != nil {
		return err
	}
	var password, refusal string
	var wantRefusal bool
	for _, o := range args[1:] {
		key, value, _ := strings.Cut(o, "=")
		switch key {
		case "password":
			password = value
		case "refused":
			refusal, wantRefusal = value, true
		default:
			return fmt.Errorf("unknown option %q", o)
		}
	}
	g, err := c.JoinGame(ctx, args[0], password)
	return sc.joined(args[0], g, err, refusal, wantRefusal)
}

// joined checks how a join ended against what the step expects.
func (sc *scenario) joined(name string, g *client.Game, err error, refusal string, wantRefusal bool) error {
	var refused *client.GameRefusedError
	switch {
	case wantRefusal && errors.As(err, &refused):
		if !strings.Contains(refused.Message, refusal) {
			return fmt.Errorf("refused with %q, want a message containing %q", refused.Message, refusal)
		}
		sc.printf("refused: %s\n", oneLine(refused.Message))
		return nil
	case err != nil:
		return err
	case wantRefusal:
		return fmt.Errorf("joined game %q, want a refusal", name)
	}
	sc.printf("joined game %q (%s) as client %d with %s\n", name, describeGame(g), g.ClientID, playerList(g))
	return nil
}

func stepLeaveGame(ctx context.Context, sc *scenario, _ []string) error {
	c, err := sc.client()
	if err != nil {
		return err
	}
	l, err := c.LeaveGame(ctx)
	if err != nil {
		return err
	}
	sc.printf("left the game for lobby %d\n", int(l.Number)+1)
	return nil
}

func stepExpectGameJoin(ctx context.Context, sc *scenario, args []string) error {
	return sc.waitGame(ctx, args[0]+" in the game", func(g *client.Game) bool { return hasPlayer(g.Players, args[0]) })
}

func stepExpectGameLeave(ctx context.Context, sc *scenario, args []string) error {
	return sc.waitGame(ctx, args[0]+" gone from the game", func(g *client.Game) bool { return !hasPlayer(g.Players, args[0]) })
}

func stepExpectLeader(ctx context.Context, sc *scenario, args []string) error {
	return sc.waitGame(ctx, args[0]+" leading", func(g *client.Game) bool {
		if args[0] == "me" {
			return g.Leader()
		}
		i := slices.IndexFunc(g.Players, func(p client.LobbyPlayer) bool { return p.Name == args[0] })
		return i >= 0 && g.Players[i].ClientID == uint32(g.LeaderID)
	})
}

// hasPlayer reports whether a lobby or game roster has a player called name.
func hasPlayer(players []client.LobbyPlayer, name string) bool {
	return slices.ContainsFunc(players, func(p client.LobbyPlayer) bool { return p.Name == name })
}

// waitGame waits at most -wait until cond holds for our game.
func (sc *scenario) waitGame(ctx context.Context, what string, cond func(*client.Game) bool) error {
	c, err := sc.client()
	if err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, sc.s.opts.wait)
	defer cancel()
	if _, err := c.WaitGame(wctx, cond); err != nil {
		return fmt.Errorf("waiting for %s: %w", what, err)
	}
	return nil
}

// relayCommands are the commands relay and expect-relay take.
var relayCommands = map[string]uint16{"60": 0x60, "62": 0x62, "6C": 0x6C, "6D": 0x6D}

func relayCommand(s string) (uint16, error) {
	if cmd, ok := relayCommands[strings.ToUpper(s)]; ok {
		return cmd, nil
	}
	return 0, fmt.Errorf("%q is not a relayed command (60, 62, 6C, 6D)", s)
}

func stepRelay(_ context.Context, sc *scenario, args []string) error {
	c, err := sc.client()
	if err != nil {
		return err
	}
	cmd, err := relayCommand(args[0])
	if err != nil {
		return err
	}
	private := cmd == 0x62 || cmd == 0x6D
	var target uint8
	if private != (args[1] != "*") {
		return fmt.Errorf("%02X goes to %s", cmd, map[bool]string{true: "one player, not *", false: "everyone: give * as TO"}[private])
	}
	if private {
		if target, err = roomSlot(c, args[1]); err != nil {
			return err
		}
	}
	data, err := subcommandBytes(c, args[2])
	if err != nil {
		return err
	}
	return c.SendGameCommand(cmd, target, data)
}

func stepExpectRelay(ctx context.Context, sc *scenario, args []string) error {
	c, err := sc.client()
	if err != nil {
		return err
	}
	cmd, err := relayCommand(args[0])
	if err != nil {
		return err
	}
	want, err := subcommandBytes(c, args[1])
	if err != nil {
		return err
	}
	_, err = sc.expect(ctx, fmt.Sprintf("%02X %X", cmd, want), func(e client.Event) bool {
		r, ok := e.(*client.Relayed)
		return ok && r.Cmd == cmd && bytes.Equal(r.Data, want)
	})
	return err
}

// subcommandBytes reads HEX (spaces allowed); {me} and {NAME} stand for
// one byte: our client ID, or that of player NAME in our room.
func subcommandBytes(c *client.Client, s string) ([]byte, error) {
	var out strings.Builder
	for {
		before, after, found := strings.Cut(s, "{")
		out.WriteString(before)
		if !found {
			break
		}
		name, rest, ok := strings.Cut(after, "}")
		if !ok {
			return nil, fmt.Errorf("unclosed { in %q", s)
		}
		slot, err := roomSlot(c, name)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&out, "%02X", slot)
		s = rest
	}
	data, err := hex.DecodeString(strings.Join(strings.Fields(out.String()), ""))
	if err != nil {
		return nil, fmt.Errorf("bad HEX: %w", err)
	}
	if len(data) == 0 || len(data)%4 != 0 {
		return nil, fmt.Errorf("subcommands are a non-zero multiple of 4 bytes, got %d", len(data))
	}
	return data, nil
}

// roomSlot is the client ID of player name ("me": ours) in our game or
// lobby.
func roomSlot(c *client.Client, name string) (uint8, error) {
	var me uint8
	var players []client.LobbyPlayer
	if g := c.CurrentGame(); g != nil {
		me, players = g.ClientID, g.Players
	} else if l := c.CurrentLobby(); l != nil {
		me, players = l.ClientID, l.Players
	} else {
		return 0, errors.New("not in a game or lobby")
	}
	if name == "me" {
		return me, nil
	}
	if i := slices.IndexFunc(players, func(p client.LobbyPlayer) bool { return p.Name == name }); i >= 0 {
		return uint8(players[i].ClientID), nil
	}
	return 0, fmt.Errorf("no %s in our room", name)
}

// printf prints a step's result unless -q.
func (sc *scenario) printf(format string, args ...any) {
	if !sc.s.opts.quiet {
		fmt.Fprintf(sc.s.out, "%8.3fs  %-10s ", time.Since(sc.s.start).Seconds(), sc.cur.name)
		fmt.Fprintf(sc.s.out, format, args...)
	}
}
