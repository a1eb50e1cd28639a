package config

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// docsPath is docs/config.md, from this package's directory.
var docsPath = filepath.Join("..", "..", "docs", "config.md")

// Every key of the schema is described in docs/config.md, written as
// `dhcp.lease_time` (the full dotted key in backquotes).
func TestEveryKeyIsDocumented(t *testing.T) {
	doc, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatalf("read docs: %v", err)
	}
	for _, key := range schemaKeys() {
		if !strings.Contains(string(doc), "`"+key+"`") {
			t.Errorf("docs/config.md does not describe `%s`", key)
		}
	}
	for _, mode := range []Mode{Island, Home, Server} {
		if !strings.Contains(string(doc), "### "+string(mode)) {
			t.Errorf("docs/config.md has no section \"### %s\"", mode)
		}
	}
}

// default.toml sets every key, so that it is the one place defaults live.
// Lists of tables have no default entries; they must be shown as a
// commented example instead.
func TestDefaultTOMLHasEveryKey(t *testing.T) {
	var doc map[string]any
	md, err := toml.Decode(string(defaultTOML), &doc)
	if err != nil {
		t.Fatalf("default.toml: %v", err)
	}
	for _, key := range schemaKeys() {
		parts := strings.Split(key, ".")
		if md.IsDefined(parts...) || commentedExample(key) {
			continue
		}
		t.Errorf("default.toml does not set %s (nor show it in a commented [[table]] example)", key)
	}
}

// commentedExample reports whether key belongs to a list of tables that
// default.toml shows as "# [[table]]" followed by "# name = ..." lines.
func commentedExample(key string) bool {
	table, name := key, ""
	if i := strings.LastIndex(key, "."); i >= 0 && strings.Contains(string(defaultTOML), "# [["+key[:i]+"]]") {
		table, name = key[:i], key[i+1:]
	}
	header := "# [[" + table + "]]\n"
	_, after, ok := strings.Cut(string(defaultTOML), header)
	if !ok {
		return false
	}
	return name == "" || regexp.MustCompile(`(?m)^# `+regexp.QuoteMeta(name)+` = `).MatchString(after)
}

// The defaults alone load and validate: psobox runs with no file.
func TestDefaultTOMLLoadsAndValidates(t *testing.T) {
	c, err := defaults()
	if err != nil {
		t.Fatalf("default.toml: %v", err)
	}
	c.DHCP.Enabled = false // as Load does for server mode
	if err := c.Validate(); err != nil {
		t.Fatalf("default.toml does not validate: %v", err)
	}
}
