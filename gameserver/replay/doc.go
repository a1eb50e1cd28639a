// Package replay plays the client side of a session log (a psobox capture,
// or one of the reference server's logs of real consoles) against a running
// game server with real ciphers, and reports the first point where the
// server's answers differ from the recording in command number or order.
//
// # How a connection is replayed
//
// Each recorded connection (C-1, C-2...) is replayed on its own connection,
// in the order they were made, with a short gap between them: a psobot in
// manual mode (ciphers only, no automatic answers) connects to the port it
// was recorded on and, walking the recording in order, waits for each
// command the server sent and sends each command the client sent once every
// server command recorded before it has arrived. The init command's keys are
// the live server's; the client's commands are sent with the live ciphers.
//
// # Values the server chooses
//
// A client echoes some of what the server told it. Every matched pair of
// server commands (recorded, live) teaches a rewrite that is applied to the
// client's later commands, in this and every later connection of the run:
//
//   - 04: the guild card number and the client config, wherever their
//     bytes appear in a client command (61's player data, a later 9E);
//   - menus and game lists (07, 08, 1F, A0, A1, DC NTE's 8E/8F, Episode
//     III's E6) and the lobby list (83): the menu and item IDs of the entry
//     at the same position, patched into the client's 09, 10 and 84;
//   - cipher keys need no rewrite: the ciphers are the live ones.
//
// Credentials are substituted: every serial number, access key, password,
// user name, hardware ID and Xbox identity in the client's login commands
// (as capture.RewriteCredentials finds them) is replaced with a credential
// of the same format made up for this run, the same one wherever the
// recording repeats it. A masked capture therefore logs in as a new licence
// of the same kind; KeepCredentials sends the recorded ones instead.
//
// Pings (1D) are timing, not protocol: the server's pings are answered when
// they arrive and skipped in the comparison, and recorded pings are skipped.
// Other skips (commands a reference server sends that psobox never will)
// are the caller's (Options.Skipper). What is not rewritten: lobby slots
// (client IDs in 6x subcommands), game IDs chosen outside menus, and
// anything another client caused; a recording of several players together
// replays each connection alone, so what the others did shows up as a
// difference.
package replay
