package client

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// Lobby is the lobby the client is in, as the server's 67 described it and
// 68/69 updated it. Values returned by a Client are copies.
type Lobby struct {
	ClientID uint8 // this client's slot
	LeaderID uint8
	Number   uint8 // the lobby's index as sent (newserv sends 0 for lobby 1)
	Block    uint8
	Event    uint8
	Players  []LobbyPlayer
}

// LobbyPlayer is one player in a lobby roster.
type LobbyPlayer struct {
	ClientID  uint32
	GuildCard uint32
	Name      string
	Class     uint8
	SectionID uint8
	Level     uint32 // 0-based, as stored
}

func (l *Lobby) clone() *Lobby {
	c := *l
	c.Players = slices.Clone(l.Players)
	return &c
}

// names lists the players for traces.
func (l *Lobby) names() string {
	var names []string
	for _, p := range l.Players {
		names = append(names, p.Name)
	}
	return strings.Join(names, ", ")
}

// CurrentLobby returns the lobby the client is in, or nil.
func (c *Client) CurrentLobby() *Lobby {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sh.lobby == nil {
		return nil
	}
	return c.sh.lobby.clone()
}

// WaitLobby waits until cond holds for the lobby the client is in (nil
// while it is in none) and returns that lobby. cond runs with the client's
// state locked: it must not call the Client.
func (c *Client) WaitLobby(ctx context.Context, cond func(*Lobby) bool) (*Lobby, error) {
	if err := c.waitFor(ctx, func(s *sharedState) bool { return cond(s.lobby) }); err != nil {
		return nil, err
	}
	return c.CurrentLobby(), nil
}

// maxMenuHops bounds how many menus Lobby walks through (ship select, block
// select, main menu) before giving up.
const maxMenuHops = 4

// Lobby takes the client from the main menu into a lobby and returns it
// once the server's 67 has arrived. If the server already put the client in
// a lobby, it returns that one.
func (c *Client) Lobby(ctx context.Context) (*Lobby, error) {
	for range maxMenuHops {
		c.mu.Lock()
		l, menu, seq := c.sh.lobby, c.sh.menu, c.sh.menuSeq
		c.mu.Unlock()
		if l != nil {
			return l.clone(), nil
		}
		if err := c.chooseFromMenu(menu); err != nil {
			return nil, err
		}
		err := c.waitFor(ctx, func(s *sharedState) bool { return s.lobby != nil || s.menuSeq != seq })
		if err != nil {
			return nil, err
		}
	}
	err := fmt.Errorf("still no lobby after %d menus", maxMenuHops)
	c.mu.Lock()
	if msg := c.sh.lastMessage; msg != "" {
		err = fmt.Errorf("%w; server said %q", err, msg)
	}
	c.mu.Unlock()
	return nil, &StepError{Phase: PhaseLobby, Err: err}
}

// chooseFromMenu sends the menu selection that leads towards a lobby.
func (c *Client) chooseFromMenu(menu *wire.Menu) error {
	if menu == nil {
		return &StepError{Phase: c.phase(), Err: fmt.Errorf("the server has shown no menu to choose the lobby from")}
	}
	item, name, err := chooseLobbyItem(c.cfg.Version, c.lang, menu)
	if err != nil {
		return &StepError{Phase: PhaseMainMenu, Err: err}
	}
	c.info("choosing %q (menu %08X, item %08X)", name, item.MenuID, item.ItemID)
	c.setPhase(PhaseLobby, "67 (join lobby)")
	if err := c.Send(&wire.MenuSelection{MenuID: item.MenuID, ItemID: item.ItemID}); err != nil {
		return &StepError{Phase: PhaseLobby, Err: err}
	}
	return nil
}

// newservGoToLobby is the item ID of "Go to lobby" in newserv's main menu.
const newservGoToLobby = 0x11222211

// chooseLobbyItem finds the item of a menu that leads to a lobby: newserv's
// item ID, else an item whose name mentions the lobby, else on a ship or
// block list (A0/A1) the first entry.
func chooseLobbyItem(v wire.Version, lang text.Language, m *wire.Menu) (wire.MenuItem, string, error) {
	items := m.Items
	if len(items) > 0 {
		items = items[1:] // the first item names the ship and is not shown
	}
	var names []string
	for _, it := range items {
		names = append(names, fmt.Sprintf("%q", oneLine(it.NameString(v, lang))))
	}
	for i, it := range items {
		if it.ItemID == newservGoToLobby {
			return it, oneLine(it.NameString(v, lang)), nil
		}
		if strings.Contains(strings.ToLower(names[i]), "lobby") {
			return it, oneLine(it.NameString(v, lang)), nil
		}
	}
	if (m.Cmd == 0xA0 || m.Cmd == 0xA1) && len(items) > 0 {
		return items[0], oneLine(items[0].NameString(v, lang)), nil
	}
	return wire.MenuItem{}, "", fmt.Errorf("no item of the %s leads to a lobby: %s",
		cmdLabel(wire.ServerToClient, m.Cmd), strings.Join(names, ", "))
}

