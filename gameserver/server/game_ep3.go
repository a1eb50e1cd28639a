package server

import (
	"fmt"

	"github.com/psobox/psobox/gameserver/wire"
)

// Episode III games: card trades between two players (EE, the same steps as
// the Episode I&II trade window) and the battle flag (DC), which keeps
// others from joining while a battle runs. The card battle itself runs on
// the consoles' side only as far as psobox is concerned: its server-side
// engine (CA) is not implemented.

// cardTrade is one side of a card trade: what the player offers and
// whether it confirmed.
type cardTrade struct {
	with      uint8 // the other player's slot
	offer     wire.CardTrade
	confirmed bool
}

func ep3GameRoutes() map[uint16]handler {
	return map[uint16]handler{0xEE: onCardTrade, 0xDC: onBattleState}
}

// onCardTrade steps a card trade: D0 offers (the server asks the other
// side for its offer, D1), D2 confirms (both confirmed: each gets the
// other's offer, D3, and success, D4), D4 cancels both sides.
func onCardTrade(c *Client, cmd wire.Command) error {
	var m wire.CardTrade
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	g, slot := c.sess.game, c.sess.lobbySlot
	if g.episode != 3 {
		return fmt.Errorf("card trade outside an Episode III game")
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	switch m.Flag {
	case wire.CardTradeBegin:
		return g.offerCards(slot, &m)
	case wire.CardTradeProceed:
		g.confirmTrade(slot)
	case wire.CardTradeComplete:
		g.cancelTrade(slot)
	default:
		return fmt.Errorf("card trade step %02X", m.Flag)
	}
	return nil
}

// offerCards records an offer. Called with g.mu held.
func (g *Game) offerCards(slot uint8, m *wire.CardTrade) error {
	to := m.TargetClientID
	if m.EntryCount > 4 || to >= gamePlayers || g.members[to] == nil || !g.members[to].Version().IsEp3() {
		return fmt.Errorf("card trade with %d cards to slot %d", m.EntryCount, to)
	}
	g.trades[slot] = &cardTrade{with: uint8(to), offer: *m}
	advance := &wire.CardTrade{Flag: wire.CardTradeAdvance, HasValue: true}
	g.members[to].Send(advance)
	if g.trades[to] != nil {
		g.members[slot].Send(advance)
	}
	return nil
}

// confirmTrade executes the trade once both sides confirmed. Called with
// g.mu held.
func (g *Game) confirmTrade(slot uint8) {
	mine := g.trades[slot]
	if mine == nil || g.members[mine.with] == nil || g.trades[mine.with] == nil {
		return
	}
	mine.confirmed = true
	theirs := g.trades[mine.with]
	if !theirs.confirmed {
		return
	}
	for _, side := range []struct {
		to  uint8
		get *cardTrade
	}{{slot, theirs}, {mine.with, mine}} {
		exec := side.get.offer
		exec.Flag, exec.TargetClientID = wire.CardTradeExecute, uint16(side.to)
		g.members[side.to].Send(&exec)
		g.members[side.to].Send(&wire.CardTrade{Flag: wire.CardTradeComplete, HasValue: true, Value: 1})
	}
	g.trades[slot], g.trades[mine.with] = nil, nil
}

// cancelTrade ends a trade on both sides with a failure (D4 0). Called
// with g.mu held.
func (g *Game) cancelTrade(slot uint8) {
	mine := g.trades[slot]
	if mine == nil {
		return
	}
	g.trades[slot] = nil
	failed := &wire.CardTrade{Flag: wire.CardTradeComplete, HasValue: true}
	g.members[slot].Send(failed)
	if other := g.members[mine.with]; other != nil && g.trades[mine.with] != nil {
		g.trades[mine.with] = nil
		other.Send(failed)
	}
}

// endTradesWith cancels the trades of a leaving player. Called with g.mu
// held, before the player's slot is reused.
func (g *Game) endTradesWith(slot uint8) {
	g.trades[slot] = nil
	for i, t := range g.trades {
		if t != nil && t.with == slot && g.members[i] != nil {
			g.trades[i] = nil
			g.members[i].Send(&wire.CardTrade{Flag: wire.CardTradeComplete, HasValue: true})
		}
	}
}

// onBattleState (DC) says a battle starts (nonzero flag, acknowledged with
// DC 0) or ends.
func onBattleState(c *Client, cmd wire.Command) error {
	if err := c.decodeEmpty(cmd); err != nil {
		return err
	}
	g := c.sess.game
	g.mu.Lock()
	g.battle = cmd.Header.Flag != 0
	g.mu.Unlock()
	if cmd.Header.Flag != 0 {
		return c.Send(&wire.Empty{Cmd: 0xDC})
	}
	return nil
}
