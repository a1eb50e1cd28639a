package load

import (
	"encoding/binary"
	"strconv"
	"strings"
)

// A probe is subcommand 6x02 carrying its send time. Every version,
// prototypes included, numbers it 02; servers relay it unchanged wherever
// the sender is; GameCube and Xbox ignore it and the Dreamcast stores it
// where nothing reads it, so it disturbs no console in the room.
//
//	[0] 02  [1] size in words  [2:4] sender's client ID
//	[4:8] sender's bot number  [8:16] send time, ns on the load clock
//	[16:20] probeMagic, then zeros up to the size (Options.RelayBytes)
const (
	probeSub     = 0x02
	probeMinSize = 20
	probeMaxSize = 0xFF * 4   // the short subcommand header counts words in a byte
	probeMagic   = 0x44414F4C // "LOAD" little-endian
)

// putProbe writes a probe into b, whose length is the probe's size.
func putProbe(b []byte, clientID uint8, bot int, sent int64) []byte {
	b[0], b[1] = probeSub, byte(len(b)/4)
	binary.LittleEndian.PutUint16(b[2:], uint16(clientID))
	binary.LittleEndian.PutUint32(b[4:], uint32(bot))
	binary.LittleEndian.PutUint64(b[8:], uint64(sent))
	binary.LittleEndian.PutUint32(b[16:], probeMagic)
	return b
}

// readProbe returns the send time of a relayed payload that is one probe.
func readProbe(payload []byte) (sent int64, ok bool) {
	if len(payload) < probeMinSize || payload[0] != probeSub || int(payload[1])*4 != len(payload) ||
		binary.LittleEndian.Uint32(payload[16:]) != probeMagic {
		return 0, false
	}
	return int64(binary.LittleEndian.Uint64(payload[8:])), true
}

// chatPrefix starts a timed chat line; the send time follows in hex.
const chatPrefix = "load "

func chatLine(sent int64) string {
	return chatPrefix + strconv.FormatInt(sent, 16)
}

// readChatLine returns the send time in a chat line's text.
func readChatLine(s string) (sent int64, ok bool) {
	rest, ok := strings.CutPrefix(s, chatPrefix)
	if !ok {
		return 0, false
	}
	sent, err := strconv.ParseInt(rest, 16, 64)
	return sent, err == nil
}
