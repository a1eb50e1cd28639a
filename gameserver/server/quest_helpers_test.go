package server_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/client"
	"github.com/psobox/psobox/gameserver/prs"
	"github.com/psobox/psobox/gameserver/server"
	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/internal/testenv"
)

// The fixture quests: a retail online quest for DC v1, DC v2, PC, GC and
// BB, and a DC download quest.
const (
	fixtureQuest   = 58
	fixtureDL      = 50
	fixtureGCAsDL  = 60 // the GC files of quest 58 copied as a download quest
	maxQuestInflow = 1 << 20
)

// questDir builds a quest directory in a temp dir from the fixture quests
// (the fixtures are never copied into the repository).
func questDir(t testing.TB) string {
	t.Helper()
	src, dst := testenv.FixturesDir(t, "quests"), t.TempDir()
	for _, f := range []string{"retrieval/q058-d1-e.bin", "retrieval/q058-d1.dat", "retrieval/q058-dc-e.bin",
		"retrieval/q058-dc.dat", "retrieval/q058-pc-e.bin", "retrieval/q058-pc.dat", "retrieval/q058-gc-f.bin",
		"retrieval/q058-gc-j.bin", "retrieval/q058-gc.dat", "retrieval/q058.json",
		"download/q050-dc-e.bin", "download/q050-dc.dat"} {
		copyFile(t, filepath.Join(src, f), filepath.Join(dst, f))
	}
	copyFile(t, filepath.Join(src, "retrieval/q058-gc-f.bin"), filepath.Join(dst, "download/q060-gc-f.bin"))
	copyFile(t, filepath.Join(src, "retrieval/q058-gc.dat"), filepath.Join(dst, "download/q060-gc.dat"))
	return dst
}

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// fixtureInflated is a fixture quest file, decompressed.
func fixtureInflated(t testing.TB, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testenv.FixturesDir(t, "quests"), rel))
	if err != nil {
		t.Fatal(err)
	}
	return inflate(t, data)
}

func inflate(t testing.TB, data []byte) []byte {
	t.Helper()
	out, err := prs.Decompress(data, maxQuestInflow)
	if err != nil {
		t.Fatalf("decompressing %d bytes: %v", len(data), err)
	}
	return out
}

// questServer runs a server with the quest directory dir.
func questServer(t testing.TB, dir string) *servertest.Server {
	o := servertest.Options()
	failOnPanic(t, &o)
	o.QuestDir = dir
	return servertest.Start(t, o)
}

// questBot is a bot of version v (on its port), in a lobby.
type questBot struct {
	v    wire.Version
	port int
	name string
	lang string
}

func (b questBot) dial(t testing.TB, ctx context.Context, srv *servertest.Server, delay time.Duration) *client.Client {
	t.Helper()
	c, err := client.Dial(ctx, srv.Addr(b.port), client.Config{Version: b.v, Name: b.name, Lang: b.lang, QuestAckDelay: delay})
	if err != nil {
		t.Fatalf("%s: %v", b.name, err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.Lobby(ctx); err != nil {
		t.Fatalf("%s: %v", b.name, err)
	}
	return c
}

// findQuest walks the quest menu from its categories to quest n and
// returns its entry; an error is the server's refusal.
func findQuest(ctx context.Context, c *client.Client, cats []client.QuestMenuEntry, n uint32, download bool) (client.QuestMenuEntry, error) {
	for _, cat := range cats {
		list, err := c.ChooseQuestEntry(ctx, cat, download)
		if err != nil {
			return client.QuestMenuEntry{}, err
		}
		for _, e := range list {
			if e.ItemID == n {
				return e, nil
			}
		}
	}
	return client.QuestMenuEntry{}, errNotListed
}

var errNotListed = errors.New("quest not listed")

// playQuest has the leader c open the quest menu, pick quest n and load
// it; it returns the files it received.
func playQuest(t testing.TB, ctx context.Context, c *client.Client, n uint32) []client.QuestFile {
	t.Helper()
	cats, err := c.OpenQuestMenu(ctx)
	if err != nil {
		t.Fatalf("quest menu: %v", err)
	}
	e, err := findQuest(ctx, c, cats, n, false)
	if err != nil {
		t.Fatalf("quest %d: %v (categories %+v)", n, err, cats)
	}
	if menu, err := c.ChooseQuestEntry(ctx, e, false); err != nil || menu != nil {
		t.Fatalf("choosing quest %d: menu %+v, %v", n, menu, err)
	}
	files, err := c.WaitQuest(ctx)
	if err != nil {
		t.Fatalf("loading quest %d: %v", n, err)
	}
	return files
}

// checkQuestFiles checks that files are the .bin and .dat of the fixture
// files bin and dat once decompressed.
func checkQuestFiles(t testing.TB, who string, files []client.QuestFile, bin, dat string) {
	t.Helper()
	want := map[string][]byte{".bin": fixtureInflated(t, bin), ".dat": fixtureInflated(t, dat)}
	if len(files) != 2 {
		t.Fatalf("%s received %d files, want 2", who, len(files))
	}
	for _, f := range files {
		ext := filepath.Ext(f.Name)
		if got := inflate(t, f.Data); !bytes.Equal(got, want[ext]) {
			t.Errorf("%s: %s decompresses to %d bytes that differ from %s's %d", who, f.Name, len(got), map[string]string{".bin": bin, ".dat": dat}[ext], len(want[ext]))
		}
		delete(want, ext)
	}
	if len(want) != 0 {
		t.Errorf("%s: files missing: %v", who, want)
	}
}

// waitLoaded waits until the server has every joiner's 6F: a bot's join
// returns when it sent it, and another join meanwhile would be refused.
func waitLoaded(t testing.TB, srv *servertest.Server) {
	t.Helper()
	deadline := time.Now().Add(ioTimeout)
	for slices.ContainsFunc(srv.Games(), func(g server.GameSummary) bool { return g.Loading }) {
		if time.Now().After(deadline) {
			t.Fatal("a player is still loading")
		}
		time.Sleep(time.Millisecond)
	}
}

func truncate(t testing.TB, path string, n int64) {
	t.Helper()
	if err := os.Truncate(path, n); err != nil {
		t.Fatal(err)
	}
}

func remove(t testing.TB, path string) {
	t.Helper()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
}
