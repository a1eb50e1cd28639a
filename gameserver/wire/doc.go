// Package wire is the PSO wire layer: client versions and their properties,
// the three command header formats, padding and size limits, framing of
// commands over a cipher, text encodings, and typed encode/decode of the
// commands the server and psobot exchange.
//
// Everything here is pure (no sockets of its own) so that it can be fuzzed
// and tested against the plaintext logs of real clients.
package wire
