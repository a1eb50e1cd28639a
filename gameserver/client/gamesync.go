package client

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/psobox/psobox/gameserver/wire"
)

// Phases of a session in a game.
const (
	PhaseJoinGame = "game join"
	PhaseInGame   = "in game"
)

// GameEventKind says what happened in a game.
type GameEventKind uint8

// Game events, in the order a console sees them.
const (
	GameJoined    GameEventKind = iota // the server sent the client into a game (64)
	GameLoaded                         // the client finished loading (sent 6F)
	PlayerJoined                       // another player joined (65)
	PlayerLeft                         // another player left (66)
	LeaderChanged                      // the lead passed to another player (66)
	GameLeft                           // the client left the game (98)
)

func (k GameEventKind) String() string {
	return [...]string{"joined game", "loaded", "player joined", "player left", "leader changed", "left game"}[k]
}

// GameEvent is one thing that happened in the client's game.
type GameEvent struct {
	Kind     GameEventKind
	Player   LobbyPlayer // PlayerJoined, PlayerLeft: who
	LeaderID uint8       // the leader's slot afterwards
}

// emit reports a game event to the trace and to Config.OnGameEvent.
func (c *Client) emit(e GameEvent) {
	switch e.Kind {
	case PlayerJoined, PlayerLeft:
		c.info("game: %s: %s (slot %d)", e.Kind, e.Player.Name, e.Player.ClientID)
	case LeaderChanged:
		c.info("game: %s: slot %d leads", e.Kind, e.LeaderID)
	default:
		c.info("game: %s", e.Kind)
	}
	if c.cfg.OnGameEvent != nil {
		c.traceMu.Lock()
		c.cfg.OnGameEvent(e)
		c.traceMu.Unlock()
	}
}

// gameLoad is how far the client got loading a game (reader goroutine
// only). A console finishes loading (6F) once it answered the ping after
// the 64 and, when others play, once the leader unblocked it (6x71, or
// 6x72 on versions without 6x71).
type gameLoad struct {
	loading, pinged, unblocked, alone bool
}

// onGameList records the game list (08).
func onGameList(c *Client, r *Received) error {
	m, ok := r.Msg.(*wire.Menu)
	if !ok {
		return badCommand(r)
	}
	var games []GameInfo
	for _, it := range m.Items[min(1, len(m.Items)):] {
		games = append(games, GameInfo{
			ID: it.ItemID, Name: oneLine(it.NameString(c.cfg.Version, c.lang)), Players: int(it.NumPlayers),
			Difficulty: it.DifficultyTag - 0x22, Episode: it.Flags >> 6, Locked: it.Flags&0x02 != 0,
			Battle: it.Flags&0x10 != 0, Challenge: it.Flags&0x20 != 0, V2Only: it.Flags&0x40 != 0 && c.cfg.Version.IsV2(),
		})
	}
	c.update(func(s *sharedState) { s.gameList, s.gameListSeq = games, s.gameListSeq+1 })
	c.info("game list: %d games", len(games))
	return nil
}

// onJoinGame is 64: the client leaves the lobby and loads the game.
func onJoinGame(c *Client, r *Received) error {
	m, ok := r.Msg.(*wire.JoinGame)
	if !ok {
		return badCommand(r)
	}
	g := &Game{ClientID: m.ClientID, LeaderID: m.LeaderID, Difficulty: m.Difficulty, Episode: m.Episode,
		SectionID: m.SectionID, Battle: m.BattleMode != 0, Challenge: m.ChallengeMode != 0,
		RandomSeed: m.RandomSeed, Loading: true}
	for i := range m.Players {
		if p := &m.Players[i]; p.PlayerTag != 0 || p.GuildCard != 0 {
			g.Players = append(g.Players, LobbyPlayer{ClientID: uint32(i), GuildCard: p.GuildCard,
				Name: oneLine(p.NameString(c.cfg.Version, c.lang))})
		}
	}
	c.rs.game = gameLoad{loading: true, alone: len(g.Players) <= 1}
	c.update(func(s *sharedState) {
		if s.lobby != nil {
			s.lastLobbyID = uint32(s.lobby.Block)
		}
		s.game, s.lobby = g, nil
	})
	c.setPhase(PhaseJoinGame, "the ping after 64")
	c.emit(GameEvent{Kind: GameJoined, LeaderID: g.LeaderID})
	return nil
}

