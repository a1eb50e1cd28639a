package config

import (
	"encoding"
	"fmt"
	"net/netip"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// The schema is the Config struct itself: its toml tags are the keys, its
// field types say what each key holds. Walking it (rather than keeping a
// second list of keys) means a new field is documented, checked and
// printed without anything else to update.

var (
	configType          = reflect.TypeFor[Config]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// field is one key of a table.
type field struct {
	name string
	typ  reflect.Type
}

// fields lists the keys of a table type in declaration order.
func fields(t reflect.Type) []field {
	var out []field
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
		if name != "" && name != "-" {
			out = append(out, field{name, f.Type})
		}
	}
	return out
}

// isText reports whether values of t are written as strings and parsed by
// the type itself.
func isText(t reflect.Type) bool {
	return reflect.PointerTo(t).Implements(textUnmarshalerType)
}

// isTable reports whether t is a TOML table ([name]).
func isTable(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && !isText(t)
}

// schemaKeys lists every dotted key of the schema, tables included, in
// declaration order: "mode", ..., "dhcp.reservations", "dhcp.reservations.mac".
func schemaKeys() []string {
	var keys []string
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		for _, f := range fields(t) {
			key := joinKey(prefix, f.name)
			keys = append(keys, key)
			if inner := tableOf(f.typ); inner != nil {
				walk(inner, key)
			}
		}
	}
	walk(configType, "")
	return keys
}

// tableOf returns the struct type of a table or a list of tables, else nil.
func tableOf(t reflect.Type) reflect.Type {
	if t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if isTable(t) {
		return t
	}
	return nil
}

func joinKey(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// checkValue compares one decoded TOML value with the Go type of its key:
// the TOML type must fit, and text must parse. Keys the schema does not
// know are skipped here and reported by unknownKey, which has the decoder's
// metadata.
func checkValue(t reflect.Type, v any, key string) error {
	switch {
	case isText(t):
		return checkText(t, v, key)
	case t.Kind() == reflect.Struct:
		return checkTable(t, v, key)
	case t.Kind() == reflect.Slice:
		return checkList(t, v, key)
	case t.Kind() == reflect.String:
		if _, ok := v.(string); !ok {
			return refuse(key, v, "must be a string in quotes")
		}
	case t.Kind() == reflect.Bool:
		if _, ok := v.(bool); !ok {
			return refuse(key, v, "must be true or false")
		}
	case t.Kind() == reflect.Int:
		if n, ok := v.(int64); !ok || reflect.Zero(t).OverflowInt(n) {
			return refuse(key, v, "must be a whole number")
		}
	default:
		panic(fmt.Sprintf("config: schema field %s has unsupported type %s", key, t))
	}
	return nil
}

func checkTable(t reflect.Type, v any, key string) error {
	m, ok := v.(map[string]any)
	if !ok {
		return refuse(key, v, "must be a table ["+key+"]")
	}
	for _, f := range fields(t) {
		if val, ok := m[f.name]; ok {
			if err := checkValue(f.typ, val, joinKey(key, f.name)); err != nil {
				return err
			}
		}
	}
	// The decoder would also match "Address" or "address" to a field
	// named Address; only the exact key is accepted.
	for _, name := range sortedKeys(m) {
		if !hasField(t, name) {
			return unknownKeyError(t, key, name, m[name])
		}
	}
	return nil
}

func hasField(t reflect.Type, name string) bool {
	for _, f := range fields(t) {
		if f.name == name {
			return true
		}
	}
	return false
}

func checkList(t reflect.Type, v any, key string) error {
	var items []any
	switch v := v.(type) {
	case []any:
		items = v
	case []map[string]any:
		for _, m := range v {
			items = append(items, m)
		}
	default:
		if isTable(t.Elem()) {
			return refuse(key, v, "must be a list of [["+key+"]] tables")
		}
		return refuse(key, v, "must be a list in brackets, such as [] or [\"a\", \"b\"]")
	}
	for i, item := range items {
		if err := checkValue(t.Elem(), item, fmt.Sprintf("%s[%d]", key, i)); err != nil {
			return err
		}
	}
	return nil
}

// ruler is implemented by this package's text types: the sentence their
// UnmarshalText returns when it refuses a value.
type ruler interface{ rule() string }

func checkText(t reflect.Type, v any, key string) error {
	target := reflect.New(t).Interface()
	s, ok := v.(string)
	if ok && target.(encoding.TextUnmarshaler).UnmarshalText([]byte(s)) == nil {
		return nil
	}
	return refuse(key, v, textRule(target))
}

// textRule says what a text type accepts.
func textRule(target any) string {
	switch r := target.(type) {
	case ruler:
		return r.rule()
	case *netip.Addr:
		return `must be an IP address in quotes, such as "10.55.0.1"`
	case *netip.Prefix:
		return `must be an address with a prefix length in quotes, such as "10.55.0.0/24"`
	}
	return "must be a string in quotes"
}

// unknownKey refuses the first key the decoder did not use. checkTable
// has refused every unknown key before decoding; this is the second line
// of defence should the decoder ever accept something the walk did not see.
func unknownKey(undecoded []toml.Key, doc map[string]any) error {
	if len(undecoded) == 0 {
		return nil
	}
	k := undecoded[0]
	t := configType
	for _, name := range k[:len(k)-1] {
		if t = fieldTable(t, name); t == nil {
			return &Error{Key: k.String(), Allowed: "unknown key"}
		}
	}
	return unknownKeyError(t, k[:len(k)-1].String(), k[len(k)-1], lookup(doc, k))
}

// unknownKeyError names the unknown key and the keys its table has.
func unknownKeyError(t reflect.Type, table, name string, value any) error {
	where := "the top level"
	if table != "" {
		where = "[" + listIndex.ReplaceAllString(table, "") + "]"
	}
	key := joinKey(table, quoteKey(name))
	if _, isTable := value.(map[string]any); isTable {
		return &Error{Key: "[" + key + "]", Allowed: "unknown table; " + where + " has " + knownKeys(t)}
	}
	return refuse(key, value, "unknown key; "+where+" has "+knownKeys(t))
}

var listIndex = regexp.MustCompile(`\[[0-9]+\]`)

// quoteKey writes a key part as TOML would need it: bare when it can be.
func quoteKey(name string) string {
	if name != "" && strings.Trim(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == "" {
		return name
	}
	return strconv.Quote(name)
}

// knownKeys names the keys of a table type, tables in brackets.
func knownKeys(t reflect.Type) string {
	var names []string
	for _, f := range fields(t) {
		if tableOf(f.typ) != nil {
			names = append(names, "["+f.name+"]")
		} else {
			names = append(names, f.name)
		}
	}
	return strings.Join(names, ", ")
}

// fieldTable returns the table type of key name in table t, or nil.
func fieldTable(t reflect.Type, name string) reflect.Type {
	for _, f := range fields(t) {
		if f.name == name {
			return tableOf(f.typ)
		}
	}
	return nil
}

// lookup finds a key's value in a decoded document; inside a list of tables
// it takes the first table that has the next part.
func lookup(doc map[string]any, k toml.Key) any {
	var cur any = doc
	for _, part := range k {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[part]
		case []map[string]any:
			cur = firstWith(c, part)
		default:
			return nil
		}
	}
	return cur
}

func firstWith(tables []map[string]any, key string) any {
	for _, t := range tables {
		if v, ok := t[key]; ok {
			return v
		}
	}
	return nil
}
