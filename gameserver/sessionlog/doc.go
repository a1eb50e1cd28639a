// Package sessionlog reads and writes session logs: per-connection records of
// every command both ways, in plaintext, in the line format the reference
// server (newserv) uses for its replay tests. One harness can therefore replay
// newserv's logs of real consoles and psobox's own captures.
//
// A log is a sequence of lines. The ones that matter:
//
//	I 1 2025-05-22 20:15:50 - [GameServer] Client connected: C-1 via TSI-9003-GC_V3-game_server
//	I 1 2025-05-22 20:15:50 - [Commands] Sending to C-1 @ ... (version=GC_V3 command=17 flag=00)
//	0000 | 17 00 00 01 44 72 65 61 6D 43 61 73 74 20 50 6F |     DreamCast Po
//	I 1 2025-05-22 20:15:50 - [Commands] Received from C-1 @ ... (version=GC_V3 command=DB flag=00)
//	I 1 2025-05-22 20:15:52 - [C-1] Running cleanup tasks for C-1
//	I 1 2025-05-22 20:15:52 - [Note] C-1 disconnected: client closed the connection
//	I 1 2025-05-22 20:15:49 - [Note] dns: gc01.st-pso.games.sega.net -> 198.18.55.1
//	### on C-1 cc $help
//
// Notes are psobox's own addition (newserv's logs have none): a connection's
// events, or with no client name, events about the console such as its DHCP
// lease and DNS lookups. A note is always one line and is recognised before
// anything else on it, so its text can never read as a command.
//
// "Sending to" is what the server sent, "Received from" what the client sent;
// the hex rows are the whole command, header included. The command and flag
// in the line are informative only: the bytes are authoritative.
package sessionlog
