// Package wire is the PSO wire layer: client versions and their properties,
// the three command header formats, padding and size limits, framing of
// commands over a cipher, text encodings, and typed encode/decode of the
// commands the server and psobot exchange.
//
// Everything here is pure (no sockets of its own) so that it can be fuzzed
// and tested against the plaintext logs of real clients.
//
// # Framing
//
// A Framer reads and writes whole commands over an io.Reader/io.Writer:
// ReadCommand returns the header and a payload that aliases the Framer's
// buffer; Queue (or QueueMsg) encodes, pads and encrypts into a pending
// buffer and Flush writes everything queued in one Write. SetCiphers installs
// the per-direction ciphers once the server-init command is out, SetVersion
// switches layout after a shared port has seen the client's first command.
// Sizes no client can send are a *FrameError wrapping ErrTooSmall or
// ErrTooLarge.
//
// # Commands
//
// Decode turns a payload into a typed Msg using the codec registered for
// the version, direction and command, and fails with a *DecodeError wrapping
// ErrUnknownCommand, ErrBadSize or ErrBadField otherwise. Encode and
// AppendPayload produce the payload and header flag of a Msg in any
// version's layout. Each message type walks its fields once for both
// directions, so decoding then encoding reproduces the bytes exactly; fields
// whose layout differs between versions are sized for the widest one, and
// text fields are kept raw with accessors that decode or set them.
//
// Relayed commands (60, 62, 6C, 6D, Ep3's C9/CB/CA) are GameCommand values
// whose subcommand framing is checked; Subcommands iterates over them
// without allocating, and DecodeSubcommand/AppendSubcommand give typed
// access to the subcommands the server must understand (guild cards, symbol
// chat, word select, the game-join handshake), translating the numbering of
// DC NTE and 11/2000.
//
// Player is the canonical character: CharacterData.Player builds it from any
// version's 61/98, and LobbyEntry, CharacterData and NewGuildCard export it
// in a receiver's layout.
package wire