// onGamePing answers pings; the first one after a 64 also means the client
// has started loading.
func onGamePing(c *Client, r *Received) error {
	if err := onPing(c, r); err != nil {
		return err
	}
	ld := &c.rs.game
	if c.cfg.Manual || !ld.loading || ld.pinged {
		return nil
	}
	ld.pinged = true
	if err := c.Send(&wire.Empty{Cmd: 0x8A}); err != nil {
		return err
	}
	return c.maybeFinishLoading()
}

// maybeFinishLoading sends 6F once loading can end.
func (c *Client) maybeFinishLoading() error {
	ld := &c.rs.game
	if !ld.loading || !ld.pinged || !(ld.alone || ld.unblocked) {
		return nil
	}
	ld.loading = false
	if err := c.Send(&wire.Empty{Cmd: 0x6F}); err != nil {
		return err
	}
	c.editGame(func(g *Game) { g.Loading = false })
	c.setPhase(PhaseInGame, "")
	c.emit(GameEvent{Kind: GameLoaded})
	return nil
}

// onGameCommand watches relayed commands while loading for the leader's
// unblock (6x71) or resume (6x72).
func onGameCommand(c *Client, r *Received) error {
	ld := &c.rs.game
	if c.cfg.Manual || !ld.loading || ld.unblocked {
		return nil
	}
	for sub, err := range wire.Subcommands(r.Payload) {
		if err != nil {
			return nil
		}
		if n, ok := wire.SubcommandToFinal(c.cfg.Version, sub.Number()); ok && (n == 0x71 || n == 0x72) {
			ld.unblocked = true
			return c.maybeFinishLoading()
		}
	}
	return nil
}

// onGamePlayerJoined is 65: another player joins; the client sends it
// what a console owes a joiner.
func onGamePlayerJoined(c *Client, r *Received) error {
	m, ok := r.Msg.(*wire.JoinLobby)
	if !ok || len(m.Entries) == 0 {
		return badCommand(r)
	}
	p := c.lobbyPlayer(&m.Entries[0])
	var leads bool
	c.editGame(func(g *Game) {
		g.Players = slices.DeleteFunc(g.Players, func(q LobbyPlayer) bool { return q.ClientID == p.ClientID })
		g.Players = append(g.Players, p)
		g.LeaderID = m.LeaderID
		leads = g.Leader()
	})
	c.emit(GameEvent{Kind: PlayerJoined, Player: p, LeaderID: m.LeaderID})
	if c.cfg.Manual {
		return nil
	}
	return c.sendJoinSync(uint8(p.ClientID), leads)
}

// onGamePlayerLeft is 66: a player left, perhaps handing on the lead.
func onGamePlayerLeft(c *Client, r *Received) error {
	m, ok := r.Msg.(*wire.LeaveLobby)
	if !ok {
		return badCommand(r)
	}
	var left LobbyPlayer
	var oldLeader uint8
	c.editGame(func(g *Game) {
		if i := slices.IndexFunc(g.Players, func(q LobbyPlayer) bool { return q.ClientID == uint32(m.ClientID) }); i >= 0 {
			left = g.Players[i]
			g.Players = slices.Delete(g.Players, i, i+1)
		}
		oldLeader, g.LeaderID = g.LeaderID, m.LeaderID
	})
	c.emit(GameEvent{Kind: PlayerLeft, Player: left, LeaderID: m.LeaderID})
	if oldLeader != m.LeaderID {
		c.emit(GameEvent{Kind: LeaderChanged, LeaderID: m.LeaderID})
	}
	return nil
}

