package prs

import (
	"encoding/binary"
	"math/bits"
)

// Bit costs of the commands, control bits included. Compress minimises the
// total of these, which is the size of the output to within one byte.
const (
	literalBits  = 1 + 8
	shortBits    = 4 + 8
	longBits     = 2 + 16
	extendedBits = 2 + 24
)

// Search limits: how many tree nodes the far search visits and how many
// chain entries the near search tries per input position. They only matter
// on very repetitive data, where they trade ratio for speed.
const (
	maxTreeDepth = 64
	maxNearChain = 256
)

// match is the best copy found at one input position: the longest one
// within reach of a short copy (capped at the short copy's maximum length)
// and the longest one overall.
type match struct {
	nearLen, nearDist uint16
	farLen, farDist   uint16
}

// Compress returns a PRS stream that Decompress expands back to src. It
// never fails; incompressible input grows by about one bit per byte.
func Compress(src []byte) []byte {
	matches := findMatches(src)
	lengths := cheapestPath(src, matches)
	w := writer{out: make([]byte, 0, len(src)/2+16), nbits: 8}
	for i := 0; i < len(src); {
		n := int(lengths[i])
		w.command(src[i], n, matches[i])
		i += max(n, 1)
	}
	w.stop()
	return w.out
}

// matchFinder indexes every earlier position by a hash of its next two bytes
// twice: in a chain, nearest first, for short copies, and in a binary search
// tree of the suffixes starting there, for the longest copy in the window.
// Hash collisions cost time, never correctness: candidates are compared in
// full and the trees are ordered by whole suffixes.
type matchFinder struct {
	src         []byte
	keyMask     int
	chainHead   []int32
	chain       []int32
	treeRoot    []int32
	left, right []int32 // tree children: smaller and larger suffixes
}

func findMatches(src []byte) []match {
	// Small inputs get small tables: a fresh 64K-entry table per call would
	// dominate the time of compressing a short file.
	keys := 1 << 8
	for keys < len(src) && keys < 1<<16 {
		keys <<= 1
	}
	f := matchFinder{
		src:       src,
		keyMask:   keys - 1,
		chainHead: filled(keys, -1),
		chain:     make([]int32, len(src)),
		treeRoot:  filled(keys, -1),
		left:      make([]int32, len(src)),
		right:     make([]int32, len(src)),
	}
	matches := make([]match, len(src))
	for i := 0; i+1 < len(src); i++ {
		key := (int(src[i])<<8 | int(src[i+1])) & f.keyMask
		m := f.near(i, key)
		m.farLen, m.farDist = f.insert(i, key)
		matches[i] = m
	}
	return matches
}

func filled(n int, v int32) []int32 {
	s := make([]int32, n)
	for i := range s {
		s[i] = v
	}
	return s
}

// near finds the longest match of up to the short copy's maximum length
// within its reach, and links position i into the chain.
func (f *matchFinder) near(i, key int) match {
	var m match
	limit := min(maxShortLength, len(f.src)-i)
	cand := f.chainHead[key]
	for depth := 0; cand >= 0 && depth < maxNearChain && int(m.nearLen) < limit; depth++ {
		dist := i - int(cand)
		if dist > maxShortDistance {
			break
		}
		if n := commonPrefix(f.src[cand:], f.src[i:i+limit]); n > int(m.nearLen) {
			m.nearLen, m.nearDist = uint16(n), uint16(dist)
		}
		cand = f.chain[cand]
	}
	f.chain[i], f.chainHead[key] = f.chainHead[key], int32(i)
	return m
}

