// Package capture records game sessions for bug reports, in the session log
// format of package sessionlog (the reference server's replay logs), so that
// a capture from a real console replays as a test (package replay).
//
// # What is recorded
//
// One file per console (client IP address): every game connection from it
// ("Client connected: C-1A via TG-9103-GC_V3-gc-us3-game_server"), every
// command both ways in plaintext with the version in effect, the end of each
// connection and why, and, as notes without a client, what DHCP and DNS saw
// of that address. The game server hands each connection's commands to a
// Recorder (its wire.Tap); psobox's wiring adds the notes.
//
// A console's file opens with its first connection or PSO name lookup and
// closes Linger after its last connection ended, so the 9100 split, the
// login on 9103 and a later reconnection land in one file. DHCP events alone
// wait (ten minutes at most) for the console's next file.
//
// # Limits
//
// A file rotates (closes, and a new one continues it) before it would grow
// past MaxFileBytes; before any write, the oldest closed files are deleted
// until all capture files fit in MaxTotalBytes, and when they cannot (the
// open files alone fill it) events are dropped and counted. Writes are
// unbuffered appends, so a crash loses nothing and a download is always
// complete up to the last event.
//
// # Credentials
//
// Unless KeepCredentials is set, the credentials in the clients' login
// commands (serial numbers, access keys, passwords, user names, e-mail,
// hardware IDs, Xbox gamertags, user IDs and network data) are replaced with
// fakes of the same length and format (hex stays hex, digits stay digits),
// consistent within the process so one console keeps one fake licence.
// Sizes never change, so a masked capture parses and replays; the replay
// substitutes credentials of its own in the same format. RewriteCredentials
// finds those fields for both.
package capture
