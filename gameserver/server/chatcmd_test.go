package server_test

import (
	"testing"

	"github.com/psobox/psobox/gameserver/client"
	"github.com/psobox/psobox/gameserver/server"
	"github.com/psobox/psobox/gameserver/wire"
)

// TestChatCommandsAnswerPrivately: commands are answered to the asker
// alone (B0; DC NTE, which has no B0, gets a lobby message box) and never
// shown to the lobby; an unknown one gets a hint; a doubled prefix says
// the line with one prefix.
func TestChatCommandsAnswerPrivately(t *testing.T) {
	srv := socialServer(t, nil)
	ctx := testCtx(t)
	gc := bot(t, ctx, srv, wire.GCV3, "Asker", "en")
	dc := bot(t, ctx, srv, wire.DCV2, "Other", "en")
	nte := bot(t, ctx, srv, wire.DCNTE, "Proto", "ja")
	waitRoster(t, ctx, gc, 3)

	for _, tc := range []struct{ say, want string }{
		{"$help", "$who - who is in your lobby"},
		{"$who", "Here (3): Asker (GC Ep1&2), Other (DC v2), Proto (DC NTE)"},
		{"$players", "Online: 3"},
		{"$info", "Lobby 1, 3 players"},
		{"$time", "Server time: "},
		{"$uptime", "players online"},
		{"$bbchar", "Blue Burst is not supported"},
		{"$nope", "Unknown command $nope.\nType $help for the commands."},
	} {
		gc.Chat(tc.say)
		if m := waitMessage(t, ctx, gc, tc.want); m.Cmd != 0xB0 {
			t.Errorf("%s answered with %02X, want B0", tc.say, m.Cmd)
		}
	}
	noEvent[*client.Chat](t, dc, "a chat command shown to others")

	gc.Chat("$$5 a ticket")
	if got := waitChat(t, ctx, dc, gc.GuildCard()); got.Text != "$5 a ticket" {
		t.Errorf("doubled prefix: others read %q", got.Text)
	}
	nte.Chat("$uptime")
	if m := waitMessage(t, ctx, nte, "players online"); m.Cmd != 0x01 {
		t.Errorf("DC NTE got the answer in %02X, want 01", m.Cmd)
	}
}

// TestChatCommandPrefixIsConfigurable: another prefix, or commands off.
func TestChatCommandPrefixIsConfigurable(t *testing.T) {
	for _, tc := range []struct {
		name     string
		opts     func(o *server.Options)
		command  string
		chatting string
	}{
		{"slash", func(o *server.Options) { o.ChatCommandPrefix = "/" }, "/time", "$time"},
		{"off", func(o *server.Options) { o.ChatCommands = false }, "", "$time"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := socialServer(t, tc.opts)
			ctx := testCtx(t)
			a := bot(t, ctx, srv, wire.GCV3, "Ann", "en")
			b := bot(t, ctx, srv, wire.PCV2, "Bob", "en")
			if tc.command != "" {
				a.Chat(tc.command)
				waitMessage(t, ctx, a, "Server time")
			}
			a.Chat(tc.chatting)
			if got := waitChat(t, ctx, b, a.GuildCard()); got.Text != tc.chatting {
				t.Errorf("others read %q, want %q", got.Text, tc.chatting)
			}
		})
	}
}
