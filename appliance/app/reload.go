package app

import (
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	"github.com/psobox/psobox/appliance/config"
)

// reloader applies a re-read configuration (SIGHUP, systemctl reload) to
// the running services as far as they can change without dropping a
// lease, a player or a socket: log.level, and the DNS keys liveDNS can
// swap. Every other change is logged by key as needing a restart. A file
// that does not load is refused with its one-line error, and the running
// configuration stays.
type reloader struct {
	load  func() (*config.Config, error)
	level *slog.LevelVar // nil: log.level needs a restart
	dns   *liveDNS       // nil: DNS is off
	log   *slog.Logger

	mu      sync.Mutex
	running *config.Config // what the services run on
	pending []string       // changed keys waiting for a restart
	refused string         // the last reload's error; "" after a good one
}

// reload re-reads the configuration and applies what it can.
func (r *reloader) reload() {
	r.mu.Lock()
	defer r.mu.Unlock()
	next, err := r.load()
	if err == nil {
		err = r.apply(next)
	}
	if err != nil {
		r.refused = oneLine(err)
		r.log.Error("reload refused; the running configuration stays", "err", r.refused)
		return
	}
	r.refused = ""
}

// apply switches the running configuration to next's live keys.
func (r *reloader) apply(next *config.Config) error {
	changed, err := changedKeys(r.running, next)
	if err != nil {
		return err
	}
	merged := *r.running
	var live, restart []string
	for _, key := range changed {
		if r.setLive(key, &merged, next) {
			live = append(live, key)
		} else {
			restart = append(restart, key)
		}
	}
	if err := r.applyDNS(live, &merged); err != nil {
		return err
	}
	if r.level != nil {
		r.level.Set(merged.SlogLevel())
	}
	r.running, r.pending = &merged, restart
	r.report(live, restart)
	return nil
}

// applyDNS hands the DNS settings to the DNS service if one changed.
func (r *reloader) applyDNS(live []string, cfg *config.Config) error {
	touched := slices.ContainsFunc(live, func(k string) bool { return strings.HasPrefix(k, "dns.") })
	if !touched || r.dns == nil {
		return nil
	}
	return r.dns.reload(cfg)
}

func (r *reloader) report(live, restart []string) {
	switch {
	case len(live) > 0:
		r.log.Info("reloaded the configuration", "applied", strings.Join(live, ", "))
	case len(restart) == 0:
		r.log.Info("reloaded the configuration: nothing changed")
	}
	if len(restart) > 0 {
		r.log.Warn("changed keys need a restart of psobox to take effect (systemctl restart psobox); until then the old values stay",
			"keys", strings.Join(restart, ", "))
	}
}

// setLive copies key from src to dst when a reload can apply it live.
func (r *reloader) setLive(key string, dst, src *config.Config) bool {
	switch key {
	case "log.level":
		if r.level == nil {
			return false
		}
		dst.Log.Level = src.Log.Level
	case "dns.upstreams":
		dst.DNS.Upstreams = src.DNS.Upstreams
	case "dns.resolv_conf":
		dst.DNS.ResolvConf = src.DNS.ResolvConf
	case "dns.catchall":
		dst.DNS.Catchall = src.DNS.Catchall
	case "dns.allow":
		dst.DNS.Allow = src.DNS.Allow
	case "dns.cache_entries":
		dst.DNS.CacheEntries = src.DNS.CacheEntries
	case "dns.rate_limit":
		dst.DNS.RateLimit = src.DNS.RateLimit
	case "dns.extra_hostnames":
		dst.DNS.ExtraHostnames = src.DNS.ExtraHostnames
	case "dns.timeout":
		dst.DNS.Timeout = src.DNS.Timeout
	default:
		return false
	}
	return true
}

// note is the reload's word in the status line, "" when all is applied.
func (r *reloader) note() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case r.refused != "":
		return "last reload refused: " + r.refused
	case len(r.pending) > 0:
		return "restart needed for " + strings.Join(r.pending, ", ")
	}
	return ""
}

// changedKeys lists the keys (dotted, sorted) whose values differ, by
// comparing the two configurations as printed by -print-config.
func changedKeys(a, b *config.Config) ([]string, error) {
	fa, err := flatConfig(a)
	if err != nil {
		return nil, err
	}
	fb, err := flatConfig(b)
	if err != nil {
		return nil, err
	}
	var keys []string
	for k, v := range fa {
		if w, ok := fb[k]; !ok || !reflect.DeepEqual(v, w) {
			keys = append(keys, k)
		}
	}
	for k := range fb {
		if _, ok := fa[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys, nil
}

// flatConfig maps each dotted key to its value; a list (of tables, too)
// is one value.
func flatConfig(c *config.Config) (map[string]any, error) {
	text, err := c.TOML()
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := toml.Unmarshal(text, &doc); err != nil {
		return nil, fmt.Errorf("config: re-reading the printed config: %w", err)
	}
	out := make(map[string]any)
	flatten("", doc, out)
	return out, nil
}

func flatten(prefix string, table map[string]any, out map[string]any) {
	for k, v := range table {
		key := k
		if prefix != "" {
			key = prefix + "." + k
		}
		if sub, ok := v.(map[string]any); ok {
			flatten(key, sub, out)
			continue
		}
		out[key] = v
	}
}

// oneLine is err as a single line, like psobox's start-up errors.
func oneLine(err error) string {
	if err == nil {
		return ""
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " ")
}
