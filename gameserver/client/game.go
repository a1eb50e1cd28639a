package client

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// Menu IDs of the reference server that psobot uses for games.
const (
	gameMenuID = 0x44000044
)

// GameMode is how a game is played.
type GameMode uint8

// Game modes.
const (
	GameNormal GameMode = iota
	GameBattle
	GameChallenge
)

// GameSpec is a game to create.
type GameSpec struct {
	Name, Password string
	Difficulty     uint8 // 0 Normal, 1 Hard, 2 Very Hard, 3 Ultimate
	Episode        uint8 // 1 or 2 (GameCube and Xbox); Episode III always plays its own
	Mode           GameMode
	V2Only         bool // DC v2 and PC: keep DC v1 players out
}

// GameInfo is one game of the server's game list.
type GameInfo struct {
	ID         uint32
	Name       string
	Players    int
	Difficulty uint8
	Episode    uint8
	Locked     bool // has a password
	Battle     bool
	Challenge  bool
	V2Only     bool
}

// Game is the game the client is in, as the server's 64 described it and
// 65/66 updated it. Values returned by a Client are copies.
type Game struct {
	Name       string // from the server's answer to 8A, once it came
	ClientID   uint8  // this client's slot
	LeaderID   uint8
	Difficulty uint8
	Episode    uint8 // as 64 carries it: 1, 2, FF for Episode III; 0 on versions without
	SectionID  uint8
	Battle     bool
	Challenge  bool
	RandomSeed uint32
	Loading    bool          // 6F not sent yet
	Players    []LobbyPlayer // ClientID is the slot
}

func (g *Game) clone() *Game {
	c := *g
	c.Players = slices.Clone(g.Players)
	return &c
}

// Leader reports whether this client leads the game.
func (g *Game) Leader() bool { return g.ClientID == g.LeaderID }

// CurrentGame returns the game the client is in, or nil.
func (c *Client) CurrentGame() *Game {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sh.game == nil {
		return nil
	}
	return c.sh.game.clone()
}

// GameRefusedError is a server's refusal to create or join a game, with
// the message it showed the player.
type GameRefusedError struct{ Message string }

func (e *GameRefusedError) Error() string { return fmt.Sprintf("server refused: %q", e.Message) }

// ListGames asks for the game list (08) and returns the games in it.
func (c *Client) ListGames(ctx context.Context) ([]GameInfo, error) {
	c.mu.Lock()
	seq := c.sh.gameListSeq
	c.mu.Unlock()
	if err := c.Send(&wire.Empty{Cmd: 0x08}); err != nil {
		return nil, err
	}
	if err := c.waitFor(ctx, func(s *sharedState) bool { return s.gameListSeq != seq }); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.sh.gameList), nil
}

// CreateGame creates a game from the lobby and returns once the client is
// in it and done loading. A refusal is a *GameRefusedError.
func (c *Client) CreateGame(ctx context.Context, spec GameSpec) (*Game, error) {
	v := c.cfg.Version
	m := &wire.CreateGame{Cmd: createCommand(v), Difficulty: spec.Difficulty, BattleMode: b2u(spec.Mode == GameBattle),
		ChallengeMode: b2u(spec.Mode == GameChallenge), Episode: spec.Episode}
	if (v.IsV1() || v.IsV2()) && v != wire.GCNTE {
		m.Episode = b2u(v.IsV2() && spec.V2Only) // DC v2 and PC: 1 closes the game to DC v1
	}
	m.SetName(v, spec.Name, c.lang)
	m.SetPassword(v, spec.Password, c.lang)
	c.info("creating game %q", spec.Name)
	return c.enterGame(ctx, m)
}

func createCommand(v wire.Version) uint16 {
	switch {
	case v.IsEp3():
		return 0xEC
	case v.IsV1():
		return 0x0C
	}
	return 0xC1
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// JoinGame joins the game named nameOrID (its name, or its ID from the
// game list) and returns once the client is in it and done loading. While
// another player is still loading into the game the server says "try again
// in a moment"; JoinGame does, as a player would, until ctx ends.
func (c *Client) JoinGame(ctx context.Context, nameOrID, password string) (*Game, error) {
	for {
		g, err := c.joinGameOnce(ctx, nameOrID, password)
		var refused *GameRefusedError
		if !errors.As(err, &refused) || !strings.Contains(refused.Message, "Try again in a moment") {
			return g, err
		}
		c.info("game busy with another joiner: trying again")
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(joinRetryDelay):
		}
	}
}

// joinRetryDelay spaces join attempts while another player loads.
const joinRetryDelay = 100 * time.Millisecond

