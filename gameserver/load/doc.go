// Package load runs many psobot clients (package client) against a game
// server at once and measures what players would feel: how fast they log
// in, how many chat lines and relayed game commands reach them, and how
// long a relayed command takes from its sender to each receiver.
//
// Bots of several console versions (assigned to groups of four in turn,
// so a group can share a game) start evenly over a ramp-up, log in, join
// the lobby the server seats them in, and part of the groups create and
// join games of four. In the steady state each bot chats and sends
// relayed commands at set rates until the run ends; then all of them
// leave.
//
// Latency is measured end to end on one clock: the sender puts the load
// process's monotonic time into the command and each receiver subtracts
// it from the time the command arrived. Relayed traffic is subcommand
// 6x02, which every version has, servers relay unchanged, and consoles
// ignore (no version reads what it stores); chat lines carry the time in
// their text. Both measurements include the load generator's own work,
// which shares the machine with the server.
//
// Bots dial from distinct local addresses (Options.Sources, e.g. one
// 127.x.y.z per bot on loopback), so a server's per-address limit applies
// to them as it would to consoles on a LAN. The server's memory and
// goroutines are read from its status JSON before, during and after the
// run, and its CPU time from /proc when its process ID is given.
package load
