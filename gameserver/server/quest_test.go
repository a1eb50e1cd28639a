package server_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/psobox/psobox/gameserver/client"
	"github.com/psobox/psobox/gameserver/quest"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

// The fixture quest is listed in a game's quest menu for every version it
// has files for, and only there: DC v1, DC v2, PC and GC list it; Xbox has
// no files, so its players are told no quest fits the game.
func TestQuestMenuPerVersion(t *testing.T) {
	srv := questServer(t, questDir(t))
	for _, b := range []questBot{
		{wire.DCV1, 9200, "Dee", ""}, {wire.DCV2, 9200, "Dora", ""}, {wire.PCV2, 9300, "Pam", ""},
		{wire.GCV3, 9103, "Gil", ""}, {wire.XBV3, 9500, "Xan", ""},
	} {
		t.Run(b.v.String(), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			c := b.dial(t, ctx, srv, 0)
			if _, err := c.CreateGame(ctx, client.GameSpec{Name: "Q " + b.name}); err != nil {
				t.Fatal(err)
			}
			cats, err := c.OpenQuestMenu(ctx)
			var refused *client.QuestRefusedError
			if b.v == wire.XBV3 {
				if !errors.As(err, &refused) || !strings.Contains(refused.Message, "No quest can be") {
					t.Errorf("Xbox quest menu: %+v, %v; want a refusal", cats, err)
				}
				return
			}
			if err != nil || len(cats) != 1 || cats[0].Name != "Retrieval" {
				t.Fatalf("categories %+v, %v; want Retrieval alone", cats, err)
			}
			e, err := findQuest(ctx, c, cats, fixtureQuest, false)
			if err != nil || e.Name == "" || e.MenuID != 0x55010155 {
				t.Errorf("quest entry %+v, %v", e, err)
			}
			if info, err := c.QuestInfo(ctx, e); err != nil || info == "" || info == "This quest does\nnot exist." {
				t.Errorf("quest description %q, %v", info, err)
			}
		})
	}
}

// A GameCube game loads the quest: both players get the GC files in their
// language through the window (never more than 4 chunks unacknowledged,
// and the window is used), the bytes decompress to the fixture's, and the
// barrier lets them start; the status page names the quest and nobody
// can join meanwhile.
func TestQuestTransferToGameCubes(t *testing.T) {
	srv := questServer(t, questDir(t))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	leader := questBot{wire.GCV3, 9103, "Gil", "fr"}.dial(t, ctx, srv, 20*time.Millisecond)
	member := questBot{wire.GCV3, 9103, "Gus", "ja"}.dial(t, ctx, srv, 20*time.Millisecond)
	late := questBot{wire.GCV3, 9103, "Late", ""}.dial(t, ctx, srv, 0)
	if _, err := leader.CreateGame(ctx, client.GameSpec{Name: "Heat"}); err != nil {
		t.Fatal(err)
	}
	waitLoaded(t, srv)
	if _, err := member.JoinGame(ctx, "Heat", ""); err != nil {
		t.Fatal(err)
	}
	waitLoaded(t, srv)
	files := playQuest(t, ctx, leader, fixtureQuest)
	checkQuestFiles(t, "leader", files, "retrieval/q058-gc-f.bin", "retrieval/q058-gc.dat")
	memberFiles, err := member.WaitQuest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	checkQuestFiles(t, "member", memberFiles, "retrieval/q058-gc-j.bin", "retrieval/q058-gc.dat")
	for name, c := range map[string]*client.Client{"leader": leader, "member": member} {
		st := c.TransferStats()
		if st.MaxInFlight != 4 || st.Chunks < 10 {
			t.Errorf("%s: %d chunks, at most %d unacknowledged; want the window of 4 used and never exceeded", name, st.Chunks, st.MaxInFlight)
		}
	}
	if gs := srv.Games(); len(gs) != 1 || gs[0].Quest != "Le Heat Sword perdu" {
		t.Errorf("status: %+v", gs)
	}
	_, err = late.JoinGame(ctx, "Heat", "")
	var refused *client.GameRefusedError
	if !errors.As(err, &refused) || !strings.Contains(refused.Message, "quest is in") {
		t.Errorf("joining during the quest: %v", err)
	}
}

// DC v1, DC v2 and PC play together: each gets the files of its own
// version, all at once (they acknowledge nothing and have no barrier).
func TestQuestTransferToDreamcastsAndPC(t *testing.T) {
	srv := questServer(t, questDir(t))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	dc2 := questBot{wire.DCV2, 9200, "Dora", ""}.dial(t, ctx, srv, 0)
	dc1 := questBot{wire.DCV1, 9200, "Dee", ""}.dial(t, ctx, srv, 0)
	pc := questBot{wire.PCV2, 9300, "Pam", ""}.dial(t, ctx, srv, 0)
	if _, err := dc2.CreateGame(ctx, client.GameSpec{Name: "Mixed"}); err != nil {
		t.Fatal(err)
	}
	waitLoaded(t, srv)
	for _, c := range []*client.Client{dc1, pc} {
		if _, err := c.JoinGame(ctx, "Mixed", ""); err != nil {
			t.Fatal(err)
		}
		waitLoaded(t, srv)
	}
	checkQuestFiles(t, "DC v2", playQuest(t, ctx, dc2, fixtureQuest), "retrieval/q058-dc-e.bin", "retrieval/q058-dc.dat")
	for name, c := range map[string]*client.Client{"DC v1": dc1, "PC": pc} {
		files, err := c.WaitQuest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		token := map[string]string{"DC v1": "d1", "PC": "pc"}[name]
		checkQuestFiles(t, name, files, "retrieval/q058-"+token+"-e.bin", "retrieval/q058-"+token+".dat")
	}
}

// A game with an Xbox lists nothing for the GameCube either: the quest has
// no Xbox files, and every member must be able to load it.
func TestQuestMenuFiltersByMembers(t *testing.T) {
	srv := questServer(t, questDir(t))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	gc := questBot{wire.GCV3, 9103, "Gil", ""}.dial(t, ctx, srv, 0)
	xb := questBot{wire.XBV3, 9500, "Xan", ""}.dial(t, ctx, srv, 0)
	if _, err := gc.CreateGame(ctx, client.GameSpec{Name: "Cube and Box"}); err != nil {
		t.Fatal(err)
	}
	if cats, err := gc.OpenQuestMenu(ctx); err != nil || len(cats) != 1 {
		t.Fatalf("alone: %+v, %v", cats, err)
	}
	if _, err := xb.JoinGame(ctx, "Cube and Box", ""); err == nil {
		t.Fatal("joined while the leader chooses a quest")
	}
	if err := gc.CloseQuestMenu(); err != nil {
		t.Fatal(err)
	}
	// A description is answered once the A9 sent before it was handled.
	if _, err := gc.QuestInfo(ctx, client.QuestMenuEntry{MenuID: 0x55010155, ItemID: fixtureQuest}); err != nil {
		t.Fatal(err)
	}
	if _, err := xb.JoinGame(ctx, "Cube and Box", ""); err != nil {
		t.Fatal(err)
	}
	_, err := gc.OpenQuestMenu(ctx)
	var refused *client.QuestRefusedError
	if !errors.As(err, &refused) {
		t.Errorf("with an Xbox in the game: %v, want a refusal", err)
	}
}

