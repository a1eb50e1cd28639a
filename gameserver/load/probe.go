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
//	[0] 02  [1] size in words (5)  [2:4] sender's client ID
//	[4:8] sender's bot number  [8:16] send time, ns on the load clock
//	[16:20] probeMagic
const (
	probeSub   = 0x02
	probeSize  = 20
	probeMagic = 0x44414F4C // "LOAD" little-endian
)

// putProbe writes a probe into b (probeSize bytes) and returns it.
func putProbe(b *[probeSize]byte, clientID uint8, bot int, sent int64) []byte {
	b[0], b[1] = probeSub, probeSize/4
	binary.LittleEndian.PutUint16(b[2:], uint16(clientID))
	binary.LittleEndian.PutUint32(b[4:], uint32(bot))
	binary.LittleEndian.PutUint64(b[8:], uint64(sent))
	binary.LittleEndian.PutUint32(b[16:], probeMagic)
	return b[:]
}

// readProbe returns the send time of a relayed payload that is one probe.
func readProbe(payload []byte) (sent int64, ok bool) {
	if len(payload) != probeSize || payload[0] != probeSub || payload[1] != probeSize/4 ||
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