// onLobbyName records the game's name (8A) while in a game.
func onLobbyName(c *Client, r *Received) error {
	if m, ok := r.Msg.(*wire.PlainText); ok {
		name := oneLine(m.String(c.cfg.Version, c.lang))
		c.editGame(func(g *Game) { g.Name = name })
	}
	return nil
}

// editGame changes a copy of the game, so that snapshots handed out stay
// as they were. f runs with c.mu held: it must not trace.
func (c *Client) editGame(f func(*Game)) {
	c.update(func(s *sharedState) {
		if s.game != nil {
			g := s.game.clone()
			f(g)
			s.game = g
		}
	})
}

// sendJoinSync sends a joiner what it needs to build the game: the leader
// the game's state (empty but well-formed: a bot has no enemies, objects,
// items or flags to report), everyone its player state (blank), then the
// leader resumes the game. A real console joining a bot's game would find
// an empty world.
func (c *Client) sendJoinSync(joiner uint8, leader bool) error {
	v := c.cfg.Version
	var steps []syncStep
	if leader {
		for _, n := range []uint8{0x6D, 0x6B, 0x6C, 0x6E} {
			steps = append(steps, syncStep{0x6D, syncState(v, n)})
		}
		if v != wire.DCNTE && v != wire.DC112000 && !v.IsEp3() { // Episode III's 6F holds its seq vars, which it never sends
			steps = append(steps, syncStep{0x62, &wire.SubQuestFlags{}})
		}
		if v != wire.DCNTE && v != wire.DC112000 {
			steps = append(steps, syncStep{0x62, &wire.SubNoArgs{Num: 0x71}})
		}
	}
	me := c.CurrentGame()
	if me == nil {
		return nil
	}
	steps = append(steps, syncStep{0x6D, &wire.SubPlayerState{SubHeader: wire.SubHeader{Param: uint16(me.ClientID), Extended: true}}})
	if leader {
		steps = append(steps, syncStep{0x60, &wire.SubNoArgs{Num: 0x72}})
	}
	for _, s := range steps {
		if err := c.SendSubcommand(s.cmd, joiner, s.sub); err != nil {
			return fmt.Errorf("sending the join state to slot %d: %w", joiner, err)
		}
	}
	return nil
}

type syncStep struct {
	cmd uint16
	sub wire.SubMsg
}

// syncState is an empty game state of kind n (6x6B enemies, 6x6C
// objects, 6x6D items, 6x6E flags) in the form consoles send it:
// compressed with BC0, here as literals only.
func syncState(v wire.Version, n uint8) *wire.SubSyncState {
	var plain []byte
	switch n {
	case 0x6D: // next drop numbers, next item ID per player, floor item counts
		plain = make([]byte, 0x8C)
		for i := range 12 {
			binary.LittleEndian.PutUint32(plain[0x20+4*i:], 0x00010000+0x00200000*uint32(i))
		}
	case 0x6E: // sizes, no entity sets, no event flags, cleared switch flags
		switchFlags := 0x240
		if v.IsV1() {
			switchFlags = 0x200
		}
		plain = make([]byte, 8+0x10+switchFlags)
		binary.LittleEndian.PutUint16(plain[0:], uint16(0x10+switchFlags))
		binary.LittleEndian.PutUint16(plain[2:], 0x10)
		binary.LittleEndian.PutUint16(plain[6:], uint16(switchFlags))
		binary.LittleEndian.PutUint32(plain[8:], 0x10)
		binary.LittleEndian.PutUint32(plain[16:], 0x10)
	}
	packed := bc0Literals(plain)
	data := append(packed, make([]byte, -len(packed)&3)...)
	return &wire.SubSyncState{SubHeader: wire.SubHeader{Extended: true}, Num: n,
		DecompressedSize: uint32(len(plain)), CompressedSize: uint32(len(packed)), Data: data}
}

// bc0Literals encodes data in BC0 without back-references: a control byte
// of eight literal bits before every eight bytes.
func bc0Literals(data []byte) []byte {
	var out []byte
	for len(data) > 0 {
		n := min(8, len(data))
		out = append(out, 0xFF)
		out = append(out, data[:n]...)
		data = data[n:]
	}
	return out
}
