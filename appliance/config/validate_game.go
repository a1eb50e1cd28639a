package config

import (
	"fmt"
	"time"
)

// maxWelcome bounds the welcome message: PSO's message boxes are small and
// the text is sent to every client at login.
const maxWelcome = 1024

func (c *Config) checkGame() error {
	g := c.Game
	if err := oneOf("game.accounts", g.Accounts, "open", "registered"); err != nil {
		return err
	}
	if n := runeCount(g.ServerName); n == 0 || n > 16 || !printableASCII(g.ServerName) {
		return refuse("game.server_name", g.ServerName, "must be 1 to 16 printable ASCII characters")
	}
	if runeCount(g.WelcomeMessage) > maxWelcome {
		return refuse("game.welcome_message", g.WelcomeMessage, "must be at most 1024 characters")
	}
	if err := c.checkGameListen(); err != nil {
		return err
	}
	if err := intIn("game.max_clients", g.MaxClients, 1, 20000); err != nil {
		return err
	}
	if err := intIn("game.max_per_ip", g.MaxPerIP, 1, 1000); err != nil {
		return err
	}
	if err := c.checkGameTimers(); err != nil {
		return err
	}
	if p := g.ChatCommandPrefix; len(p) != 1 || p[0] <= ' ' || p[0] > '~' {
		return refuse("game.chat_command_prefix", p, `must be one printable ASCII character such as "$" or "/"`)
	}
	return nil
}

// checkGameListen keeps the game server reachable where DNS sends the
// consoles: in island and home mode that is the sentinel.
func (c *Config) checkGameListen() error {
	l := c.Game.Listen
	switch {
	case !l.IsValid():
		return nil
	case !l.Is4():
		return refuse("game.listen", l, `must be "" or an IPv4 address: PSO clients speak IPv4 only`)
	case c.Mode != Server && l != c.Network.Sentinel:
		return refuse("game.listen", l, fmt.Sprintf(
			`must be "" or network.sentinel (%s) in %s mode: consoles connect to the sentinel`, c.Network.Sentinel, c.Mode))
	}
	return nil
}

func (c *Config) checkGameTimers() error {
	g := c.Game
	if err := durationIn("game.ping_interval", g.PingInterval, time.Second, 10*time.Minute); err != nil {
		return err
	}
	if g.IdleTimeout.Duration <= g.PingInterval.Duration || g.IdleTimeout.Duration > time.Hour {
		return refuse("game.idle_timeout", g.IdleTimeout,
			"must be longer than game.ping_interval ("+formatDuration(g.PingInterval.Duration)+") and at most 1h")
	}
	return durationIn("game.login_timeout", g.LoginTimeout, time.Second, 10*time.Minute)
}
