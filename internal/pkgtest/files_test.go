package pkgtest

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/psobox/psobox/appliance/config"
	"github.com/psobox/psobox/internal/testenv"
)

// The configuration the package ships loads and validates, in server mode
// (safe on any network: no DHCP, no address changes) with consoles on
// private networks allowed to ask DNS.
func TestShippedConfigLoads(t *testing.T) {
	cfg, err := config.Load(filepath.Join(testenv.RepoRoot(t), "systemd", "psobox.toml"))
	if err != nil {
		t.Fatalf("systemd/psobox.toml: %v", err)
	}
	if cfg.Mode != config.Server || cfg.DHCP.Enabled || len(cfg.DNS.Allow) != 3 || cfg.StateDirPath != "" {
		t.Errorf("shipped config: mode %s, dhcp %v, dns.allow %v, state_dir %q; want server, off, the private ranges, \"\" ($STATE_DIRECTORY)",
			cfg.Mode, cfg.DHCP.Enabled, cfg.DNS.Allow, cfg.StateDirPath)
	}
}

// Following the file's own instructions for home mode gives a valid
// home-mode configuration.
func TestShippedConfigHomeExampleLoads(t *testing.T) {
	text := readFile(t, filepath.Join(testenv.RepoRoot(t), "systemd", "psobox.toml"))
	text = strings.Replace(text, "\nmode = \"server\"\n", "\nmode = \"home\"\n", 1)
	uncomment := regexp.MustCompile(`(?m)^# ((interface|address|pool_start|pool_end) = )`)
	if n := len(uncomment.FindAllString(text, -1)); n != 4 {
		t.Fatalf("found %d of the 4 commented home-mode lines", n)
	}
	path := filepath.Join(t.TempDir(), "home.toml")
	if err := os.WriteFile(path, []byte(uncomment.ReplaceAllString(text, "$1")), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatalf("home-mode example: %v", err)
	}
	if cfg.Mode != config.Home || !cfg.DHCP.Enabled || cfg.Network.Interface != "eth0" {
		t.Errorf("home example: mode %s, dhcp %v, interface %q", cfg.Mode, cfg.DHCP.Enabled, cfg.Network.Interface)
	}
}

func TestMaintainerScriptsPassShellcheck(t *testing.T) {
	shellcheck := testenv.RequireTool(t, "shellcheck")
	root := testenv.RepoRoot(t)
	for _, script := range []string{"postinst", "prerm", "postrm", "mkdeb"} {
		if out, code := testenv.Run(t, root, shellcheck, filepath.Join("systemd", script)); code != 0 {
			t.Errorf("shellcheck systemd/%s: exit %d\n%s", script, code, out)
		}
	}
}

// The copyright file names every module compiled into psobox and psobot:
// a new dependency must bring its license with it.
func TestCopyrightCoversEveryModule(t *testing.T) {
	root := testenv.RepoRoot(t)
	out, code := testenv.Run(t, root, "go", "list", "-deps", "-f", "{{with .Module}}{{if not .Main}}{{.Path}}{{end}}{{end}}",
		"./cmd/psobox", "./cmd/psobot")
	if code != 0 {
		t.Fatalf("go list: %s", out)
	}
	covered := copyrightPatterns(t, readFile(t, filepath.Join(root, "systemd", "copyright")))
	var modules []string
	for m := range strings.FieldsSeq(out) {
		if !slices.Contains(modules, m) {
			modules = append(modules, m)
		}
	}
	if len(modules) == 0 {
		t.Fatal("go list found no modules")
	}
	for _, m := range modules {
		if !slices.Contains(covered, m+"/*") {
			t.Errorf("systemd/copyright has no \"Files: %s/*\" stanza with its copyright and license", m)
		}
	}
}

// copyrightPatterns returns the patterns of every Files: field.
func copyrightPatterns(t *testing.T, text string) []string {
	t.Helper()
	var out []string
	for line := range strings.SplitSeq(text, "\n") {
		if rest, ok := strings.CutPrefix(line, "Files:"); ok {
			out = append(out, strings.Fields(rest)...)
		}
	}
	return out
}

// The manual page documents every flag psobox has.
func TestManPageListsEveryFlag(t *testing.T) {
	help, _ := testenv.Run(t, "", psoboxBin, "-h")
	flags := regexp.MustCompile(`(?m)^  (-[a-z-]+)`).FindAllStringSubmatch(help, -1)
	if len(flags) < 4 {
		t.Fatalf("psobox -h lists %d flags:\n%s", len(flags), help)
	}
	page := readFile(t, filepath.Join(testenv.RepoRoot(t), "systemd", "psobox.1"))
	for _, f := range flags {
		if !strings.Contains(page, strings.ReplaceAll(f[1], "-", `\-`)) { // roff escapes every hyphen
			t.Errorf("psobox.1 does not describe %s", f[1])
		}
	}
}
