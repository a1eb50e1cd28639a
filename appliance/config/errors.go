package config

import (
	"encoding"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Error is a refused value: the key, the value as written, and what the key
// accepts. Its text is always one line:
//
//	config: dhcp.lease_time = "5s": must be between 1m and 720h
type Error struct {
	Key     string // dotted key, with an index inside lists: "dhcp.reservations[1].mac"
	Value   string // the value in TOML notation; "" for a whole table
	Allowed string // what would be accepted
}

func (e *Error) Error() string {
	if e.Value == "" {
		return "config: " + e.Key + ": " + e.Allowed
	}
	return "config: " + e.Key + " = " + e.Value + ": " + e.Allowed
}

// SyntaxError is a file that is not TOML at all.
type SyntaxError struct {
	File string // as given to Load; "" for Parse on bytes
	Line int
	Msg  string
}

func (e *SyntaxError) Error() string {
	file := e.File
	if file == "" {
		file = "<config>"
	}
	return fmt.Sprintf("config: %s:%d: %s", file, e.Line, oneLine(e.Msg))
}

// refuse builds an Error for a typed value, rendering it as TOML.
func refuse(key string, value any, allowed string) *Error {
	return &Error{Key: key, Value: render(value), Allowed: allowed}
}

// maxRendered keeps error lines readable when a value is huge.
const maxRendered = 80

// render writes a decoded TOML value (or a config value) in TOML notation.
func render(v any) string {
	s := renderFull(v)
	if len(s) > maxRendered {
		cut := maxRendered
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return s
}

func renderFull(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case encoding.TextMarshaler:
		text, err := v.MarshalText()
		if err != nil {
			return "?"
		}
		return strconv.Quote(string(text))
	case fmt.Stringer:
		return strconv.Quote(v.String())
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = renderFull(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case []map[string]any:
		return "[" + strings.TrimSuffix(strings.Repeat("{...}, ", len(v)), ", ") + "]"
	case map[string]any:
		return "{" + strings.Join(sortedKeys(v), ", ") + "}"
	default:
		return oneLine(fmt.Sprint(v))
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// oneLine keeps every message on one line, whatever the input held.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
