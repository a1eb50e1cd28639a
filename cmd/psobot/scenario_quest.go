package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/psobox/psobox/gameserver/client"
)

// questSteps are the steps about quests.
func questSteps() []scenarioStep {
	return []scenarioStep{
		{"quest", "NAME|NUMBER [refused=TEXT]", 1, 2, false,
			"in a game: pick the quest from the quest menu, load it and check its files; with refused=, expect a message containing TEXT", stepQuest},
		{"expect-quest", "NAME|NUMBER", 1, 1, false, "wait until the quest another player picked has loaded, and check its files", stepExpectQuest},
		{"download-quest", "NAME|NUMBER", 1, 1, false, "at the main menu: download the quest and check its files", stepDownloadQuest},
	}
}

func stepQuest(ctx context.Context, sc *scenario, args []string) error {
	c, err := sc.client()
	if err != nil {
		return err
	}
	refusal, wantRefusal := "", false
	if len(args) > 1 {
		key, value, _ := strings.Cut(args[1], "=")
		if key != "refused" {
			return fmt.Errorf("unknown option %q", args[1])
		}
		refusal, wantRefusal = value, true
	}
	files, e, err := loadQuest(ctx, c, args[0], false)
	var refused *client.QuestRefusedError
	switch {
	case wantRefusal && errors.As(err, &refused):
		if !strings.Contains(refused.Message, refusal) {
			return fmt.Errorf("refused with %q, want a message containing %q", refused.Message, refusal)
		}
		sc.printf("refused: %s\n", oneLine(refused.Message))
		return nil
	case err != nil:
		return err
	case wantRefusal:
		return fmt.Errorf("quest %q loaded, want a refusal", args[0])
	}
	return sc.checkQuest(fmt.Sprintf("quest %d %q", e.ItemID, e.Name), files, false)
}

func stepExpectQuest(ctx context.Context, sc *scenario, args []string) error {
	c, err := sc.client()
	if err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, sc.s.opts.wait)
	defer cancel()
	files, err := c.WaitQuest(wctx)
	if err != nil {
		return err
	}
	if !questIs(files, args[0]) {
		return fmt.Errorf("the quest loaded is %q (%s), not %s", title(files), fileNames(files), args[0])
	}
	return sc.checkQuest(fmt.Sprintf("quest %q", title(files)), files, false)
}

func stepDownloadQuest(ctx context.Context, sc *scenario, args []string) error {
	c, err := sc.client()
	if err != nil {
		return err
	}
	files, e, err := loadQuest(ctx, c, args[0], true)
	if err != nil {
		return err
	}
	return sc.checkQuest(fmt.Sprintf("download quest %d %q", e.ItemID, e.Name), files, true)
}

// checkQuest checks every file and prints the sizes.
func (sc *scenario) checkQuest(what string, files []client.QuestFile, download bool) error {
	var sizes []string
	for _, f := range files {
		n, err := checkQuestFile(f, download)
		if err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
		sizes = append(sizes, fmt.Sprintf("%s %d bytes (%d decompressed)", f.Name, len(f.Data), n))
	}
	sc.printf("%s: %s\n", what, strings.Join(sizes, ", "))
	return nil
}

// questIs says whether files are quest want: its number (the files are
// named after it) or its name.
func questIs(files []client.QuestFile, want string) bool {
	if _, err := strconv.ParseUint(want, 10, 32); err == nil {
		n := strings.TrimLeft(want, "0")
		for _, f := range files {
			if strings.TrimSuffix(strings.TrimPrefix(f.Name, "quest"), ".bin") == n {
				return true
			}
		}
		return false
	}
	return strings.Contains(strings.ToLower(title(files)), strings.ToLower(want))
}

func title(files []client.QuestFile) string {
	if len(files) == 0 {
		return ""
	}
	return files[0].Title
}

func fileNames(files []client.QuestFile) string {
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	return strings.Join(names, ", ")
}
