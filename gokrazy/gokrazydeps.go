//go:build for_go_mod_tidy_only

// Package gokrazydeps pins, in the repository's go.mod, every module the
// gokrazy images are built from: the init system and its system programs,
// the kernels, the Raspberry Pi firmware and EEPROM. monogok builds the
// images from this module's go.mod, so the versions here are the versions in
// the image.
//
// The file is never compiled. Its build tag is not "ignore" on purpose: go
// mod tidy skips files tagged ignore, but considers every other tag, so it
// keeps these requirements (and their go.sum lines) instead of dropping
// them.
package gokrazydeps

import (
	_ "github.com/gokrazy/firmware"
	_ "github.com/gokrazy/gokrazy"
	_ "github.com/gokrazy/gokrazy/cmd/randomd"
	_ "github.com/gokrazy/kernel.arm64"
	_ "github.com/gokrazy/kernel.rpi"
	_ "github.com/gokrazy/rpi-eeprom"
)
