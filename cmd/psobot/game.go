package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/psobox/psobox/gameserver/client"
)

// gameFlags are the flags of create-game and join-game.
type gameFlags struct {
	name, password   string
	difficulty, mode string
	episode          uint
	v2Only           bool
	stay             time.Duration
}

func addGameFlags(fs *flag.FlagSet) *gameFlags {
	g := &gameFlags{}
	fs.StringVar(&g.name, "game", "", "create-game: the game's `name` (default psobot); join-game: its name or ID in the game list")
	fs.StringVar(&g.password, "game-password", "", "the game's password")
	fs.StringVar(&g.difficulty, "difficulty", "normal", "create-game: normal, hard, veryhard or ultimate")
	fs.UintVar(&g.episode, "episode", 1, "create-game: episode 1 or 2 (GameCube and Xbox)")
	fs.StringVar(&g.mode, "mode", "normal", "create-game: normal, battle or challenge")
	fs.BoolVar(&g.v2Only, "v2-only", false, "create-game on DC v2 or PC: keep DC v1 players out")
	fs.DurationVar(&g.stay, "stay", 0, "stay in the game this long, printing who comes and goes, then leave")
	return g
}

var difficulties = map[string]uint8{"normal": 0, "hard": 1, "veryhard": 2, "very-hard": 2, "ultimate": 3}

var modes = map[string]client.GameMode{"normal": client.GameNormal, "battle": client.GameBattle, "challenge": client.GameChallenge}

// check validates the game flags with the others (a usage error).
func (g *gameFlags) check() error {
	if _, ok := difficulties[strings.ToLower(g.difficulty)]; !ok {
		return fmt.Errorf("unknown -difficulty %q", g.difficulty)
	}
	if _, ok := modes[strings.ToLower(g.mode)]; !ok {
		return fmt.Errorf("unknown -mode %q", g.mode)
	}
	if g.episode != 1 && g.episode != 2 {
		return fmt.Errorf("-episode must be 1 or 2")
	}
	if g.stay < 0 {
		return fmt.Errorf("-stay must not be negative")
	}
	return nil
}

func (g *gameFlags) spec() client.GameSpec {
	name := g.name
	if name == "" {
		name = "psobot"
	}
	return client.GameSpec{Name: name, Password: g.password, Difficulty: difficulties[strings.ToLower(g.difficulty)],
		Episode: uint8(g.episode), Mode: modes[strings.ToLower(g.mode)], V2Only: g.v2Only}
}

func runCreateGame(ctx context.Context, s *session) error {
	c, err := s.dialToLobby(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	spec := s.opts.game.spec()
	g, err := c.CreateGame(ctx, spec)
	if err != nil {
		return err
	}
	fmt.Fprintf(s.out, "ok: created game %q (%s) as client %d in %s\n", spec.Name, describeGame(g), g.ClientID, s.elapsed())
	return s.stayThenLeave(ctx, c)
}

func runJoinGame(ctx context.Context, s *session) error {
	if s.opts.game.name == "" {
		return errors.New("join-game needs -game (a name or ID from the game list)")
	}
	c, err := s.dialToLobby(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	g, err := c.JoinGame(ctx, s.opts.game.name, s.opts.game.password)
	if err != nil {
		return err
	}
	fmt.Fprintf(s.out, "ok: joined game %q (%s) as client %d with %s in %s\n",
		s.opts.game.name, describeGame(g), g.ClientID, playerList(g), s.elapsed())
	return s.stayThenLeave(ctx, c)
}

// stayThenLeave waits -stay (game events are traced meanwhile), then
// leaves the game like a console and says where the player went.
func (s *session) stayThenLeave(ctx context.Context, c *client.Client) error {
	if d := s.opts.game.stay; d > 0 {
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return ctx.Err()
		}
		if g := c.CurrentGame(); g != nil {
			fmt.Fprintf(s.out, "after %s: %s in the game, client %d leads\n", d, playerList(g), g.LeaderID)
		}
	}
	l, err := c.LeaveGame(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(s.out, "ok: left the game for lobby %d in %s\n", int(l.Number)+1, s.elapsed())
	return nil
}

func describeGame(g *client.Game) string {
	parts := []string{[]string{"Normal", "Hard", "Very Hard", "Ultimate"}[g.Difficulty&3]}
	switch g.Episode {
	case 1, 2:
		parts = append(parts, "Episode "+strconv.Itoa(int(g.Episode)))
	case 0xFF:
		parts = append(parts, "Episode III")
	}
	switch {
	case g.Battle:
		parts = append(parts, "Battle")
	case g.Challenge:
		parts = append(parts, "Challenge")
	}
	if g.Leader() {
		parts = append(parts, "leader")
	}
	return strings.Join(parts, ", ")
}

func playerList(g *client.Game) string {
	var names []string
	for _, p := range g.Players {
		names = append(names, fmt.Sprintf("%s (%d)", p.Name, p.ClientID))
	}
	return strings.Join(names, ", ")
}