func (c *Client) joinGameOnce(ctx context.Context, nameOrID, password string) (*Game, error) {
	games, err := c.ListGames(ctx)
	if err != nil {
		return nil, err
	}
	g, ok := findGame(games, nameOrID)
	if id, err := strconv.ParseUint(nameOrID, 0, 32); !ok && err == nil {
		g, ok = GameInfo{ID: uint32(id), Name: nameOrID}, true // not listed for us: the server will say why
	}
	if !ok {
		return nil, &StepError{Phase: c.phase(), Err: fmt.Errorf("no game %q in the game list (%d games)", nameOrID, len(games))}
	}
	m := &wire.MenuSelection{MenuID: gameMenuID, ItemID: g.ID}
	if password != "" {
		m.Flag, m.NumStrings = 2, 1
		text.Put(m.Strings[0][:textWidth(c.cfg.Version)], wire.FieldEncoding(c.cfg.Version), password, c.lang)
	}
	c.info("joining game %q (%d)", g.Name, g.ID)
	return c.enterGame(ctx, m)
}

func textWidth(v wire.Version) int {
	if v.UsesUTF16() {
		return 0x20
	}
	return 0x10
}

// findGame finds a game by name (case-insensitive) or ID.
func findGame(games []GameInfo, nameOrID string) (GameInfo, bool) {
	for _, g := range games {
		if strings.EqualFold(g.Name, nameOrID) {
			return g, true
		}
	}
	if id, err := strconv.ParseUint(nameOrID, 0, 32); err == nil {
		for _, g := range games {
			if g.ID == uint32(id) {
				return g, true
			}
		}
	}
	return GameInfo{}, false
}

// enterGame sends a create or join command and waits until the client has
// loaded the game, or the server showed a message instead.
func (c *Client) enterGame(ctx context.Context, m wire.Msg) (*Game, error) {
	c.mu.Lock()
	msgSeq := c.sh.messageSeq
	c.mu.Unlock()
	c.setPhase(PhaseJoinGame, "64 (join game)")
	if err := c.Send(m); err != nil {
		return nil, err
	}
	var refused string
	err := c.waitFor(ctx, func(s *sharedState) bool {
		if s.game == nil && s.messageSeq != msgSeq {
			refused = s.lastMessage
			return true
		}
		return s.game != nil && !s.game.Loading
	})
	if err != nil {
		return nil, err
	}
	if refused != "" {
		c.setPhase(PhaseInLobby, "")
		return nil, &StepError{Phase: PhaseJoinGame, Err: &GameRefusedError{Message: refused}}
	}
	return c.CurrentGame(), nil
}

// LeaveGame leaves the game like a console does: its player data (98),
// then the lobby it came from (84). It returns the lobby joined.
func (c *Client) LeaveGame(ctx context.Context) (*Lobby, error) {
	c.mu.Lock()
	inGame, lobbyID := c.sh.game != nil, c.sh.lastLobbyID
	c.mu.Unlock()
	if !inGame {
		return nil, &StepError{Phase: c.phase(), Err: fmt.Errorf("not in a game")}
	}
	if err := c.Send(c.player.CharacterData(c.cfg.Version, 0x98)); err != nil {
		return nil, err
	}
	c.update(func(s *sharedState) { s.game, s.lobby = nil, nil })
	c.setPhase(PhaseLobby, "67 (join lobby)")
	c.emit(GameEvent{Kind: GameLeft})
	if err := c.Send(&wire.MenuItemRef{Cmd: 0x84, MenuID: lobbyMenuID, ItemID: lobbyID}); err != nil {
		return nil, err
	}
	if err := c.waitFor(ctx, func(s *sharedState) bool { return s.lobby != nil }); err != nil {
		return nil, err
	}
	return c.CurrentLobby(), nil
}

// SendGameCommand sends one relayed command: 60 or 6C to everyone else in
// the lobby or game, 62 or 6D to the player in slot target. data is one or
// more subcommands in this client's numbering.
func (c *Client) SendGameCommand(cmd uint16, target uint8, data []byte) error {
	flag := uint32(0)
	if cmd == 0x62 || cmd == 0x6D {
		flag = uint32(target)
	}
	return c.SendRaw(cmd, flag, data)
}

// SendSubcommand encodes m in this client's layout and numbering and sends
// it like SendGameCommand.
func (c *Client) SendSubcommand(cmd uint16, target uint8, m wire.SubMsg) error {
	data, err := wire.AppendSubcommand(nil, c.cfg.Version, m)
	if err != nil {
		return err
	}
	return c.SendGameCommand(cmd, target, data)
}

// WaitGame waits until cond holds for the game the client is in.
func (c *Client) WaitGame(ctx context.Context, cond func(*Game) bool) (*Game, error) {
	err := c.waitFor(ctx, func(s *sharedState) bool { return s.game != nil && cond(s.game) })
	if err != nil {
		return nil, err
	}
	return c.CurrentGame(), nil
}
