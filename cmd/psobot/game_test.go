package main

import (
	"strings"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/server/servertest"
)

// A host creates a game and stays in it; a guest joins it, sees the host,
// and leaves; the host leaves after -stay.
func TestCreateAndJoinGame(t *testing.T) {
	srv := servertest.Start(t, servertest.Options())
	addr := srv.Addr(9103)
	type result struct {
		out string
		err error
	}
	host := make(chan result, 1)
	go func() {
		out, _, err := runPsobot(t, "-q", "-server", addr, "-name", "Host", "-level", "20", "-game", "Forest", "-difficulty", "hard", "-episode", "2", "-stay", "1s", "create-game")
		host <- result{out, err}
	}()
	deadline := time.Now().Add(10 * time.Second)
	for len(srv.Games()) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	out, _, err := runPsobot(t, "-q", "-server", addr, "-name", "Guest", "-level", "20", "-game", "Forest", "join-game")
	if err != nil {
		t.Fatalf("join-game: %v", err)
	}
	for _, want := range []string{`ok: joined game "Forest" (Hard, Episode 2) as client 1 with Host (0), Guest (1)`, "ok: left the game for lobby"} {
		if !strings.Contains(out, want) {
			t.Errorf("join-game printed:\n%s\nwant %q", out, want)
		}
	}
	r := <-host
	if r.err != nil {
		t.Fatalf("create-game: %v", r.err)
	}
	for _, want := range []string{`ok: created game "Forest" (Hard, Episode 2, leader) as client 0`, "after 1s: Host (0) in the game, client 0 leads", "ok: left the game for lobby"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("create-game printed:\n%s\nwant %q", r.out, want)
		}
	}
}

func TestGameVerbErrors(t *testing.T) {
	srv := servertest.Start(t, servertest.Options())
	if _, _, err := runPsobot(t, "-difficulty", "insane", "create-game"); exitCode(err) != 2 {
		t.Errorf("bad -difficulty: exit %d (%v), want 2", exitCode(err), err)
	}
	_, _, err := runPsobot(t, "-q", "-server", srv.Addr(9103), "-game", "Nowhere", "join-game")
	if exitCode(err) != 1 || !strings.Contains(err.Error(), `no game "Nowhere"`) {
		t.Errorf("joining a missing game: %v", err)
	}
}
