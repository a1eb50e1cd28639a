package deploy

import "github.com/psobox/psobox/gameserver/server"

// Where things are in the container image that deploy/mkimage builds; the
// compose files refer to the same places.
const (
	PsoboxPath = "/usr/bin/psobox"
	PsobotPath = "/usr/bin/psobot"
	ConfigDir  = "/etc/psobox"
	ConfigPath = ConfigDir + "/psobox.toml" // where the compose files mount the config
	StateDir   = "/var/lib/psobox"          // $STATE_DIRECTORY; a named volume in the compose files
	// UserID is the image's unprivileged user and group: the "nonroot" id
	// of distroless images, which no host user is likely to own.
	UserID = 65532
)

// GamePorts are the TCP ports PSO clients connect to: the game server's
// console and PC ports (gameserver/server.Ports), without Blue Burst's,
// which psobox serves only when given key tables. The games hardcode them,
// so they are never configurable.
func GamePorts() []int {
	var out []int
	for _, p := range server.Ports(true, false) {
		out = append(out, p.Number)
	}
	return out
}

// Other ports of psobox.
const (
	DNSPort    = 53
	DHCPPort   = 67
	StatusPort = 8080 // status.listen's default
)
