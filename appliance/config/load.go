package config

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"os"

	"github.com/BurntSushi/toml"
)

//go:embed default.toml
var defaultTOML []byte

// Load reads the file at path on top of the defaults and validates the
// result. An empty path means the defaults alone.
func Load(path string) (*Config, error) {
	if path == "" {
		return Parse(nil, "")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(data, path)
}

// Parse reads TOML text on top of the defaults and validates the result;
// name is used in messages about TOML syntax.
func Parse(data []byte, name string) (*Config, error) {
	c, err := defaults()
	if err != nil {
		return nil, err
	}
	md, err := c.decode(data, name)
	if err != nil {
		return nil, err
	}
	if err := c.applyMode(md); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// defaults decodes default.toml. It cannot fail in a released binary: a
// test loads and validates it.
func defaults() (*Config, error) {
	c := new(Config)
	if _, err := c.decode(defaultTOML, "default.toml"); err != nil {
		return nil, fmt.Errorf("built-in defaults: %w", err)
	}
	return c, nil
}

// decode sets every key data defines, leaving the others as they are. The
// document is first read without a schema so that a wrong type or an
// unparsable value is reported by key and value, then decoded for real.
func (c *Config) decode(data []byte, name string) (toml.MetaData, error) {
	var doc map[string]any
	if _, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		return toml.MetaData{}, syntaxError(name, data, err)
	}
	if err := checkTable(configType, doc, ""); err != nil {
		return toml.MetaData{}, err
	}
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(c)
	if err != nil {
		return md, fmt.Errorf("config: %s: %w", name, err)
	}
	return md, unknownKey(md.Undecoded(), doc)
}

func syntaxError(name string, data []byte, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return &SyntaxError{File: name, Line: errorLine(data, pe.Position), Msg: pe.Message}
	}
	return fmt.Errorf("config: %s: %w", name, err)
}

// errorLine is the line holding the offending byte. The decoder counts a
// newline that ends a line as the start of the next one ("[dhcp" missing
// its "]" would be reported on the line after it).
func errorLine(data []byte, pos toml.Position) int {
	if pos.Start < 0 || pos.Start > len(data) {
		return pos.Line
	}
	return 1 + bytes.Count(data[:pos.Start], []byte("\n"))
}

// applyMode settles what the mode decides for keys the file left alone. In
// server mode DHCP never runs: an explicit "enabled = true" is refused,
// and the default is turned off so that the effective config says so.
func (c *Config) applyMode(md toml.MetaData) error {
	if c.Mode != Server {
		return nil
	}
	if c.DHCP.Enabled && md.IsDefined("dhcp", "enabled") {
		return refuse("dhcp.enabled", true, dhcpInServerMode)
	}
	c.DHCP.Enabled = false
	return nil
}

const dhcpInServerMode = `DHCP never runs in server mode; set mode = "island" or "home" to serve DHCP`

// TOML prints the configuration as a file that loads back to the same
// values: what -print-config shows.
func (c *Config) TOML() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("# psobox effective configuration: defaults plus the config file.\n")
	buf.WriteString("# Every key is described in docs/config.md.\n\n")
	enc := toml.NewEncoder(&buf)
	enc.Indent = ""
	if err := enc.Encode(c); err != nil {
		return nil, fmt.Errorf("config: print: %w", err)
	}
	return buf.Bytes(), nil
}
