package server

import "fmt"

// The relay rules of every subcommand, in the final numbering (DC v1 and
// later), following the reference server's subcommand table: which ones
// are relayed at all, only in games or only in lobbies, only when the
// client ID they carry is the sender's, only to everyone or only to one
// player, and the few the server must look into. psobox keeps no item,
// enemy or map state, so where the reference server updates its own state
// and forwards, psobox checks what can be checked without that state and
// forwards.

// relayFlags are the conditions of one subcommand.
type relayFlags uint32

const (
	rInvalid     relayFlags = 1 << iota // not a valid subcommand: dropped and logged
	rBlocked                            // valid, never relayed (6x94 inter-level warp)
	rBBOnly                             // Blue Burst's server-side subcommands
	rGame                               // only in games
	rLobby                              // only in lobbies
	rSelf                               // the client ID at selfAt is the sender's
	rSelfBE                             // ... big-endian on GameCube (word select)
	rPublic                             // never by 62/6D
	rPrivate                            // only by 62/6D
	rLeader                             // only from the game's leader
	rSync                               // state owed to a joiner (6x6B-6x70): owed, by 62/6D
	rSyncLoad                           // ... only while a player is loading (6x6B-6x6F)
	rXbox                               // Xbox voice chat: between Xbox clients only
	rGCNTEOnly                          // GC trial-only subcommands: V3 and the GC trial, never mixed
	rSameVersion                        // relayed raw to the same version only (word select)
	rEp3Game                            // Episode III games only
	rEp3Lobby                           // Episode III lobbies only
	rUltimate                           // Ultimate games only
	rCamera                             // only the camera shutter sound (6xB2)
	rSelfOrFree                         // the client ID is the sender's or an empty slot (NPCs)
)

// relayRule is the rule of one subcommand number.
type relayRule struct {
	flags  relayFlags
	selfAt uint8 // offset of the 16-bit client ID rSelf checks
}

// relayRules is indexed by final subcommand number.
var relayRules = buildRelayRules()

func buildRelayRules() *[256]relayRule {
	var t [256]relayRule
	var seen [256]bool
	set := func(f relayFlags, nums ...uint8) {
		for _, n := range nums {
			if seen[n] {
				panic(fmt.Sprintf("relay rule for subcommand %02X given twice", n))
			}
			seen[n] = true
			t[n].flags, t[n].selfAt = f, 2
		}
	}
	set(rInvalid, 0x00, 0x01, 0x08, 0x09, 0x0F, 0x1A, 0x1D, 0x1E, 0x35, 0x3D, 0x51, 0xB6, 0xB9, 0xD3, 0xDB, 0xDD, 0xE3)
	for n := 0xE5; n <= 0xFF; n++ {
		set(rInvalid, uint8(n))
	}
	// Relayed wherever the sender is.
	set(0, 0x02, 0x03, 0x04, 0x1F, 0x21, 0x3B, 0x3C, 0x54, 0x5B, 0x78, 0x7B, 0x7E, 0x9E, 0xA7, 0xB1, 0xBE, 0xC1, 0xC2, 0xCD, 0xCE)
	// Game state: games only.
	set(rGame, 0x0C, 0x0D, 0x1B, 0x1C, 0x30, 0x31, 0x32, 0x33, 0x34, 0x36, 0x37, 0x38, 0x39, 0x3A,
		0x4F, 0x53, 0x5C, 0x5D, 0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x69, 0x73, 0x75, 0x76, 0x77,
		0x7D, 0x80, 0x81, 0x82, 0x83, 0x85, 0x87, 0x88, 0x8A, 0x8B, 0x8C, 0x8E, 0x90, 0x91, 0x92, 0x93,
		0x95, 0x96, 0x98, 0x99, 0x9B, 0x9D, 0xA1, 0xA2, 0xA6, 0xAD, 0xD4, 0xDC)
	// Entity and boss state the reference server keeps per game: games
	// only, and to everyone.
	set(rGame|rPublic, 0x05, 0x0A, 0x0B, 0x0E, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19,
		0x46, 0x47, 0x49, 0x68, 0x6A, 0x7F, 0x84, 0x86, 0x89, 0x8F, 0x9F, 0xA0, 0xA3, 0xA4, 0xA5, 0xA8,
		0xA9, 0xAA, 0xE4)
	// About the sender itself: its client ID must be the sender's.
	set(rSelf, 0x20, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x2A, 0x2C, 0x2D, 0x2E, 0x3E, 0x3F,
		0x40, 0x41, 0x42, 0x55, 0x56, 0x57, 0x58, 0xAE)
	set(rSelf|rGame, 0x29, 0x2F, 0x43, 0x44, 0x45, 0x48, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x50, 0x5A, 0x5E, 0x7A, 0x8D, 0x9A)
	set(rSelf|rPublic, 0x52)
	set(rSelf|rLobby, 0xAF, 0xB0)
	set(rLobby, 0x79)
	set(rGame|rSelfOrFree, 0x2B)
	set(rGame|rPublic|rLeader, 0x5F) // box and enemy drops: the leader's console makes them
	set(rGame|rLeader, 0x97)
	set(rGame|rPublic|rUltimate, 0x9C)
	set(rGame|rSync|rSyncLoad, 0x6B, 0x6C, 0x6D, 0x6E)
	set(rGame|rSync|rSyncLoad|rLeader, 0x6F)
	set(rGame|rSync, 0x70)
	set(rGame, 0x71, 0x72) // unblock and resume: forwarded even when not owed, or a game could stay paused
	set(rBlocked, 0x94)
	set(rPrivate, 0x06) // guild cards: rebuilt per receiver (relay_transcode.go)
	set(rSelf, 0x07)
	t[0x07].selfAt = 4 // symbol chat: a 32-bit client ID after the header
	set(rSelf|rSelfBE|rPublic|rSameVersion, 0x74)
	set(rSelf|rGame, 0x59, 0x7C)
	t[0x59].selfAt = 4  // pick up: the second client ID
	t[0x7C].selfAt = 4  // challenge records
	t[0x2F].selfAt = 10 // change HP: the client ID after type and amount
	set(rCamera, 0xB2)
	set(rXbox, 0xB3, 0xB4)
	set(rGCNTEOnly, 0xAB, 0xAC)
	set(rGame|rEp3Game, 0xB5, 0xBA, 0xBB)
	set(rGame|rEp3Game|rPrivate, 0xBC)
	set(rEp3Lobby, 0xBF)
	set(rBBOnly, 0xB7, 0xB8, 0xBD, 0xC0, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB, 0xCC,
		0xCF, 0xD0, 0xD1, 0xD2, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA, 0xDE, 0xDF, 0xE0, 0xE1, 0xE2)
	for n, ok := range seen {
		if !ok {
			panic(fmt.Sprintf("no relay rule for subcommand %02X", n))
		}
	}
	return &t
}
