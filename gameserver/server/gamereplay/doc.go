// Package gamereplay replays the recorded sessions of real consoles (the
// reference server's session logs) against a game server, every client of
// a log at once and in the log's order, with the real ciphers, and reports
// how the server treated the game traffic: whether every command a client
// sent was accepted (the server kept the connection) and whether every
// relayed subcommand (60, 62, 6C, 6D, C9, CB) reached the players the
// reference server delivered it to, and no one else.
//
// # How the log drives the replay
//
// Client commands are sent as recorded. Where the server's own choices
// appear in a client command, the replay maps them: a game selection (10)
// or game info request (09) names a game by the ID from the reference
// server's game list (08); the replay looks the game's name up in that
// logged list and sends the ID the server under test gave the game of the
// same name in its own list. Client commands that only answer something the
// reference server does and psobox does not (B3, the answer to client code
// sent with B2; the function-call quest at login) are skipped and counted.
//
// Causality between clients is kept by waiting, before the next logged
// command is sent, for the server commands that move players or list games
// (08, 64-69) where the log shows them, and by letting relayed commands
// arrive before a command that moves players (05, 0C, C1, EC, 10, 84, 98)
// or a disconnect.
//
// # How deliveries are compared
//
// The reference server's deliveries are read from the log: every relayed
// command it sent is attributed to the subcommand a client sent with the
// same bytes (in the final numbering, with the fields a server rewrites
// cleared), or, when it rewrote the bytes (entity IDs across versions,
// Episode III's masking), the latest one with the same number and size.
// The server under test's deliveries are matched the same way as they
// arrive. A subcommand is routed as the reference server when both
// delivered it to the same set of players (to none included).
package gamereplay
