package app

import (
	"fmt"
	"log/slog"
	"net"
	"net/netip"

	"github.com/psobox/psobox/appliance/config"
	"github.com/psobox/psobox/appliance/lifecycle"
	"github.com/psobox/psobox/appliance/status"
	"github.com/psobox/psobox/appliance/systemd"
	"github.com/psobox/psobox/gameserver/quest"
	"github.com/psobox/psobox/gameserver/server"
)

// probePort is the game port the watchdog connects to: GameCube US and
// Episode III, and where the 9100 split sends consoles.
const probePort = 9103

// game builds the PSO game server on every console port.
func (w *wiring) game(logger *slog.Logger) (lifecycle.Service, error) {
	opts, err := gameOptions(w.cfg, logger)
	if err != nil {
		return nil, err
	}
	w.captureGame(&opts)
	srv, err := server.New(opts)
	if err != nil {
		return nil, err
	}
	w.showConnections(srv)
	w.sup.probes = append(w.sup.probes, systemd.TCPProbe("game", func() net.Addr {
		if ap, ok := srv.Addrs()[probePort]; ok {
			return net.TCPAddrFromAddrPort(ap)
		}
		return nil
	}))
	w.sup.describeAs("game", func() string { return fmt.Sprintf("game %d ports", len(srv.Addrs())) })
	w.page.game = gameStatus{srv}
	w.page.warnings = append(w.page.warnings, status.WarningFunc(func() []status.Warning {
		return append(bbWarnings(srv.BlueBurstOff()), questWarnings(srv.QuestProblems())...)
	}))
	return srv, nil
}

// bbWarnings says when Blue Burst cannot log in, and why (the game server
// loaded no key table: psobox ships none, the user supplies them).
func bbWarnings(off error) []status.Warning {
	if off == nil {
		return nil
	}
	return []status.Warning{{Component: "game", Level: status.LevelInfo,
		Message: "Blue Burst is off: " + off.Error() + "; the other versions are not affected"}}
}

// maxQuestWarnings bounds the quest files named one by one on the page.
const maxQuestWarnings = 5

// questWarnings names the quest files skipped at start and why: the other
// quests are served.
func questWarnings(problems []quest.Problem) []status.Warning {
	var out []status.Warning
	for i, p := range problems {
		if i == maxQuestWarnings {
			out = append(out, status.Warning{Component: "game", Level: status.LevelWarning,
				Message: fmt.Sprintf("%d more quest files were skipped; the log names them all", len(problems)-i)})
			break
		}
		out = append(out, status.Warning{Component: "game", Level: status.LevelWarning,
			Message: fmt.Sprintf("Quest file %s was skipped: %v. Fix or remove it and restart psobox.", p.File, p.Err)})
	}
	return out
}

// gameStatus shows the game server on the status page.
type gameStatus struct{ srv *server.Server }

// lobbiesPerBlock numbers lobbies across blocks on the status page: block
// 1's lobbies keep the numbers the game shows (1-20), block 2's are 21-40.
const lobbiesPerBlock = 20

func statusLobbyNumber(block, number int) int {
	if block == 0 {
		return 0
	}
	return (block-1)*lobbiesPerBlock + number
}

func (g gameStatus) Players() []status.PlayerInfo {
	ps := g.srv.Players()
	out := make([]status.PlayerInfo, 0, len(ps))
	for _, p := range ps {
		out = append(out, status.PlayerInfo{
			Name: p.Name, Version: server.VersionLabel(p.Version), GuildCard: p.GuildCard,
			Address: addrString(p.Addr), Lobby: statusLobbyNumber(p.Block, p.Lobby), Game: p.Game, Since: p.Since,
		})
	}
	return out
}

func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.Unmap().String()
}

func (g gameStatus) Lobbies() []status.LobbyInfo {
	ls := g.srv.Lobbies()
	out := make([]status.LobbyInfo, 0, len(ls))
	for _, l := range ls {
		out = append(out, status.LobbyInfo{Number: statusLobbyNumber(l.Block, l.Number), Players: l.Players})
	}
	return out
}

func (g gameStatus) Games() []status.GameInfo {
	gs := g.srv.Games()
	out := make([]status.GameInfo, 0, len(gs))
	for _, s := range gs {
		out = append(out, status.GameInfo{
			Name: s.Name, Group: s.Group, Players: s.Players, Episode: s.Episode,
			Difficulty: s.Difficulty, Mode: s.Mode, Quest: s.Quest, Password: s.Password,
		})
	}
	return out
}

func gameOptions(cfg *config.Config, logger *slog.Logger) (server.Options, error) {
	c := cfg.Game
	mode, err := server.ParseAccountMode(c.Accounts)
	if err != nil {
		return server.Options{}, err
	}
	opts := server.DefaultOptions()
	if c.Listen.IsValid() {
		opts.Listen = c.Listen.String()
	}
	opts.ServerName = c.ServerName
	opts.Accounts = mode
	opts.WelcomeMessage = c.WelcomeMessage
	opts.MaxClients = c.MaxClients
	opts.MaxPerIP = c.MaxPerIP
	opts.PingInterval = c.PingInterval.Duration
	opts.IdleTimeout = c.IdleTimeout.Duration
	opts.LoginTimeout = c.LoginTimeout.Duration
	opts.StateDir = cfg.StateDir()
	opts.BBKeyDir = cfg.BBKeyDir()
	opts.PCOn9100 = c.PCOn9100
	opts.QuestDir = cfg.QuestDir()
	opts.ChatCommands = c.ChatCommands
	opts.ChatCommandPrefix = c.ChatCommandPrefix
	opts.Logger = logger
	return opts, nil
}
