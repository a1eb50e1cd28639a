// Package deploy holds psobox's container deployment: compose files and
// example configs beside this file, and the facts they share with the image
// builder (deploy/mkimage), such as the game's TCP ports. Its tests check
// the compose files against the Compose specification and against the
// rules the README gives (host networking for DHCP, capabilities, a
// read-only root), and that the example configs load.
package deploy
