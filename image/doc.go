// Package image builds psobox's gokrazy disk images and checks them.
//
// An image is built from an instance directory, gokrazy/<name>/config.json,
// by monogok (pinned in tools/go.mod), which compiles psobox and gokrazy's
// init from this repository's go.mod and writes gokrazy's layout: a GPT
// with a hybrid MBR, a FAT boot partition, two SquashFS root partitions
// (A/B, for updates) and /perm. Build then formats /perm as ext4, so that
// psobox's state directory /perm/psobox exists from the first boot, and
// runs Check on the result.
//
// Check reads an image without root or loop devices: the partition tables
// and the ext4 superblock in Go, the FAT partition with mtools and the
// SquashFS root with unsquashfs (Debian's mtools and squashfs-tools). It
// verifies the layout, the boot files of every supported Raspberry Pi,
// that /user/psobox is a static binary for the image's architecture, that
// init starts it with -config=/etc/psobox/psobox.toml, and that this file
// is a valid psobox config fit for gokrazy.
//
// Validate holds the rules for the instance configs themselves (no DHCP
// client, no NTP, no WaitForClock, no shell, explicit kernel and firmware).
// SetConfig replaces the psobox config inside a built image, for people who
// flash a released image with their own settings.
//
// The command psobox-image (image/cmd/psobox-image) is the front end the
// Makefile uses.
package image
