// Package accounts keeps the console licences that may log in to the game
// server and the guild card number each one was given, and per guild card
// number what outlives a session: the player's profile (info board,
// auto-reply, last character name) and simple mail kept for a player who
// was offline when it was sent (at most MaxMailbox each, taken out when
// delivered).
//
// A licence is what a console presents at login: a serial number and access
// key (Dreamcast, PC, GameCube), a password on GameCube, a gamertag and user
// ID on Xbox, a user name and password on Blue Burst. Each licence is one
// account here; its guild card number is allocated once, when the licence is
// registered, from a single counter, so numbers are unique across kinds and
// never change for that licence.
//
// Everything lives in one embedded bbolt file (pure Go, so CGO_ENABLED=0
// builds keep working) in the state directory. Every change is one bbolt
// transaction: it is written with copy-on-write pages and made durable with
// fsync before the call returns, so a crash or power cut leaves either the
// old or the new state, never a mix. Concurrent registrations are coalesced
// into shared transactions (bbolt's Batch) to keep logins fast when many
// consoles arrive at once.
//
// Open checks the file's consistency and names the file in every error, so a
// damaged database stops start-up with a message a user can act on instead
// of failing later. Secrets (access keys, passwords) are stored as the
// consoles send them: the consoles send them in the clear anyway, and the
// file is created readable by its owner only.
//
// Login, Profile, SetProfile, KeepMail and TakeMail are what the game
// server calls. Add, List, Remove and SetBanned are what the account tool
// (psobox accounts) calls while the server is stopped.
package accounts
