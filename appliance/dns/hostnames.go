package dns

import (
	"fmt"
	"strings"

	miekg "github.com/miekg/dns"
)

// Platform is the kind of machine that resolves a PSO hostname.
type Platform string

// The platforms PSO hostnames are attributed to. Unattributed names (community
// servers, names whose version no source states) have PlatformUnknown.
const (
	PlatformDreamcast Platform = "Dreamcast"
	PlatformGameCube  Platform = "GameCube"
	PlatformPC        Platform = "PC"
	PlatformUnknown   Platform = ""
)

// Device is how the lookup log names the asking machine.
func (p Platform) Device() string {
	if p == PlatformUnknown {
		return "Client"
	}
	return string(p)
}

// Hostname is one name that a PSO client resolves to find its server.
type Hostname struct {
	Name     string   // lower case, without the trailing dot
	Platform Platform // who looks it up
	Label    string   // short, for the status page: "PSO GC US"
	Versions string   // versions and regions as the sources attribute them
	Source   string   // where that attribution comes from
}

// Sources, abbreviated once so that the table stays readable.
const (
	srcNewservProto = "newserv notes/dc-proto-connection-addresses.txt"
	srcNewservPC    = "newserv README, section \"PSO PC\""
	srcSylverant    = "Sylverant pso_dns.conf.sample"
	srcCubePi       = "CubePi utility/dreampi-add.sh (labels)"
	srcWeakPage     = "unattributed web page in a code index (weak)"
)

