package dhcp

import (
	"encoding/hex"
	"fmt"
	"net"
	"strings"
)

// OUI is the first three bytes of a MAC address: the IEEE-assigned vendor.
type OUI [3]byte

// ParseOUI accepts "00:09:BF", "00-09-bf" or "0009BF".
func ParseOUI(s string) (OUI, error) {
	clean := strings.NewReplacer(":", "", "-", "", ".", "").Replace(strings.TrimSpace(s))
	var o OUI
	if len(clean) != 6 {
		return o, fmt.Errorf("OUI %q: want three bytes like 00:09:BF", s)
	}
	if _, err := hex.Decode(o[:], []byte(clean)); err != nil {
		return o, fmt.Errorf("OUI %q: %w", s, err)
	}
	return o, nil
}

func (o OUI) String() string {
	return fmt.Sprintf("%02X:%02X:%02X", o[0], o[1], o[2])
}

// hwKey is an Ethernet address usable as a map key.
type hwKey [6]byte

func keyOf(mac net.HardwareAddr) hwKey {
	var k hwKey
	copy(k[:], mac)
	return k
}

func (k hwKey) mac() net.HardwareAddr { return net.HardwareAddr(k[:]) }
func (k hwKey) oui() OUI              { return OUI{k[0], k[1], k[2]} }

const (
	segaOUIHex     = "00D0F1" // the only Sega OUI: Dreamcast Broadband/LAN adapters
	gamecubeOUIHex = "0009BF" // Nintendo's oldest OUI: GameCube BBA (and Dolphin's emulated one)
)

// nintendoOUIs lists every MA-L block the IEEE registry assigns to
// "Nintendo Co., Ltd." (82 entries), from the registry file oui.txt as
// shipped in Debian's ieee-data 20220827.1. Wii consoles running Nintendont
// (emulated GameCube BBA) and Wii LAN adapters may use any of them.
const nintendoOUIs = `
0009BF 001656 0017AB 00191D 0019FD 001AE9 001B7A 001BEA 001CBE 001DBC
001E35 001EA9 001F32 001FC5 002147 0021BD 00224C 0022AA 0022D7 002331
0023CC 00241E 002444 0024F3 0025A0 002659 002709 0403D6 182A7B 1C4586
200BCF 2C10C1 342FBD 34AF2C 40D28A 40F407 48A5E7 582F40 58B03E 58BDA3
5C0CE6 5C521E 606BFF 64B5C6 702C09 7048F7 70F088 748469 74F9CA 7820A5
78A2A0 7CBB8A 80D2E5 8C56C5 8CCDE8 9458CB 98415C 98B6E9 98E8FA 9CE635
A438CC A45C27 A4C0E1 B87826 B88AEC B8AE6E BC9EBB BCCE25 CC5B31 CC9E00
CCFB65 D05509 D4F057 D86BF7 DC68EB E00C7F E0E751 E0F6B5 E84ECE E8A0CD
E8DA20 ECC40D
`

// consoleSet decides which MACs are consoles (home mode answers only them,
// and they get the minimum lease) and names their vendor.
type consoleSet struct {
	vendors map[OUI]string // built-in console vendors
	ouis    map[OUI]bool   // every console prefix: built-in plus configured
	macs    map[hwKey]bool // configured single MACs
}

func newConsoleSet(extraOUIs []OUI, extraMACs []net.HardwareAddr) (*consoleSet, error) {
	c := &consoleSet{vendors: builtinVendors(), ouis: map[OUI]bool{}, macs: map[hwKey]bool{}}
	for o := range c.vendors {
		c.ouis[o] = true
	}
	for _, o := range extraOUIs {
		c.ouis[o] = true
	}
	for _, m := range extraMACs {
		if len(m) != 6 {
			return nil, fmt.Errorf("dhcp: console MAC %q is not an Ethernet address", m)
		}
		c.macs[keyOf(m)] = true
	}
	return c, nil
}

func builtinVendors() map[OUI]string {
	v := map[OUI]string{}
	for _, h := range strings.Fields(nintendoOUIs) {
		v[mustOUI(h)] = "Nintendo"
	}
	v[mustOUI(gamecubeOUIHex)] = "Nintendo (GameCube BBA)"
	v[mustOUI(segaOUIHex)] = "Sega (Dreamcast BBA)"
	return v
}

// mustOUI is only used on the constant tables above; a test parses them all.
func mustOUI(h string) OUI {
	o, err := ParseOUI(h)
	if err != nil {
		panic(err)
	}
	return o
}

func (c *consoleSet) isConsole(k hwKey) bool {
	return c.macs[k] || c.ouis[k.oui()]
}

// vendor guesses who made the network adapter, for the status page.
func (c *consoleSet) vendor(k hwKey) string {
	if v, ok := c.vendors[k.oui()]; ok {
		return v
	}
	switch {
	case c.isConsole(k):
		return "console (configured)"
	case k[0]&0x02 != 0:
		return "locally administered (random or emulator MAC)"
	}
	return "unknown (OUI " + k.oui().String() + ")"
}