// insert makes position i the root of its tree, splitting the old tree into
// the suffixes smaller and larger than src[i:], and returns the longest
// match met on the way. Nodes farther back than the copy window count as
// absent, which is what keeps the search inside the window.
func (f *matchFinder) insert(i, key int) (length, dist uint16) {
	limit := min(maxCopyLength, len(f.src)-i)
	cand := f.treeRoot[key]
	f.treeRoot[key] = int32(i)
	smaller, larger := &f.left[i], &f.right[i]
	lenSmaller, lenLarger := 0, 0
	for depth := 0; cand >= 0 && i-int(cand) <= maxLongDistance && depth < maxTreeDepth; depth++ {
		n := min(lenSmaller, lenLarger)
		n += commonPrefix(f.src[int(cand)+n:], f.src[i+n:i+limit])
		if n > int(length) {
			length, dist = uint16(n), uint16(i-int(cand))
		}
		if n == limit {
			*smaller, *larger = f.left[cand], f.right[cand]
			return length, dist
		}
		if f.src[int(cand)+n] < f.src[i+n] {
			*smaller, smaller, lenSmaller = cand, &f.right[cand], n
			cand = f.right[cand]
		} else {
			*larger, larger, lenLarger = cand, &f.left[cand], n
			cand = f.left[cand]
		}
	}
	*smaller, *larger = -1, -1
	return length, dist
}

// commonPrefix is the length of the common prefix of a and b, up to len(b).
// a may run into b (overlapping copies): it is read in step with b. Eight
// bytes are compared at a time while both have them.
func commonPrefix(a, b []byte) int {
	n := 0
	for n+8 <= len(b) && n+8 <= len(a) {
		if x := binary.LittleEndian.Uint64(a[n:]) ^ binary.LittleEndian.Uint64(b[n:]); x != 0 {
			return n + bits.TrailingZeros64(x)/8
		}
		n += 8
	}
	for n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// cheapestPath computes, from the end backwards, the cheapest encoding of
// every suffix of src, and returns for each position the command length
// that starts the cheapest encoding from there (0 = literal).
func cheapestPath(src []byte, matches []match) []uint16 {
	n := len(src)
	cost := make([]uint32, n+1)
	choice := make([]uint16, n)
	for i := n - 1; i >= 0; i-- {
		best, pick := literalBits+cost[i+1], 0
		m := matches[i]
		for l := minShortLength; l <= int(m.nearLen); l++ {
			if c := shortBits + cost[i+l]; c < best {
				best, pick = c, l
			}
		}
		for l := max(minLongLength, int(m.nearLen)+1); l <= int(m.farLen); l++ {
			if c := copyBits(l) + cost[i+l]; c < best {
				best, pick = c, l
			}
		}
		cost[i], choice[i] = best, uint16(pick)
	}
	return choice
}

func copyBits(length int) uint32 {
	if length <= maxLongLength {
		return longBits
	}
	return extendedBits
}

// writer produces the interleaved stream: a control byte is reserved at the
// current end of the output whenever a control bit is needed and the
// previous control byte is full, which is exactly when the reader fetches
// the next one.
type writer struct {
	out     []byte
	ctrlPos int
	nbits   uint8
}

func (w *writer) bit(b int) {
	if w.nbits == 8 {
		w.ctrlPos, w.nbits = len(w.out), 0
		w.out = append(w.out, 0)
	}
	w.out[w.ctrlPos] |= byte(b&1) << w.nbits
	w.nbits++
}

// command writes a literal (length 0) or the cheapest copy of that length
// the match at this position allows.
func (w *writer) command(lit byte, length int, m match) {
	switch {
	case length == 0:
		w.bit(1)
		w.out = append(w.out, lit)
	case length <= int(m.nearLen):
		w.bit(0)
		w.bit(0)
		w.bit((length - minShortLength) >> 1)
		w.bit(length - minShortLength)
		w.out = append(w.out, byte(maxShortDistance-int(m.nearDist)))
	default:
		w.long(int(m.farDist), length)
	}
}

func (w *writer) long(dist, length int) {
	field := (maxLongDistance + 1 - dist) << 3
	w.bit(0)
	w.bit(1)
	if length <= maxLongLength {
		field |= length - 2
		w.out = append(w.out, byte(field), byte(field>>8))
		return
	}
	w.out = append(w.out, byte(field), byte(field>>8), byte(length-1))
}

// stop writes the stop command: a long copy with a zero distance field.
func (w *writer) stop() {
	w.bit(0)
	w.bit(1)
	w.out = append(w.out, 0, 0)
}
