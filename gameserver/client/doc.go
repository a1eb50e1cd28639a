// Package client is a scripted PSO client: it speaks the client side of the
// game server protocol of every console version (DC NTE, DC v1, DC v2, PC,
// GameCube Episode I&II and III, Xbox) the way a real console does, so that
// tests, load benchmarks and people diagnosing a server can log in, reach the
// lobby and (as later verbs are added) chat, play and load quests.
//
// # Sessions
//
// Dial connects, follows any reconnect (19) the server sends, including the
// PC/console split of a shared port, sets up the ciphers from the server's
// init command (17/02) as the client side, and performs the version's login
// sequence until the server shows its main menu. Lobby then picks the menu
// item that leads to the lobby and waits for the join (67).
//
// Like a console, a Client answers the server on its own: pings (1D), the
// server time (B1 with 99), requests for player data (95/8D with 61, built
// from one canonical wire.Player in the version's layout), message boxes
// (D5 with D6 on V3), code execution requests (B2 with B3), the Episode III
// rank and card updates, and the patch-enabling quest some servers send
// during login (44/13/AC). Config.Manual turns all of that off, leaving a
// connection with working ciphers for replaying recorded sessions.
//
// # Watching a session
//
// Every command received is queued in order: Next returns the next one,
// Expect waits for particular commands, and Config.OnReceive sees each one
// as it arrives. Config.Trace receives a Step for everything that happens
// (connection, keys, cipher, each command sent and received with its
// meaning, phase changes), which psobot prints. Failures are *StepError
// values naming the phase the session was in.
//
// A Client reads in its own goroutine and is safe for concurrent use.
package client
