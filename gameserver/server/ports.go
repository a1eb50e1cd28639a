package server

import (
	"fmt"

	"github.com/psobox/psobox/gameserver/wire"
)

// PortKind is what a listener speaks. The clients hardcode the port numbers;
// the kind decides how a new connection is greeted and which ciphers and
// login commands it may use.
type PortKind uint8

// Port kinds.
const (
	// PortConsole carries Dreamcast (V2 cipher) and GameCube (V3) clients,
	// told apart by trial-decrypting the first command header.
	PortConsole PortKind = iota + 1
	PortPC               // PSO PC: V2 cipher, PC header
	PortXbox             // Xbox: V3 cipher
	PortSplit            // 9100: one split reconnect sends PC and consoles to their ports
	PortBB               // Blue Burst login and data (only with key tables)
)

func (k PortKind) String() string {
	switch k {
	case PortConsole:
		return "console"
	case PortPC:
		return "pc"
	case PortXbox:
		return "xbox"
	case PortSplit:
		return "pc-console-split"
	case PortBB:
		return "bb"
	}
	return fmt.Sprintf("PortKind(%d)", uint8(k))
}

// Port is one listener of the table.
type Port struct {
	Number int // the port the clients use
	Kind   PortKind
	Name   string
}

// The ports the split reconnect on 9100 sends PC and console clients to.
const (
	splitPCPort      = 9300
	splitConsolePort = 9103
)

// Ports returns the listener table for the options: the console ports of
// every region, PC, Xbox, the 9100 split and, with BB key tables, the Blue
// Burst ports. The patch servers (10000, 11000, 11100, 11200) are not
// served: psobox has no patch protocol, and clients skip patching when the
// patch port does not answer.
func Ports(pcOn9100, withBB bool) []Port {
	ports := []Port{
		{9000, PortConsole, "gc-jp10"}, {9001, PortConsole, "gc-jp11"},
		{9002, PortConsole, "gc-jp3te"}, {9003, PortConsole, "gc-jp3"},
		{9064, PortConsole, "gc-us12t1"}, {9100, PortSplit, "gc-us10"},
		{9103, PortConsole, "gc-us3"}, {9200, PortConsole, "gc-eu10"},
		{9201, PortConsole, "gc-eu11"}, {9202, PortConsole, "gc-eu3-50"},
		{9203, PortConsole, "gc-eu3-60a"}, {9204, PortConsole, "gc-eu3-60b"},
		{9300, PortPC, "pc"}, {9500, PortXbox, "xb"},
	}
	if !pcOn9100 {
		ports[5].Kind = PortConsole
	}
	if withBB {
		ports = append(ports, Port{11101, PortBB, "bb-jp"}, Port{12000, PortBB, "bb-data1"}, Port{12001, PortBB, "bb-data2"})
	}
	return ports
}

// initialVersion is the version a connection is treated as before its first
// command says better: it fixes the header layout of the server init.
func (k PortKind) initialVersion() wire.Version {
	switch k {
	case PortPC, PortSplit:
		return wire.PCV2
	case PortXbox:
		return wire.XBV3
	case PortBB:
		return wire.BBV4
	}
	return wire.GCV3
}