// onMenu records a menu (07 main menu, A0/A1 ship and block lists): the
// login is over and the client waits for a choice.
func onMenu(c *Client, r *Received) error {
	m, ok := r.Msg.(*wire.Menu)
	if !ok {
		return badCommand(r)
	}
	c.update(func(s *sharedState) { s.menu, s.menuSeq = m, s.menuSeq+1 })
	c.setPhase(PhaseMainMenu, "a menu choice")
	c.info("%s with %d items", commandName(wire.ServerToClient, r.Header.Command), max(len(m.Items)-1, 0))
	return nil
}

// onJoinLobby records the roster of the lobby joined (67).
func onJoinLobby(c *Client, r *Received) error {
	m, ok := r.Msg.(*wire.JoinLobby)
	if !ok {
		return badCommand(r)
	}
	l := &Lobby{ClientID: m.ClientID, LeaderID: m.LeaderID, Number: m.LobbyNumber, Block: m.BlockNumber, Event: m.Event}
	for i := range m.Entries {
		l.Players = append(l.Players, c.lobbyPlayer(&m.Entries[i]))
	}
	c.update(func(s *sharedState) { s.lobby, s.menu, s.lobbySeq = l, nil, s.lobbySeq+1 })
	c.setPhase(PhaseInLobby, "")
	c.info("in lobby %d (block %d) as client %d with %d players: %s",
		int(l.Number)+1, l.Block, l.ClientID, len(l.Players), l.names())
	return nil
}

// onPlayerJoined adds the player of a 68 to the roster.
func onPlayerJoined(c *Client, r *Received) error {
	m, ok := r.Msg.(*wire.JoinLobby)
	if !ok {
		return badCommand(r)
	}
	var joined []LobbyPlayer
	for i := range m.Entries {
		joined = append(joined, c.lobbyPlayer(&m.Entries[i]))
	}
	c.editLobby(func(l *Lobby) {
		for _, p := range joined {
			l.Players = slices.DeleteFunc(l.Players, func(q LobbyPlayer) bool { return q.ClientID == p.ClientID })
			l.Players = append(l.Players, p)
		}
	})
	for _, p := range joined {
		c.info("%s joined the lobby as client %d", p.Name, p.ClientID)
	}
	return nil
}

// onPlayerLeft removes the player of a 69 from the roster.
func onPlayerLeft(c *Client, r *Received) error {
	m, ok := r.Msg.(*wire.LeaveLobby)
	if !ok {
		return badCommand(r)
	}
	if l := c.CurrentLobby(); l != nil && l.ClientID == m.ClientID {
		// The server took this client out (to show a ship or block menu).
		c.update(func(s *sharedState) { s.lobby = nil })
		c.info("left the lobby")
		return nil
	}
	c.editLobby(func(l *Lobby) {
		l.Players = slices.DeleteFunc(l.Players, func(q LobbyPlayer) bool { return q.ClientID == uint32(m.ClientID) })
		l.LeaderID = m.LeaderID
	})
	c.info("client %d left the lobby", m.ClientID)
	return nil
}

// editLobby changes a copy of the lobby, so that snapshots handed out stay
// as they were. f runs with c.mu held: it must not trace.
func (c *Client) editLobby(f func(*Lobby)) {
	c.update(func(s *sharedState) {
		if s.lobby != nil {
			l := s.lobby.clone()
			f(l)
			s.lobby = l
		}
	})
}

func (c *Client) lobbyPlayer(e *wire.LobbyEntry) LobbyPlayer {
	p := LobbyPlayer{ClientID: e.Lobby.ClientID, GuildCard: e.Lobby.GuildCard,
		Name: oneLine(e.Lobby.NameString(c.cfg.Version, c.lang))}
	if c.cfg.Version == wire.BBV4 {
		p.Class, p.SectionID, p.Level = e.DispBB.Class(), e.DispBB.SectionID(), e.DispBB.Level()
	} else {
		p.Class, p.SectionID, p.Level = e.Disp.Class(), e.Disp.SectionID(), e.Disp.Level()
	}
	return p
}

// messageText is the text of a message command, on one line.
func messageText(c *Client, r *Received) string {
	switch m := r.Msg.(type) {
	case *wire.TextMessage:
		return oneLine(m.String(c.cfg.Version, c.lang))
	case *wire.PlainText:
		return oneLine(m.String(c.cfg.Version, c.lang))
	}
	return ""
}

// oneLine drops colour escapes (tab, 'C', one character) and the language
// markers, and joins lines, so a message can be quoted in one line.
func oneLine(s string) string {
	s = strings.TrimRight(s, "\n\r ")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\t' && i+2 < len(s) && s[i+1] == 'C':
			i += 2
		case s[i] == '\t' && i+1 < len(s):
			i++
		case s[i] == '\n':
			b.WriteString(" / ")
		case s[i] >= 0x20:
			b.WriteByte(s[i])
		}
	}
	return strings.TrimSpace(b.String())
}
