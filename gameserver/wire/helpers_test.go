package wire

import "net/netip"

func netipMustAddrPort(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }
