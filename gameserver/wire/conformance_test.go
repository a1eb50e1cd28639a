package wire_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/psobox/psobox/gameserver/sessionlog"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/internal/testenv"
)

// opaqueAllowed lists the commands of the fixture logs that may have no
// codec, with the reason. A command missing a codec and not listed here fails
// the conformance test.
var opaqueAllowed = map[string]string{}

type tally struct {
	commands, typed, relay, opaque, subTyped, subRaw int
}

// TestConformanceWithRealClients decodes every command that real clients
// and the reference server exchanged, in both directions, with the codecs of
// the logged version, and re-encodes it to the same bytes.
func TestConformanceWithRealClients(t *testing.T) {
	dir := testenv.FixturesDir(t, "pso-sessions")
	files, err := filepath.Glob(filepath.Join(dir, "*.test.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no session logs in %s (%v)", dir, err)
	}
	counts := map[wire.Version]*tally{}
	failures := map[string][]string{}
	for _, file := range files {
		for _, ev := range readEvents(t, file) {
			if ev.Kind != sessionlog.FromClient && ev.Kind != sessionlog.FromServer {
				continue
			}
			if counts[ev.Version] == nil {
				counts[ev.Version] = &tally{}
			}
			if key, msg := checkEvent(ev, counts[ev.Version]); key != "" {
				failures[key] = append(failures[key], fmt.Sprintf("%s:%d: %s", filepath.Base(file), ev.Line, msg))
			}
		}
	}
	report(t, counts)
	reportFailures(t, failures)
}

func readEvents(t *testing.T, file string) []sessionlog.Event {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	evs, err := sessionlog.Read(f)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return evs
}

// checkEvent decodes and re-encodes one logged command; it returns a
// grouping key and a message on failure.
func checkEvent(ev sessionlog.Event, n *tally) (string, string) {
	v := ev.Version
	dir := wire.ClientToServer
	if ev.Kind == sessionlog.FromServer {
		dir = wire.ServerToClient
	}
	hl := v.HeaderFormat().Len()
	h, err := v.HeaderFormat().Decode(ev.Data)
	if err != nil || int(h.Size) != len(ev.Data) {
		return fmt.Sprintf("%s %s framing", v, dir), fmt.Sprintf("header %+v for %d bytes (%v)", h, len(ev.Data), err)
	}
	key := fmt.Sprintf("%s %s %02X", v, dir, h.Command)
	n.commands++
	m, err := wire.Decode(v, dir, h, ev.Data[hl:])
	if err != nil {
		if _, ok := opaqueAllowed[key]; ok && errors.Is(err, wire.ErrUnknownCommand) {
			n.opaque++
			return "", ""
		}
		return key + " decode", err.Error()
	}
	h2, payload, err := wire.Encode(v, m)
	if err != nil {
		return key + " encode", err.Error()
	}
	if h2.Command != h.Command || h2.Flag != h.Flag || !bytes.Equal(payload, ev.Data[hl:]) {
		return key + " round trip", fmt.Sprintf("flag %X->%X, %s", h.Flag, h2.Flag, firstDiff(ev.Data[hl:], payload))
	}
	return classify(v, m, n)
}

// classify counts m as typed or as a relay container, and checks that the
// typed subcommands in a container round-trip too.
func classify(v wire.Version, m wire.Msg, n *tally) (string, string) {
	gc, ok := m.(*wire.GameCommand)
	if !ok {
		n.typed++
		return "", ""
	}
	n.relay++
	for sub := range wire.Subcommands(gc.Data) {
		sm, err := wire.DecodeSubcommand(v, sub)
		switch {
		case errors.Is(err, wire.ErrUnknownCommand):
			n.subRaw++
		case err != nil:
			return fmt.Sprintf("%s sub %02X decode", v, sub.Number()), err.Error()
		default:
			again, err := wire.AppendSubcommand(nil, v, sm)
			if err != nil || !bytes.Equal(again, sub) {
				return fmt.Sprintf("%s sub %02X round trip", v, sub.Number()), fmt.Sprintf("%v %s", err, firstDiff(sub, again))
			}
			n.subTyped++
		}
	}
	return "", ""
}

func firstDiff(want, got []byte) string {
	for i := 0; i < min(len(want), len(got)); i++ {
		if want[i] != got[i] {
			return fmt.Sprintf("first difference at 0x%X: %02X vs %02X (lengths 0x%X/0x%X)", i, want[i], got[i], len(want), len(got))
		}
	}
	return fmt.Sprintf("lengths 0x%X vs 0x%X", len(want), len(got))
}

func report(t *testing.T, counts map[wire.Version]*tally) {
	var total tally
	for _, v := range wire.AllVersions() {
		c := counts[v]
		if c == nil {
			continue
		}
		t.Logf("%-10s %6d commands: %5d typed, %5d relay containers (%5d typed subcommands, %5d raw)",
			v, c.commands, c.typed, c.relay, c.subTyped, c.subRaw)
		total.commands += c.commands
		total.typed += c.typed
		total.relay += c.relay
		total.opaque += c.opaque
	}
	t.Logf("total      %6d commands: %5d typed, %5d relay containers, %d opaque (%d allowed entries)",
		total.commands, total.typed, total.relay, total.opaque, len(opaqueAllowed))
	for k, reason := range opaqueAllowed {
		t.Logf("opaque allowed: %s: %s", k, reason)
	}
}

func reportFailures(t *testing.T, failures map[string][]string) {
	keys := make([]string, 0, len(failures))
	for k := range failures {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		msgs := failures[k]
		t.Errorf("%s: %d failures, e.g.\n  %s", k, len(msgs), strings.Join(msgs[:min(2, len(msgs))], "\n  "))
	}
}
