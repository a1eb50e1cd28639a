package deploy

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

// GamePorts are the TCP ports PSO clients connect to. The games hardcode
// them, so they are never configurable: GameCube JP 1.0 and 1.1, Episode III
// JP trial and JP, the Episode I&II trial, GameCube US 1.0 and PC, Episode
// III US, GameCube EU and Dreamcast, Episode III EU, PC, and Xbox.
func GamePorts() []int {
	return []int{9000, 9001, 9002, 9003, 9064, 9100, 9103, 9200, 9201, 9202, 9203, 9204, 9300, 9500}
}

// Other ports of psobox.
const (
	DNSPort    = 53
	DHCPPort   = 67
	StatusPort = 8080 // status.listen's default
)
