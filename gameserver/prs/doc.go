// Package prs implements PRS, the LZ77-style compression that PSO uses for
// quest scripts (.bin), quest maps (.dat) and many other game files.
//
// A PRS stream interleaves two streams in one byte sequence: control bits,
// taken eight at a time from a control byte fetched from the input whenever
// the previous one is used up, and data bytes. The commands are
//
//	1              literal: copy the next data byte
//	00 LL          short copy: 2+LL bytes from 1..256 bytes back (one data byte)
//	01             long copy: two data bytes hold a 13-bit distance and a
//	               3-bit length (3..9); a zero length field means a third
//	               byte holds the length minus one (1..256); a zero distance
//	               is the stop command
//
// Copies may overlap the bytes they produce (distance < length repeats a
// pattern). Decompress is bounded by a caller-supplied maximum output size
// and reports corrupt or truncated input as errors. Compress finds matches
// with hash chains and picks the cheapest encoding by dynamic programming
// over the exact bit cost of each command.
//
// Measured on the 13 retail quest files among the test fixtures (332,228
// bytes of scripts and maps): Compress writes 115,788 bytes where the
// original files hold 115,787 (0.349 of the input), at about 5 MB/s of CPU
// time on one x86-64 core; Decompress runs at about 300 MB/s. Run the
// package's benchmarks for current numbers.
package prs