// Download quests come from the main menu in download form: decrypted,
// they decompress to the original files. A GameCube downloads through
// the window too.
func TestDownloadQuests(t *testing.T) {
	srv := questServer(t, questDir(t))
	for _, tc := range []struct {
		bot      questBot
		number   uint32
		bin, dat string
		window   bool
	}{
		{questBot{wire.DCV2, 9200, "Dora", ""}, fixtureDL, "download/q050-dc-e.bin", "download/q050-dc.dat", false},
		{questBot{wire.GCV3, 9103, "Gil", "de"}, fixtureGCAsDL, "retrieval/q058-gc-f.bin", "retrieval/q058-gc.dat", true},
	} {
		t.Run(tc.bot.v.String(), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			c, err := client.Dial(ctx, srv.Addr(tc.bot.port), client.Config{Version: tc.bot.v, Lang: tc.bot.lang, QuestAckDelay: 20 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			cats, err := c.OpenDownloadMenu(ctx)
			if err != nil {
				t.Fatal(err)
			}
			e, err := findQuest(ctx, c, cats, tc.number, true)
			if err != nil {
				t.Fatalf("quest %d in %+v: %v", tc.number, cats, err)
			}
			if _, err := c.ChooseQuestEntry(ctx, e, true); err != nil {
				t.Fatal(err)
			}
			files, err := c.WaitDownload(ctx)
			if err != nil {
				t.Fatal(err)
			}
			checkDownload(t, tc.bot.v, c.Player().Language, files, tc.bin, tc.dat)
			if st := c.TransferStats(); tc.window && st.MaxInFlight != 4 {
				t.Errorf("GC download: at most %d chunks unacknowledged, want 4", st.MaxInFlight)
			}
		})
	}
}

// checkDownload: decrypted, the files decompress to the fixture files,
// the script in the downloader's language (a download keeps the
// language it was saved in).
func checkDownload(t *testing.T, v wire.Version, lang text.Language, files []client.QuestFile, bin, dat string) {
	t.Helper()
	if len(files) != 2 {
		t.Fatalf("%d files, want 2", len(files))
	}
	script, err := quest.SetHeaderLanguage(v, fixtureInflated(t, bin), lang)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{".bin": script, ".dat": fixtureInflated(t, dat)}
	for _, f := range files {
		plain, err := quest.DecodeDownload(f.Data, maxQuestInflow)
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if !bytes.Equal(inflate(t, plain), want[filepath.Ext(f.Name)]) {
			t.Errorf("%s does not decode to the fixture's %s", f.Name, filepath.Ext(f.Name))
		}
	}
}

// Without quests the counter says so, and the main menu offers no
// downloads.
func TestNoQuestsInstalled(t *testing.T) {
	srv := questServer(t, "")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := client.Dial(ctx, srv.Addr(9103), client.Config{Version: wire.GCV3})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.OpenDownloadMenu(ctx); err == nil {
		t.Error("the main menu offers download quests without any")
	}
	if _, err := c.Lobby(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateGame(ctx, client.GameSpec{Name: "Empty"}); err != nil {
		t.Fatal(err)
	}
	_, err = c.OpenQuestMenu(ctx)
	var refused *client.QuestRefusedError
	if !errors.As(err, &refused) || !strings.Contains(refused.Message, "No quests are installed") {
		t.Errorf("quest menu without quests: %v", err)
	}
}

// Missing and corrupt quest files are reported at load and skipped; the
// server starts and serves what is left.
func TestBrokenQuestFilesAreSkipped(t *testing.T) {
	dir := questDir(t)
	truncate(t, filepath.Join(dir, "retrieval/q058-gc.dat"), 14735) // inside its last command
	remove(t, filepath.Join(dir, "retrieval/q058-pc.dat"))
	srv := questServer(t, dir)
	var files []string
	for _, p := range srv.QuestProblems() {
		files = append(files, p.File)
	}
	slices.Sort(files)
	if want := []string{"retrieval/q058-gc-f.bin", "retrieval/q058-gc-j.bin", "retrieval/q058-pc-e.bin"}; !slices.Equal(files, want) {
		t.Errorf("problems %v, want %v", srv.QuestProblems(), want)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	checkMenu := func(b questBot, listed bool) {
		c := b.dial(t, ctx, srv, 0)
		if _, err := c.CreateGame(ctx, client.GameSpec{Name: b.name}); err != nil {
			t.Fatal(err)
		}
		_, err := c.OpenQuestMenu(ctx)
		if (err == nil) != listed {
			t.Errorf("%v: quest menu error %v, want listed=%v", b.v, err, listed)
		}
	}
	checkMenu(questBot{wire.DCV2, 9200, "Dora", ""}, true)
	checkMenu(questBot{wire.GCV3, 9103, "Gil", ""}, false)
	checkMenu(questBot{wire.PCV2, 9300, "Pam", ""}, false)
}

// An unreadable quest directory leaves the server without quests, and
// running.
func TestUnreadableQuestDirStillStarts(t *testing.T) {
	file := filepath.Join(t.TempDir(), "not-a-dir")
	copyFile(t, filepath.Join(questDir(t), "retrieval/q058.json"), file)
	srv := questServer(t, file)
	if srv.QuestCount() != 0 {
		t.Errorf("%d quests from a file", srv.QuestCount())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	questBot{wire.GCV3, 9103, "Gil", ""}.dial(t, ctx, srv, 0)
}
