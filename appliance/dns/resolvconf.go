package dns

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"strconv"
	"sync"
	"time"

	miekg "github.com/miekg/dns"
)

// resolvConfCheckInterval is how often resolv.conf is checked for changes.
// It changes when the host's own DHCP lease does (home mode, gokrazy's
// dhcp writing /etc/resolv.conf after we started).
const resolvConfCheckInterval = 5 * time.Second

// parseUpstream reads "192.0.2.53", "192.0.2.53:5353" or "[2001:db8::53]:53".
func parseUpstream(s string) (netip.AddrPort, error) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("upstream %q is not an address or address:port", s)
	}
	return netip.AddrPortFrom(a.Unmap(), 53), nil
}

func parseUpstreams(list []string) ([]netip.AddrPort, error) {
	out := make([]netip.AddrPort, 0, len(list))
	for _, s := range list {
		ap, err := parseUpstream(s)
		if err != nil {
			return nil, err
		}
		out = append(out, ap)
	}
	return out, nil
}

// parseResolvConf returns the nameservers of a resolv.conf file.
func parseResolvConf(data []byte) ([]netip.AddrPort, error) {
	cfg, err := miekg.ClientConfigFromReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("parse resolv.conf: %w", err)
	}
	port, err := strconv.ParseUint(cfg.Port, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("resolv.conf port %q: %w", cfg.Port, err)
	}
	var out []netip.AddrPort
	for _, s := range cfg.Servers {
		if a, err := netip.ParseAddr(s); err == nil {
			out = append(out, netip.AddrPortFrom(a.Unmap(), uint16(port)))
		}
	}
	return out, nil
}

// resolvConf follows the host's resolver configuration: it re-reads the file
// when its size or modification time changes, at most every
// resolvConfCheckInterval, and leaves out nameservers that are this server
// itself (asking ourselves would loop).
type resolvConf struct {
	path   string
	now    func() time.Time
	isSelf func(netip.AddrPort) bool
	log    *slog.Logger

	mu      sync.Mutex
	checked time.Time
	stamp   fileStamp
	servers []netip.AddrPort
	missing bool // the file could not be read at the last check (warned once)
}

type fileStamp struct {
	modTime time.Time
	size    int64
}

// current returns the usable nameservers.
func (r *resolvConf) current() []netip.AddrPort {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	if !r.checked.IsZero() && now.Sub(r.checked) < resolvConfCheckInterval && !now.Before(r.checked) {
		return r.servers
	}
	r.checked = now
	r.reloadIfChanged()
	return r.servers
}

func (r *resolvConf) reloadIfChanged() {
	fi, err := os.Stat(r.path)
	if err != nil {
		if !r.missing {
			r.log.Warn("no upstream resolvers: cannot read resolver configuration", "path", r.path, "err", err)
		}
		r.stamp, r.servers, r.missing = fileStamp{}, nil, true
		return
	}
	r.missing = false
	stamp := fileStamp{fi.ModTime(), fi.Size()}
	if stamp == r.stamp {
		return
	}
	r.stamp = stamp
	r.servers = r.load()
}

func (r *resolvConf) load() []netip.AddrPort {
	data, err := os.ReadFile(r.path)
	if err == nil {
		var all []netip.AddrPort
		if all, err = parseResolvConf(data); err == nil {
			servers := r.withoutSelf(all)
			r.log.Info("upstream resolvers from resolver configuration", "path", r.path, "servers", servers, "skipped_self", len(all)-len(servers))
			return servers
		}
	}
	r.log.Warn("no upstream resolvers: bad resolver configuration", "path", r.path, "err", err)
	return nil
}

func (r *resolvConf) withoutSelf(all []netip.AddrPort) []netip.AddrPort {
	var out []netip.AddrPort
	for _, s := range all {
		if !r.isSelf(s) {
			out = append(out, s)
		}
	}
	return out
}
