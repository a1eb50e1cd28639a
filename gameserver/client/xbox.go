package client

import (
	"encoding/binary"
	"strconv"
)

// Layout of the Xbox block of 9E (0x48 bytes): the console's network
// location as Xbox Live sees it (0x30 bytes: addresses, port, MAC, the
// account ID), three unknown words, then the user ID split in two halves.
const (
	xbInternalIP = 0x00
	xbExternalIP = 0x04
	xbPort       = 0x08
	xbMAC        = 0x0A
	xbAccountID  = 0x18
	xbUserIDHigh = 0x3C
	xbUserIDLow  = 0x40
)

// xboxLocation builds the Xbox block for cfg: private addresses (a bot is
// not behind Xbox Live), the account ID and the user ID of the access key.
func xboxLocation(cfg Config) [0x48]byte {
	var b [0x48]byte
	binary.LittleEndian.PutUint32(b[xbInternalIP:], 0x0A000002) // 10.0.0.2
	binary.LittleEndian.PutUint32(b[xbExternalIP:], 0x0A000002)
	binary.LittleEndian.PutUint16(b[xbPort:], 3074) // the Xbox Live game port
	mac := cfg.XBAccountID
	for i := range 6 {
		b[xbMAC+i] = byte(mac >> (8 * i))
	}
	b[xbMAC] &^= 1 // a unicast MAC
	binary.LittleEndian.PutUint64(b[xbAccountID:], cfg.XBAccountID)
	userID, _ := strconv.ParseUint(cfg.AccessKey, 16, 64) // checked as hex by withCredentials
	binary.LittleEndian.PutUint32(b[xbUserIDHigh:], uint32(userID>>32))
	binary.LittleEndian.PutUint32(b[xbUserIDLow:], uint32(userID))
	return b
}
