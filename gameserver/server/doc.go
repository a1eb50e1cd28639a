// Package server is the PSO game server: it listens on every port the
// consoles hardcode, greets each client with its cipher keys, tells the
// versions apart, logs them in against the licence store (package
// accounts), shows the main and information menus, seats players in the
// lobbies, carries what they do there (chat, guild cards, mail,
// searches, info boards) and runs their games and quests.
//
// # Ports and versions
//
// Ports lists the listeners. Console ports carry Dreamcasts and GameCubes:
// after the plaintext server init (17) the first four bytes the client sends
// are trial-decrypted with both ciphers (crypt.DetectV2V3), then the login
// command and its sub_version settle the version (DC NTE, 11/2000, DC v1,
// DC v2, GC trial, GC Episode I&II incl. Plus, Episode III and its trial).
// The PC port is fixed to V2 and the Xbox port to V3. Port 9100 answers
// with one crafted 19 that PC reads as "go to 9300" and consoles as "go to
// 9103"; with PCOn9100 false it is a console port. Blue Burst ports open
// when key tables are given, find the client's table and refuse the login
// with the client's own "maintenance" message: the BB data server is not
// implemented. There is no patch server.
//
// # Goroutines, queues and locks
//
// Each connection has two goroutines. The session goroutine reads and
// dispatches commands and owns the session state (the client's phase, its
// login, its lobby seat); nothing else touches that state. The writer
// goroutine owns the write side: it takes every command queued in the
// client's outbox, encodes and encrypts the batch with the connection's
// wire.Framer and sends it with one Write. The outbox is bounded in bytes;
// pushing never blocks, and a client whose outbox is full is dropped as too
// slow, so fan-out to a lobby (or later a game) never waits on one client.
// Changing the version or installing the ciphers is an operation queued in
// order with the commands and run by the writer; the session goroutine waits
// for it before reading on.
//
// State other goroutines read is published atomically: version, guild card
// number, the canonical player (wire.Player, replaced whole on each 61) and
// records. Lobbies are shared: each Lobby has a mutex that guards its member
// slots and leader and is held while a join or leave is announced, so every
// member sees the same order of events; announcing only pushes to outboxes.
// Lock order is Lobby.mu, then an outbox's lock; a goroutine holds at most
// one lobby lock (moving between lobbies joins the new one, then leaves the
// old one). Games follow the same pattern: a Game has four slots under its
// own mutex, and a player is in one lobby or one game, never both (joining
// a game leaves the lobby first). A single owner goroutine per lobby was
// considered and not chosen: it adds a hop and a goroutine to every relayed
// command, and joins would need request/response plumbing, for no gain
// while pushes cannot block.
//
// # Games
//
// The game list (08) shows the games of the player's compatibility group
// (DC v1, DC v2 and PC; GameCube and Xbox; every other version alone);
// choosing one (10) joins it unless a rule refuses the player with a
// message: full, wrong password, another version, the v1 family and
// Ultimate, Challenge or v2-only games, Episode II without a V3 console,
// the level the difficulty needs, another player still joining. The
// server's part of the join handshake is the 64 to the joiner, 65 to the
// others and a ping; what the others relay to the joiner is held until it
// answers that ping, so that the game's state never reaches it on the
// frame of its 64, and the state each member owes the joiner (6x6B-6x70)
// is tracked so that no one else can send it. Leaving (98, or
// disconnecting) hands the lead to the next slot (66); the last one out
// closes the game. Episode III card trades (EE) run between two players
// of a game; its card battle engine (CA) is not implemented.
//
// Relayed commands (60, 62, 6C, 6D, Episode III's C9/CB) are judged one
// subcommand at a time against relayRules, which follow the reference
// server's subcommand table: game-only subcommands are dropped in lobbies
// and the reverse, the client ID of subcommands about the sender must be
// the sender's, private-only and public-only subcommands stay so, and
// invalid ones are dropped; each drop is logged (rate-limited per client)
// and the session goes on. DC NTE's and 11/2000's numbering is translated
// per receiver, and the few subcommands whose layout differs between
// versions that play together are rewritten (guild cards, quest flags,
// GameCube/Xbox player state). Drops are the leader's console's: drop and
// pick-up requests reach the leader, its drops everyone. The session judges
// with a reusable relayItem and holds the room's lock only around the
// pushes, so a relayed command allocates nothing.
//
// # Quests
//
// The quest directory (Options.QuestDir, the reference server's layout,
// read by package quest) is loaded once at Listen; files that cannot be
// used are logged and skipped (QuestProblems lists them for the status
// page) and the server starts without them, or without quests at all.
// In a game the quest counter (A2) lists the categories of the game's
// mode, then a category's quests (10, A2), then a quest's description
// (09, A3), showing only quests every member's version can load; while
// a player has the menu open (until A9) or a quest runs, nobody joins.
// The chosen quest goes to each member in its own version and language
// (44, then 13 chunks): versions before V3 get every chunk at once and
// start when they have them; V3 consoles acknowledge each chunk (13) and
// never have more than four unacknowledged over all the files
// (fileSender, quest_send.go), report ready with AC, and all start when
// the server answers AC to each once the last one is ready (the barrier;
// a player who leaves is no longer waited for). Acknowledgements that
// match nothing sent are logged and dropped. Download quests come from the
// main menu's "Download quests", shown when there are any for the
// version: A4 menus, A5 descriptions, then A6 and A7 chunks in download
// form (V2-encrypted), through the same window on V3.
//
// # Blocks and lobbies
//
// A block is the 20 lobbies every client knows (15 for everyone, DC v1
// seeing the first 10, and Episode III's 5 CARD lobbies), 12 players each.
// Players are seated in the first lobby with room, block by block; when
// all are full the next block opens (blocks.go), up to enough blocks for
// MaxClients, so 1000 consoles are all seated. The lobby teleporter (84)
// moves within a block; the block counter (A1) leaves the lobby for the
// block menu; the ship counter (A0) for the main menu. A guild card search
// answers with the block and lobby, which a "meet user" login returns.
//
// # Social
//
// Everything players send each other is rebuilt in each receiver's layout
// and text encoding from the canonical player (wire.Player): rosters
// (names re-encoded in the receiver's language), chat lines (chatformat.go
// documents the bytes per version), guild cards (guildcard.go), mail, info
// boards and search results. Symbol chat goes to every version; word select
// only to versions sharing the sender's phrase table (subchat.go). Chat
// fan-out encodes a line once per receiver format into buffers the session
// reuses, so it does not allocate per receiver. Chat commands ($help, $who,
// $info, $time, $uptime, $bbchar) are answered privately. Mail to a player
// who is not in a lobby is kept in the accounts database and delivered at
// the next lobby join; info boards and auto-replies are kept per account.
// Players and Lobbies snapshot the server for the status page.
//
// # Commands
//
// routes maps each command number to the handlers of the phases it is
// allowed in (login, menu, lobby). A command that is unknown, not allowed
// in the phase, malformed (wire decoding is strict) or oversized ends that
// client's session with the reason logged (component game, client id,
// remote address, version, command). A panic in a client's goroutine is
// recovered, logged with its stack, and drops only that client. Commands of
// features not implemented yet (the lobby's information counter, choice
// search) are validated and answered with a message box.
//
// Logins follow the reference server's sequences (newserv), which the tests
// replay from real consoles' sessions: 04 (guild card), B1 (time), 95 and the
// client's 61 (player data), Episode III's B7/B8/CC, the welcome message on
// GameCube (D5, closed with D6), the main menu (07) with the reference
// server's menu and item IDs, then on "Go to lobby" 97/99, 83, C5 and 67.
//
// # Capture and recent connections
//
// Options.Capture, when set, is asked for a Recorder for every new
// connection (capture.go); one it returns becomes the connection's
// wire.Tap, so it sees every command in plaintext both ways with the
// version in effect, and hears once how the connection ended. With capture
// off it returns nil and the connection pays one nil check per command.
// RecentConnections lists open connections and the last ended or refused
// ones with how far each got, for the status page.
//
// # Timeouts and limits
//
// A client must finish its login within LoginTimeout, and is dropped after
// IdleTimeout without any command; logged-in clients are pinged (1D) every
// PingInterval so a live console never goes idle. MaxClients and MaxPerIP
// refuse new connections with a log line. Writes time out after IdleTimeout.
package server
