package config

import (
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
