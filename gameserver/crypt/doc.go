// Package crypt implements the three stream ciphers PSO clients use on the
// game, login and patch servers, the Blue Burst key tables they need, and the
// detection of which cipher (or which BB key table) a new client speaks.
//
//   - V2 (NewV2): Dreamcast, PC, GameCube trial edition and both patch
//     protocols. A 55-word subtractive lagged-Fibonacci generator.
//   - V3 (NewV3): GameCube Episode I&II and III, Xbox. A 521-word XOR
//     (GFSR-style) generator.
//   - BB (NewBB): Blue Burst. A Blowfish-style Feistel cipher on 8-byte blocks
//     keyed by a table the user supplies (.nsk files, LoadBBKeys) and a
//     48-byte seed from the server's 03 command; community clients use table
//     variants (BBSubtype).
//
// V2 and V3 XOR a keystream over little-endian 32-bit words, so encrypting
// and decrypting are the same operation; each direction of a connection has
// its own instance seeded with its own key.
//
// Everything here is pure computation on caller-owned buffers: no sockets, no
// goroutines, no package-level state. The only I/O is LoadBBKeys reading key
// files. No input can make these functions panic, because the bytes come from
// the network: lengths that do not fit a cipher's block size are handled as
// each type documents, and detection reports a mismatch as an error.
package crypt