// PSOHostnames is the table of names PSO clients resolve, with the version
// and region each is attributed to and the source of that attribution. It is
// the only place these names live; Options.ExtraHostnames extends it.
//
// Xbox (Xbox Live) and Blue Burst (patched clients, hosts files) cannot be
// redirected by DNS and have no entries. No source names US or EU hostnames
// for the GameCube trial editions; the JP ones are below.
func PSOHostnames() []Hostname {
	return []Hostname{
		// Dreamcast prototypes and the Network Trial Edition.
		{"pso02.dricas.ne.jp", PlatformDreamcast, "PSO DC Network Trial Edition", "DC NTE (1OJ1); also in the DC JP list pso01-05", srcNewservProto + "; " + srcSylverant},
		{"test1.st-pso.games.sega.net", PlatformDreamcast, "PSO DC prototype", "DC 11/2000 prototype (1OJ2)", srcNewservProto},
		{"sg107634.csrd.sega.co.jp", PlatformDreamcast, "PSO DC prototype", "DC 12/2000 prototype (1OJ3)", srcNewservProto},
		{"master.pso.dream-key.com", PlatformDreamcast, "PSO DC prototype", "DC 12/2000 and 01/2001 prototypes (1OJ3, 1OJ4)", srcNewservProto + "; " + srcSylverant},
		// Dreamcast releases.
		{"game01.st-pso.games.sega.net", PlatformDreamcast, "PSO DC US", "DC v2 US; DC v2 JP prototypes (2OJ4, 2OJ5)", srcNewservProto + "; " + srcSylverant + "; DreamPi bba_bin.py; " + srcWeakPage},
		{"pso.dream-key.com", PlatformDreamcast, "PSO DC EU", "DC v2 EU", srcSylverant + "; " + srcWeakPage},
		{"pso01.dricas.ne.jp", PlatformDreamcast, "PSO DC JP", "DC JP (v2 JP)", srcSylverant + "; " + srcWeakPage},
		{"pso03.dricas.ne.jp", PlatformDreamcast, "PSO DC JP", "DC JP", srcSylverant},
		{"pso04.dricas.ne.jp", PlatformDreamcast, "PSO DC JP", "DC JP", srcSylverant},
		{"pso05.dricas.ne.jp", PlatformDreamcast, "PSO DC JP", "DC JP", srcSylverant},
		{"auth01.dricas.com", PlatformDreamcast, "PSO DC Hunter's License check", "DC v2 US (port 443)", srcWeakPage},
		{"auth01.dricas.ne.jp", PlatformDreamcast, "PSO DC Hunter's License check", "DC v2 JP (port 443)", srcWeakPage},
		// GameCube.
		{"gc01.st-pso.games.sega.net", PlatformGameCube, "PSO GC US", "GC NTSC-U Ep1&2, Plus and Ep III", srcCubePi + "; " + srcSylverant + "; capture in newserv issue 100"},
		{"pso-gc1.pso.playsega.com", PlatformGameCube, "PSO GC EU", "GC PAL Ep1&2, Plus and Ep III", srcCubePi + "; " + srcSylverant},
		{"pso-gc01.sonic.isao.net", PlatformGameCube, "PSO GC JP", "GC NTSC-J Ep1&2, Plus and Ep III", srcCubePi + "; " + srcSylverant},
		{"pso-gct01.sonic.isao.net", PlatformGameCube, "PSO GC JP Trial", "GC NTSC-J Ep1&2 Trial Edition", srcCubePi + "; " + srcSylverant},
		{"pso-ep3t.sonic.isao.net", PlatformGameCube, "PSO Ep III JP Trial", "GC NTSC-J Ep III Trial Edition", srcCubePi},
		// Listed by Sylverant without a version.
		{"game04.st-pso.games.sega.net", PlatformUnknown, "PSO (version unknown)", "not stated; one guide says GC US Plus (unverified)", srcSylverant},
		{"pso-kr06.sonic.isao.net", PlatformUnknown, "PSO (version unknown)", "not stated; \"kr\" may mean Korea (guess)", srcSylverant},
		// PC: hard-coded in pso.exe.
		{"pso20.sonic.isao.net", PlatformPC, "PSO PC", "PC", srcNewservPC + "; Sylverant PC patcher"},
		{"sg207634.sonicteam.com", PlatformPC, "PSO PC", "PC", srcNewservPC + "; Sylverant PC patcher"},
		{"pso-mp01.sonic.isao.net", PlatformPC, "PSO PC", "PC", srcNewservPC + "; Sylverant PC patcher"},
		{"gsproduc.ath.cx", PlatformPC, "PSO PC", "PC", srcNewservPC + "; Sylverant PC patcher"},
		// Community servers that patched clients were pointed at.
		{"psobb.dyndns.org", PlatformPC, "PSO PC (patched for Schtserv)", "PC patched for the Schtserv community server", "PC patchers; newserv config ProxyDestinations"},
		{"sylverant.net", PlatformUnknown, "PSO (patched for Sylverant)", "DC and PC patched for the Sylverant community server", "Sylverant pso_patcher; " + srcSylverant},
	}
}

// hostnameTable maps a canonical query name (lower case, trailing dot) to its
// entry.
type hostnameTable map[string]Hostname

// newHostnameTable builds the table from PSOHostnames plus extra names from
// the configuration, which are checked for syntax.
func newHostnameTable(extra []string) (hostnameTable, error) {
	t := make(hostnameTable)
	for _, h := range PSOHostnames() {
		t[canonicalName(h.Name)] = h
	}
	for _, name := range extra {
		fqdn := canonicalName(strings.TrimSpace(name))
		if _, ok := miekg.IsDomainName(fqdn); !ok || fqdn == "." {
			return nil, fmt.Errorf("extra hostname %q is not a domain name", name)
		}
		if _, known := t[fqdn]; !known {
			t[fqdn] = Hostname{Name: strings.TrimSuffix(fqdn, "."), Label: "extra PSO hostname", Source: "configuration"}
		}
	}
	return t, nil
}

// lookup finds the entry for a query name in any letter case.
func (t hostnameTable) lookup(qname string) (Hostname, bool) {
	h, ok := t[canonicalName(qname)]
	return h, ok
}

// canonicalName lower-cases a name and makes it fully qualified. It does not
// allocate for names that already are.
func canonicalName(name string) string {
	return miekg.Fqdn(strings.ToLower(name))
}
