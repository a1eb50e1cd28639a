package config

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Validate checks every value's range and the combinations of values,
// returning the first problem as an *Error. Load calls it; call it again
// after changing a Config in code.
func (c *Config) Validate() error {
	checks := []func() error{
		c.checkTop, c.checkLog, c.checkNetwork, c.checkDNS, c.checkDHCP,
		c.checkGame, c.checkStatus, c.checkCapture, c.checkPrivileges, c.checkCombinations,
	}
	for _, check := range checks {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func (c *Config) checkTop() error {
	if err := oneOf("mode", string(c.Mode), "island", "home", "server"); err != nil {
		return err
	}
	if strings.ContainsRune(c.StateDirPath, 0) {
		return refuse("state_dir", c.StateDirPath, "must be a directory path")
	}
	return nil
}

func (c *Config) checkLog() error {
	if err := oneOf("log.level", c.Log.Level, "debug", "info", "warn", "error"); err != nil {
		return err
	}
	return oneOf("log.format", c.Log.Format, "text", "json")
}

func (c *Config) checkStatus() error {
	return listenAddr("status.listen", c.Status.Listen)
}

func (c *Config) checkCapture() error {
	k := c.Capture
	if err := intIn("capture.max_file_mib", k.MaxFileMiB, 1, 1024); err != nil {
		return err
	}
	if k.MaxTotalMiB < k.MaxFileMiB || k.MaxTotalMiB > 1<<20 {
		return refuse("capture.max_total_mib", k.MaxTotalMiB,
			fmt.Sprintf("must be between capture.max_file_mib (%d) and %d", k.MaxFileMiB, 1<<20))
	}
	return nil
}

// checkCombinations refuses settings that each make sense alone but cannot
// work together.
func (c *Config) checkCombinations() error {
	if c.DHCP.Enabled && !c.DNS.Enabled {
		return refuse("dns.enabled", false,
			"DHCP hands out psobox as the consoles' DNS server; enable DNS or set dhcp.enabled = false")
	}
	if c.DNS.Enabled && c.Status.Enabled && sameTCPPort(c.DNS.Listen, c.Status.Listen) {
		return refuse("status.listen", c.Status.Listen,
			"must not use the same TCP port as dns.listen ("+c.DNS.Listen+")")
	}
	return nil
}

// oneOf refuses v unless it is one of the allowed words.
func oneOf(key, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	quoted := make([]string, len(allowed))
	for i, a := range allowed {
		quoted[i] = strconv.Quote(a)
	}
	last := len(quoted) - 1
	return refuse(key, v, "must be "+strings.Join(quoted[:last], ", ")+" or "+quoted[last])
}

func intIn(key string, v, lo, hi int) error {
	if v < lo || v > hi {
		return refuse(key, v, fmt.Sprintf("must be between %d and %d", lo, hi))
	}
	return nil
}

func durationIn(key string, d Duration, lo, hi time.Duration) error {
	if d.Duration < lo || d.Duration > hi {
		return refuse(key, d, "must be between "+formatDuration(lo)+" and "+formatDuration(hi))
	}
	return nil
}

func formatDuration(d time.Duration) string {
	text, _ := Duration{d}.MarshalText()
	return string(text)
}

// listenAddr accepts "host:port" and ":port" with an IP literal as host:
// a name would need DNS before psobox's own DNS server is up. Port 0 asks
// the kernel for a free port, which tests use.
func listenAddr(key, s string) error {
	host, port, err := net.SplitHostPort(s)
	if err == nil && host != "" {
		_, err = netip.ParseAddr(host)
	}
	if err == nil {
		_, err = strconv.ParseUint(port, 10, 16)
	}
	if err != nil {
		return refuse(key, s, `must be "ip:port" or ":port", such as ":8080" or "127.0.0.1:8080"`)
	}
	return nil
}

// sameTCPPort reports whether two valid listen addresses would collide.
func sameTCPPort(a, b string) bool {
	hostA, portA, _ := net.SplitHostPort(a)
	hostB, portB, _ := net.SplitHostPort(b)
	if portA != portB || portA == "0" {
		return false
	}
	return hostA == "" || hostB == "" || hostA == hostB
}

// printableASCII reports whether s holds only visible ASCII and spaces.
func printableASCII(s string) bool {
	for _, r := range s {
		if r < ' ' || r > '~' {
			return false
		}
	}
	return true
}

// validDNSName accepts a host or domain name: dot-separated labels of
// letters, digits and inner hyphens, at most 253 characters.
func validDNSName(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 253 {
		return false
	}
	for label := range strings.SplitSeq(s, ".") {
		if !validLabel(label) {
			return false
		}
	}
	return true
}

func validLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for _, r := range l {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

func runeCount(s string) int { return utf8.RuneCountInString(s) }
