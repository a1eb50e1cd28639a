package server

import (
	"fmt"
	"strings"
	"time"
)

// Chat commands: a line that starts with Options.ChatCommandPrefix (when
// Options.ChatCommands is on) is a question to the server, answered to the
// asker alone and never shown to the others. The prefix typed twice says
// the line with one prefix.

// chatCommand is one command players can type.
type chatCommand struct {
	names []string // first is the name shown in $help
	help  string
	run   func(c *Client, args []string) string
}

// chatCommands lists the commands. A function, not a variable: $help
// reads the table.
func chatCommands() []chatCommand {
	return []chatCommand{
		{[]string{"help"}, "this list", cmdHelp},
		{[]string{"info"}, "where you are", cmdInfo},
		{[]string{"who", "players"}, "who is in your lobby", cmdWho},
		{[]string{"time"}, "the server's time", cmdTime},
		{[]string{"uptime"}, "how long the server has run", cmdUptime},
		{[]string{"bbchar"}, "about Blue Burst characters", cmdBBChar},
	}
}

// chatCommand splits a chat line: the command text without its prefix and
// true for a command; the line with one prefix fewer and false for a
// doubled prefix; "" and false for ordinary chat.
func (c *Client) chatCommand(line string) (string, bool) {
	p := c.srv.opts.ChatCommandPrefix
	switch {
	case !c.srv.opts.ChatCommands || !strings.HasPrefix(line, p):
		return "", false
	case strings.HasPrefix(line[len(p):], p):
		return line[len(p):], false
	}
	return line[len(p):], true
}

// runChatCommand answers a chat command privately.
func (c *Client) runChatCommand(s string) error {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return c.privateMessage(c.commandHint(""))
	}
	name := strings.ToLower(fields[0])
	for _, cmd := range chatCommands() {
		for _, n := range cmd.names {
			if n == name {
				c.log.Info("chat command", "command", name)
				return c.privateMessage(cmd.run(c, fields[1:]))
			}
		}
	}
	return c.privateMessage(c.commandHint(name))
}

func (c *Client) commandHint(name string) string {
	p := c.srv.opts.ChatCommandPrefix
	if name == "" {
		return fmt.Sprintf("Type %shelp for the commands.", p)
	}
	return fmt.Sprintf("Unknown command %s%s.\nType %shelp for the commands.", p, name, p)
}

func cmdHelp(c *Client, _ []string) string {
	p := c.srv.opts.ChatCommandPrefix
	var b strings.Builder
	b.WriteString("Commands:")
	for _, cmd := range chatCommands() {
		fmt.Fprintf(&b, "\n%s%s - %s", p, cmd.names[0], cmd.help)
	}
	fmt.Fprintf(&b, "\n%s%s says %s", p, p, p)
	return b.String()
}

func cmdInfo(c *Client, _ []string) string {
	return fmt.Sprintf("%s\n%s\nYou: %s, guild card %d", c.srv.opts.ServerName, c.whereabouts(), VersionLabel(c.Version()), c.GuildCard())
}

// whereabouts names the game or lobby c is in and how many players it has.
func (c *Client) whereabouts() string {
	if g := c.sess.game; g != nil {
		g.mu.Lock()
		n := g.count()
		g.mu.Unlock()
		return fmt.Sprintf("Game %s, %d players", g.name, n)
	}
	if l := c.sess.lobby; l != nil {
		return fmt.Sprintf("%s, %d players", l.Name(), l.Count())
	}
	return "the menus"
}

// cmdWho lists the players of the asker's lobby with their versions.
func cmdWho(c *Client, _ []string) string {
	r := c.currentRoom()
	if r == nil {
		return "You are not in a lobby."
	}
	var names []string
	r.each(nil, func(m *Client, _ uint8) {
		names = append(names, fmt.Sprintf("%s (%s)", nameOf(m), VersionLabel(m.Version())))
	})
	return fmt.Sprintf("Here (%d): %s\nOnline: %d", len(names), strings.Join(names, ", "), c.srv.Clients())
}

func cmdTime(c *Client, _ []string) string {
	return "Server time: " + c.srv.opts.Now().Format("2006-01-02 15:04:05 MST")
}

func cmdUptime(c *Client, _ []string) string {
	up := c.srv.opts.Now().Sub(c.srv.started).Truncate(time.Second)
	return fmt.Sprintf("Up %s, %d players online.", up, c.srv.Clients())
}

func cmdBBChar(c *Client, _ []string) string {
	return "Blue Burst is not supported\non this server: there is no\nBlue Burst character to\nconvert or save to."
}
