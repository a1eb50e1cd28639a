// Package deploy holds psobox's container deployment: compose files and
// example configs beside this file, and the facts they share with the image
// builder (deploy/mkimage), such as the game's TCP ports. Its tests check
// the compose files against the Compose specification and against the
// rules the README gives (host networking for DHCP, capabilities, a
// read-only root), that the example configs load, and what the README says
// about systemd-resolved's stub listener taking port 53.
package deploy
