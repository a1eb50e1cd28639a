package server

import (
	"time"

	"github.com/psobox/psobox/gameserver/wire"
)

// playerTag marks a present player in 04 and rosters.
const playerTag = 0x00010000

// isPreV1 reports DC NTE and the 11/2000 prototype, which have no server
// time, no player data request before the lobby, no 97, and want an 04
// before every menu.
func isPreV1(v wire.Version) bool { return v == wire.DCNTE || v == wire.DC112000 }

func menuRoutes() map[uint16]handler {
	return map[uint16]handler{
		0x61: on61, 0x96: on96, 0x99: on99, 0xB1: onB1, 0xD6: onD6, 0x1D: on1D,
		0x09: on09, 0xB7: onEp3Ack, 0xB8: onEp3Ack, 0xBA: onMeseta, 0x05: on05,
	}
}

// loginComplete: the licence is accepted. Send the guild card number, then
// the time and the player data request, then the menus.
func (c *Client) loginComplete() error {
	c.sess.phase = phaseMenu
	c.startPings()
	c.log.Info("logged in", "version", c.Version(), "release", releaseName(c.sess.subVersion), "guild_card", c.GuildCard())
	if err := c.Send(c.clientConfig()); err != nil {
		return err
	}
	v := c.Version()
	if (v.IsV3() || v == wire.BBV4) && c.srv.opts.MenuEvent != 0 {
		c.Send(&wire.Empty{Cmd: 0xDA, Flag: uint32(c.srv.opts.MenuEvent)})
	}
	if isPreV1(v) {
		return c.showMenus()
	}
	c.Send(c.serverTime())
	return c.requestPlayer(c.afterPlayerData)
}

// clientConfig is 04: the guild card number, and on V3 a blank client
// config the console keeps and returns in later logins.
func (c *Client) clientConfig() *wire.UpdateClientConfig {
	m := &wire.UpdateClientConfig{PlayerTag: playerTag, GuildCard: c.GuildCard()}
	for i := range m.Config {
		m.Config[i] = 0xFF
	}
	return m
}

func (c *Client) serverTime() *wire.ServerTime {
	return wire.NewServerTime(c.srv.opts.Now().UTC().Format("2006:01:02: 15:04:05.000"))
}

// requestPlayer asks for the character (95, DC NTE: 8D) and runs next when
// the 61 arrives.
func (c *Client) requestPlayer(next func() error) error {
	cmd := uint16(0x95)
	if c.Version() == wire.DCNTE {
		cmd = 0x8D
	}
	c.sess.awaitPlayer = next
	return c.Send(&wire.Empty{Cmd: cmd})
}

func (c *Client) afterPlayerData() error {
	if c.Version().IsEp3() {
		c.sendEp3Login()
	}
	return c.showMenus()
}

// sendEp3Login sends Episode III's rank, the card list when the user gave
// one, and (final release only) the empty tournament entry.
func (c *Client) sendEp3Login() {
	c.Send(&wire.RankUpdate{UnlockedJukeboxSongs: 0xFFFFFFFF})
	if defs := c.srv.ep3Cards; defs != nil && c.Version() == wire.GCEp3 {
		c.Send(&wire.CardDefinitions{Size: uint32(len(defs)), Data: defs})
	}
	if c.Version() == wire.GCEp3 {
		c.Send(&wire.TournamentEntry{})
	}
}

// showMenus shows the welcome message to GameCube players (the main menu
// follows their D6), otherwise the main menu.
func (c *Client) showMenus() error {
	if c.sess.welcome && c.srv.opts.WelcomeMessage != "" {
		c.sess.atWelcome = true
		return c.messageBox(c.srv.opts.WelcomeMessage)
	}
	return c.sendMainMenu()
}

func on61(c *Client, cmd wire.Command) error {
	layout := c.Version()
	if layout.IsEp3() && cmd.Header.Flag != 4 {
		// The Episode III trial edition sends the Episode I&II layout.
		if err := c.switchVersion(wire.GCEp3NTE); err != nil {
			return err
		}
		layout = wire.GCV3
	}
	var m wire.CharacterData
	if err := wire.DecodeInto(layout, cmd.Header, cmd.Payload, &m); err != nil {
		return err
	}
	p := m.Player(layout, c.GuildCard())
	c.player.Store(&p)
	c.loadProfile(&p)
	c.records.Store(&records{version: layout, data: m.Records})
	c.sess.lang = p.Language
	next := c.sess.awaitPlayer
	c.sess.awaitPlayer = nil
	if next != nil {
		return next()
	}
	return nil
}

func on96(c *Client, cmd wire.Command) error {
	var m wire.CharSaveInfo
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	c.sess.enableSave = true
	return nil
}

func on99(c *Client, cmd wire.Command) error {
	if err := c.decodeEmpty(cmd); err != nil {
		return err
	}
	next := c.sess.awaitSave
	c.sess.awaitSave = nil
	if next != nil {
		return next()
	}
	return nil
}

func onB1(c *Client, cmd wire.Command) error {
	if err := c.decodeEmpty(cmd); err != nil {
		return err
	}
	return c.Send(c.serverTime())
}

func onD6(c *Client, cmd wire.Command) error {
	if err := c.decodeEmpty(cmd); err != nil {
		return err
	}
	switch {
	case c.sess.inInfoMenu:
		return c.sendInfoMenu()
	case c.sess.atWelcome:
		c.sess.atWelcome = false
		return c.sendMainMenu()
	}
	return nil
}

// on1D is a ping answer; receiving it already reset the idle timeout.
func on1D(c *Client, cmd wire.Command) error { return c.decodeEmpty(cmd) }

// onEp3Ack: Episode III confirms B7 and B8 with empty commands.
func onEp3Ack(c *Client, cmd wire.Command) error { return c.decodeEmpty(cmd) }

// newPingTimer makes the client's ping timer, stopped: pings start with
// the login. One timer per client, no goroutine.
func (c *Client) newPingTimer() {
	c.pingTimer = time.AfterFunc(time.Hour, c.ping)
	c.pingTimer.Stop()
}

func (c *Client) ping() {
	c.out.trim()
	if c.Send(&wire.Empty{Cmd: 0x1D}) == nil {
		c.pingTimer.Reset(c.srv.opts.PingInterval)
	}
}

// onMeseta answers Episode III's meseta transactions (the lobby jukebox):
// psobox keeps no Ep3 meseta, so everything is free and the balance stays 0.
func onMeseta(c *Client, cmd wire.Command) error {
	var m wire.MesetaTransaction
	if err := c.decode(cmd, &m); err != nil {
		return err
	}
	return c.Send(&wire.MesetaTransaction{Flag: 3, RequestToken: m.RequestToken})
}

// on05: Xbox Live keeps the connection open when the player quits, and
// says so with 05.
func on05(c *Client, cmd wire.Command) error {
	if err := c.decodeEmpty(cmd); err != nil {
		return err
	}
	c.sess.quit = true
	return nil
}

func (c *Client) startPings() { c.pingTimer.Reset(c.srv.opts.PingInterval) }

func (c *Client) stopPings() { c.pingTimer.Stop() }
