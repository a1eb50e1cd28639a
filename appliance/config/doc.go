// Package config is psobox's user configuration: one TOML file for every
// part of the appliance (network mode, DNS, DHCP, game server, status page,
// captures).
//
// The defaults live in default.toml, built into the binary; it is also the
// commented example users start from, so a default is never written twice.
// A user file only holds the keys it changes, and psobox runs without one.
//
// Loading is strict. Unknown keys, values of the wrong type, values out of
// range and impossible combinations are refused with one line that names
// the key, the value and what is allowed:
//
//	config: dhcp.lease_time = "5s": must be between 1m and 720h
//
// Other packages never import this one: the appliance's wiring maps a
// Config to each package's own options.
package config
