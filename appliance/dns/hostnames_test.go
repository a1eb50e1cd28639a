package dns

import (
	"strings"
	"testing"

	miekg "github.com/miekg/dns"
)

func TestPSOHostnamesAreWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, h := range PSOHostnames() {
		if _, ok := miekg.IsDomainName(h.Name); !ok || h.Name != strings.ToLower(h.Name) || strings.HasSuffix(h.Name, ".") {
			t.Errorf("%q: want a lower-case domain name without trailing dot", h.Name)
		}
		if seen[h.Name] {
			t.Errorf("%q listed twice", h.Name)
		}
		seen[h.Name] = true
		if h.Label == "" || h.Versions == "" || h.Source == "" {
			t.Errorf("%q: label, versions and source must all be given: %+v", h.Name, h)
		}
	}
}

// TestPSOHostnamesCoverEveryFamily pins the names each client family is
// known to resolve, so that no edit of the table loses one.
func TestPSOHostnamesCoverEveryFamily(t *testing.T) {
	want := map[string]Platform{
		"pso02.dricas.ne.jp":           PlatformDreamcast, // NTE
		"test1.st-pso.games.sega.net":  PlatformDreamcast, // 11/2000 prototype
		"sg107634.csrd.sega.co.jp":     PlatformDreamcast, // 12/2000 prototype
		"master.pso.dream-key.com":     PlatformDreamcast, // 01/2001 prototype
		"game01.st-pso.games.sega.net": PlatformDreamcast, // v2 US
		"pso.dream-key.com":            PlatformDreamcast, // v2 EU
		"pso01.dricas.ne.jp":           PlatformDreamcast, // JP
		"pso05.dricas.ne.jp":           PlatformDreamcast,
		"gc01.st-pso.games.sega.net":   PlatformGameCube, // US
		"pso-gc1.pso.playsega.com":     PlatformGameCube, // EU
		"pso-gc01.sonic.isao.net":      PlatformGameCube, // JP
		"pso-gct01.sonic.isao.net":     PlatformGameCube, // JP Ep1&2 trial
		"pso-ep3t.sonic.isao.net":      PlatformGameCube, // JP Ep III trial
		"pso20.sonic.isao.net":         PlatformPC,
		"sg207634.sonicteam.com":       PlatformPC,
		"pso-mp01.sonic.isao.net":      PlatformPC,
		"gsproduc.ath.cx":              PlatformPC,
	}
	table, err := newHostnameTable(nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, platform := range want {
		h, ok := table.lookup(name)
		if !ok {
			t.Errorf("%s is missing", name)
			continue
		}
		if h.Platform != platform {
			t.Errorf("%s: platform %q, want %q", name, h.Platform, platform)
		}
	}
}

func TestHostnameLookupIgnoresCaseAndTrailingDot(t *testing.T) {
	table, err := newHostnameTable([]string{"Extra.PSO.Test."})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"GC01.ST-PSO.GAMES.SEGA.NET.", "gc01.st-pso.games.sega.net", "extra.pso.test.", "EXTRA.pso.TEST"} {
		if _, ok := table.lookup(name); !ok {
			t.Errorf("%s not found", name)
		}
	}
	for _, name := range []string{"st-pso.games.sega.net.", "x.gc01.st-pso.games.sega.net.", "example.com."} {
		if h, ok := table.lookup(name); ok {
			t.Errorf("%s found as %+v; only exact names match", name, h)
		}
	}
	if h, _ := table.lookup("extra.pso.test."); h.Name != "extra.pso.test" || h.Source != "configuration" {
		t.Errorf("extra entry = %+v", h)
	}
}

func TestExtraHostnameKeepsTableEntry(t *testing.T) {
	table, err := newHostnameTable([]string{"gc01.st-pso.games.sega.net"})
	if err != nil {
		t.Fatal(err)
	}
	if h, _ := table.lookup("gc01.st-pso.games.sega.net."); h.Label != "PSO GC US" {
		t.Errorf("a configured duplicate replaced the table's entry: %+v", h)
	}
}

func TestExtraHostnameRejectsGarbage(t *testing.T) {
	for _, name := range []string{"", ".", "bad..name", strings.Repeat("a", 64) + ".example"} {
		if _, err := newHostnameTable([]string{name}); err == nil {
			t.Errorf("%q accepted", name)
		}
	}
}
