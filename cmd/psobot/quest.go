package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/psobox/psobox/gameserver/client"
	"github.com/psobox/psobox/gameserver/prs"
	"github.com/psobox/psobox/gameserver/quest"
)

// questFlags are the flags of the quest verb.
type questFlags struct {
	download bool
}

func addQuestFlags(fs *flag.FlagSet, cfg *client.Config) *questFlags {
	q := &questFlags{}
	fs.BoolVar(&q.download, "download", false, "quest: a download quest from the main menu, not an online quest in a game")
	fs.DurationVar(&cfg.QuestAckDelay, "ack-delay", 0, "quest (V3): hold chunk acknowledgements until the server has been quiet this long, to see its flow control")
	return q
}

// maxQuestFile bounds what a quest file may decompress to.
const maxQuestFile = 1 << 20

// maxListedQuests bounds the quests an error names.
const maxListedQuests = 12

// runQuest loads a quest by name or number: online, in a game it creates,
// or with -download from the main menu. It checks that every file
// decompresses and prints their sizes.
func runQuest(ctx context.Context, s *session) error {
	c, err := s.dial(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	download := s.opts.quest.download
	if !download {
		if _, err := c.Lobby(ctx); err != nil {
			return err
		}
		if _, err := c.CreateGame(ctx, s.opts.game.spec()); err != nil {
			return err
		}
	}
	files, e, err := loadQuest(ctx, c, s.args[0], download)
	if err != nil {
		return err
	}
	if err := printQuest(s, c, e, files, download); err != nil {
		return err
	}
	if download {
		return nil
	}
	return s.stayThenLeave(ctx, c)
}

// loadQuest opens the quest menu (online in the client's game, or the
// download menu), finds want, picks it and waits for its files.
func loadQuest(ctx context.Context, c *client.Client, want string, download bool) ([]client.QuestFile, client.QuestMenuEntry, error) {
	var cats []client.QuestMenuEntry
	var err error
	if download {
		cats, err = c.OpenDownloadMenu(ctx)
	} else {
		cats, err = c.OpenQuestMenu(ctx)
	}
	if err != nil {
		return nil, client.QuestMenuEntry{}, err
	}
	e, err := findQuestEntry(ctx, c, cats, want, download)
	if err != nil {
		return nil, e, err
	}
	if menu, err := c.ChooseQuestEntry(ctx, e, download); err != nil {
		return nil, e, err
	} else if menu != nil {
		return nil, e, fmt.Errorf("the server answered quest %d with another menu (%d entries)", e.ItemID, len(menu))
	}
	var files []client.QuestFile
	if download {
		files, err = c.WaitDownload(ctx)
	} else {
		files, err = c.WaitQuest(ctx)
	}
	return files, e, err
}

// findQuestEntry looks through every category for want: a quest number,
// or a name (case-insensitive; a unique part of one will do).
func findQuestEntry(ctx context.Context, c *client.Client, cats []client.QuestMenuEntry, want string, download bool) (client.QuestMenuEntry, error) {
	number, byNumber := strconv.ParseUint(want, 10, 32)
	var seen []string
	var partial []client.QuestMenuEntry
	for _, cat := range cats {
		list, err := c.ChooseQuestEntry(ctx, cat, download)
		if err != nil {
			return client.QuestMenuEntry{}, err
		}
		for _, e := range list {
			seen = append(seen, fmt.Sprintf("%d %s", e.ItemID, e.Name))
			switch {
			case byNumber == nil && uint64(e.ItemID) == number, strings.EqualFold(e.Name, want):
				return e, nil
			case strings.Contains(strings.ToLower(e.Name), strings.ToLower(want)):
				partial = append(partial, e)
			}
		}
	}
	if len(partial) == 1 {
		return partial[0], nil
	}
	if len(seen) > maxListedQuests {
		seen = append(seen[:maxListedQuests], fmt.Sprintf("and %d more", len(seen)-maxListedQuests))
	}
	return client.QuestMenuEntry{}, fmt.Errorf("no quest %q in the menu (%s)", want, strings.Join(seen, "; "))
}

// printQuest checks and prints the files of a quest.
func printQuest(s *session, c *client.Client, e client.QuestMenuEntry, files []client.QuestFile, download bool) error {
	kind := "quest"
	if download {
		kind = "download quest"
	}
	fmt.Fprintf(s.out, "ok: %s %d %q: %d files in %s\n", kind, e.ItemID, e.Name, len(files), s.elapsed())
	for _, f := range files {
		size, err := checkQuestFile(f, download)
		if err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
		fmt.Fprintf(s.out, "  %s: %d bytes, %d decompressed\n", f.Name, len(f.Data), size)
	}
	if st := c.TransferStats(); st.Chunks > 0 {
		fmt.Fprintf(s.out, "  %d chunks acknowledged, at most %d unacknowledged at once\n", st.Chunks, st.MaxInFlight)
	}
	return nil
}

// checkQuestFile checks that a file came whole and decompresses (a
// download once decrypted); it returns the decompressed size. Images
// (.pvr) travel as they are.
func checkQuestFile(f client.QuestFile, download bool) (int, error) {
	if uint32(len(f.Data)) != f.Size {
		return 0, fmt.Errorf("got %d bytes of %d", len(f.Data), f.Size)
	}
	data := f.Data
	if filepath.Ext(f.Name) == ".pvr" {
		return len(data), nil
	}
	if download {
		plain, err := quest.DecodeDownload(data, maxQuestFile)
		if err != nil {
			return 0, err
		}
		data = plain
	}
	size, err := prs.DecompressedSize(data, maxQuestFile)
	if err != nil {
		return 0, errors.Join(errors.New("does not decompress"), err)
	}
	return size, nil
}
