package wire

// Tap sees every command a Framer reads or writes in plaintext, header
// included and padded as the header's size says: after decryption for
// received commands, before encryption for sent ones. Session capture
// (psobox's replay-format recordings) is the user. v is the version in
// effect for that command, which changes when a shared port identifies its
// client.
//
// command aliases the Framer's buffer and is valid only during the call: a
// Tap copies what it keeps and never modifies it. Calls come from the
// reading and the writing goroutine of the connection, so a Tap used on
// both sides is safe for concurrent use.
type Tap interface {
	Received(v Version, command []byte)
	Sent(v Version, command []byte)
}

// SetTap installs t (nil removes it). Without a Tap the Framer's read and
// write paths cost one nil check each. Call it before the Framer is used
// from two goroutines.
func (f *Framer) SetTap(t Tap) { f.tap = t }
