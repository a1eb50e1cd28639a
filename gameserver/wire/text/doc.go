// Package text converts between Go strings and the text encodings of PSO
// clients: 7-bit ASCII, ISO-8859-1, Sega's Shift-JIS, the "marked" single-byte
// text of DC/GC/Xbox that switches between the two with a leading tab-E or
// tab-J, and UTF-16LE on PC and Blue Burst.
//
// Fields are fixed-width and NUL-padded on the wire: decoding stops at the
// first NUL, and encoding into a field truncates at a character boundary, so a
// Shift-JIS pair or a UTF-16 unit (or surrogate pair) is never split. Tab
// escapes (colours, markers) are ordinary characters here and pass through.
// Characters a target encoding cannot hold become '?'.
package text
