package main

import (
	"fmt"
	"strconv"

	"github.com/psobox/psobox/deploy"
	"github.com/psobox/psobox/deploy/ociimage"
)

const (
	userID      = deploy.UserID
	userName    = "psobox"
	stateDir    = deploy.StateDir
	configDir   = deploy.ConfigDir
	psoboxPath  = deploy.PsoboxPath
	psobotPath  = deploy.PsobotPath
	description = "psobox: DHCP, DNS and a Phantasy Star Online server for Dreamcast and GameCube LAN parties"
)

// psoboxCaps are psobox's file capabilities: binding ports 53 and 67, raw
// sockets for DHCP unicast replies, and netlink address setup in island and
// home mode. They are only permitted, not effective: with the effective bit
// the kernel would refuse to start psobox in a container that grants fewer
// of them (server mode needs only the first), so psobox raises whatever
// it was granted itself.
const psoboxCaps = 1<<ociimage.CapNetBindService | 1<<ociimage.CapNetRaw | 1<<ociimage.CapNetAdmin

// target is one platform of the image and the suffix `make cross` gives
// its binaries.
type target struct {
	suffix   string
	platform ociimage.Platform
}

func targets() []target {
	return []target{
		{"amd64", ociimage.Platform{OS: "linux", Architecture: "amd64"}},
		{"arm64", ociimage.Platform{OS: "linux", Architecture: "arm64"}},
		{"armv6", ociimage.Platform{OS: "linux", Architecture: "arm", Variant: "v6"}},
	}
}

// binaries are one platform's psobox and psobot.
type binaries struct{ psobox, psobot []byte }

// baseLayer is the same on every platform (so stored once): the user, the
// config mount point and the state directory the user owns. A new named
// volume mounted on the state directory starts with its owner and mode.
func baseLayer() ociimage.Layer {
	uid := strconv.Itoa(userID)
	passwd := "root:x:0:0:root:/root:/sbin/nologin\n" +
		userName + ":x:" + uid + ":" + uid + ":psobox:" + stateDir + ":/sbin/nologin\n"
	group := "root:x:0:\n" + userName + ":x:" + uid + ":\n"
	return ociimage.Layer{
		CreatedBy: "psobox mkimage: user " + userName + " (" + uid + "), " + configDir + ", " + stateDir,
		Files: []ociimage.File{
			{Path: "etc", Dir: true, Mode: 0o755},
			{Path: "etc/passwd", Mode: 0o644, Data: []byte(passwd)},
			{Path: "etc/group", Mode: 0o644, Data: []byte(group)},
			{Path: "etc/psobox", Dir: true, Mode: 0o755},
			{Path: "var", Dir: true, Mode: 0o755},
			{Path: "var/lib", Dir: true, Mode: 0o755},
			{Path: "var/lib/psobox", Dir: true, Mode: 0o750, UID: userID, GID: userID},
		},
	}
}

// binLayer holds the two static binaries, owned by root so the user
// cannot replace them.
func binLayer(b binaries) ociimage.Layer {
	return ociimage.Layer{
		CreatedBy: "psobox mkimage: " + psoboxPath + " (capabilities net_bind_service,net_raw,net_admin=p), " + psobotPath,
		Files: []ociimage.File{
			{Path: "usr", Dir: true, Mode: 0o755},
			{Path: "usr/bin", Dir: true, Mode: 0o755},
			{Path: psoboxPath[1:], Mode: 0o755, Data: b.psobox, Caps: &ociimage.FileCaps{Permitted: psoboxCaps}},
			{Path: psobotPath[1:], Mode: 0o755, Data: b.psobot},
		},
	}
}

// runConfig starts psobox as the unprivileged user on its built-in
// defaults (server mode); compose files add `-config`.
func runConfig(labels map[string]string) ociimage.RunConfig {
	uid := strconv.Itoa(userID)
	return ociimage.RunConfig{
		User:         uid + ":" + uid,
		Entrypoint:   []string{psoboxPath},
		Env:          []string{"PATH=/usr/bin", "STATE_DIRECTORY=" + stateDir},
		ExposedPorts: exposedPorts(),
		Labels:       labels,
	}
}

func exposedPorts() map[string]struct{} {
	ports := map[string]struct{}{
		fmt.Sprintf("%d/udp", deploy.DNSPort):    {},
		fmt.Sprintf("%d/tcp", deploy.DNSPort):    {},
		fmt.Sprintf("%d/udp", deploy.DHCPPort):   {},
		fmt.Sprintf("%d/tcp", deploy.StatusPort): {},
	}
	for _, p := range deploy.GamePorts() {
		ports[fmt.Sprintf("%d/tcp", p)] = struct{}{}
	}
	return ports
}
