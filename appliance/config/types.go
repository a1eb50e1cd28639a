package config

import (
	"encoding/hex"
	"errors"
	"net/netip"
	"strings"
	"time"
)

// Duration is a Go duration written as a string in the file ("30s", "24h").
type Duration struct{ time.Duration }

// UnmarshalText parses a Go duration string.
func (d *Duration) UnmarshalText(text []byte) error {
	v, err := time.ParseDuration(string(text))
	if err != nil {
		return errors.New(d.rule())
	}
	d.Duration = v
	return nil
}

func (*Duration) rule() string {
	return `must be a duration in quotes, such as "500ms", "30s", "5m" or "24h"`
}

// MarshalText writes the shortest form that parses back to the same value
// ("24h" rather than "24h0m0s").
func (d Duration) MarshalText() ([]byte, error) {
	s := d.Duration.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return []byte(s), nil
}

// MAC is an Ethernet address written as six colon-separated hex bytes.
type MAC [6]byte

// UnmarshalText parses "00:d0:f1:12:34:56" (either case).
func (m *MAC) UnmarshalText(text []byte) error {
	var v MAC
	if err := parseHexBytes(v[:], string(text)); err != nil {
		return errors.New(m.rule())
	}
	*m = v
	return nil
}

func (*MAC) rule() string { return `must be a MAC address in quotes, such as "00:d0:f1:12:34:56"` }

// MarshalText writes the address in lower case.
func (m MAC) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// String returns the lower-case colon form.
func (m MAC) String() string { return formatHexBytes(m[:]) }

// OUI returns the vendor prefix of the address.
func (m MAC) OUI() OUI { return OUI{m[0], m[1], m[2]} }

// OUI is the vendor prefix of a MAC address, written as "00:d0:f1".
type OUI [3]byte

// UnmarshalText parses "00:d0:f1" (either case).
func (o *OUI) UnmarshalText(text []byte) error {
	var v OUI
	if err := parseHexBytes(v[:], string(text)); err != nil {
		return errors.New(o.rule())
	}
	*o = v
	return nil
}

func (*OUI) rule() string { return `must be a vendor prefix (OUI) in quotes, such as "00:d0:f1"` }

// MarshalText writes the prefix in lower case.
func (o OUI) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// String returns the lower-case colon form.
func (o OUI) String() string { return formatHexBytes(o[:]) }

// Upstream is a DNS resolver written as "ip" or "ip:port" (port 53 when
// omitted; IPv6 with a port as "[::1]:53").
type Upstream struct{ netip.AddrPort }

// UnmarshalText parses "ip" or "ip:port".
func (u *Upstream) UnmarshalText(text []byte) error {
	s := string(text)
	if addr, err := netip.ParseAddr(s); err == nil && addr.Zone() == "" {
		u.AddrPort = netip.AddrPortFrom(addr, 53)
		return nil
	}
	ap, err := netip.ParseAddrPort(s)
	if err != nil || ap.Port() == 0 || ap.Addr().Zone() != "" {
		return errors.New(u.rule())
	}
	u.AddrPort = ap
	return nil
}

func (*Upstream) rule() string {
	return `must be an IP address with an optional port, such as "192.168.1.1" or "192.168.1.1:5353"`
}

// MarshalText leaves out the port when it is 53.
func (u Upstream) MarshalText() ([]byte, error) {
	if u.Port() == 53 {
		return []byte(u.Addr().String()), nil
	}
	return []byte(u.AddrPort.String()), nil
}

// parseHexBytes fills dst from len(dst) two-digit hex bytes joined by ':'.
func parseHexBytes(dst []byte, s string) error {
	parts := strings.Split(s, ":")
	if len(parts) != len(dst) {
		return errors.New("wrong number of bytes")
	}
	for i, p := range parts {
		if len(p) != 2 {
			return errors.New("each byte needs two hex digits")
		}
		if _, err := hex.Decode(dst[i:i+1], []byte(p)); err != nil {
			return err
		}
	}
	return nil
}

func formatHexBytes(b []byte) string {
	parts := make([]string, len(b))
	for i, v := range b {
		parts[i] = hex.EncodeToString([]byte{v})
	}
	return strings.Join(parts, ":")
}
