package accounts

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

// A profile is what a player shows other players besides the character,
// kept per account (guild card number) so that it outlives the session:
// the info board others read in the lobby, the auto-reply sent back to
// mail, and the character name last seen (the sender of an auto-reply
// while the player is offline).

var bucketProfiles = []byte("profiles") // guild card (4, big-endian) -> Profile JSON

// MaxProfileText bounds each profile text in bytes of UTF-8 (the consoles
// show 172 characters of info board and auto-reply).
const MaxProfileText = 1024

// Profile is one account's player profile.
type Profile struct {
	Name      string `json:"name,omitempty"`
	InfoBoard string `json:"info_board,omitempty"`
	AutoReply string `json:"auto_reply,omitempty"`
}

func (p *Profile) check() error {
	for _, s := range []string{p.Name, p.InfoBoard, p.AutoReply} {
		if len(s) > MaxProfileText || !utf8.ValidString(s) {
			return fmt.Errorf("accounts: profile text of %d bytes: at most %d bytes of UTF-8", len(s), MaxProfileText)
		}
	}
	return nil
}

// Profile returns the profile of guild card number n (empty when none was
// stored).
func (s *Store) Profile(n uint32) (Profile, error) {
	var p Profile
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketProfiles).Get(gcKey(n))
		if v == nil {
			return nil
		}
		var err error
		p, err = decodeProfile(v)
		return err
	})
	return p, s.wrap(err)
}

// SetProfile stores the profile of guild card number n. Concurrent calls
// (many players arriving at once) share transactions.
func (s *Store) SetProfile(n uint32, p Profile) error {
	if err := p.check(); err != nil {
		return err
	}
	v, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return s.wrap(s.db.Batch(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketProfiles).Put(gcKey(n), v)
	}))
}

func decodeProfile(v []byte) (Profile, error) {
	var p Profile
	if err := json.Unmarshal(v, &p); err != nil {
		return p, fmt.Errorf("%w: profile: %v", ErrCorrupt, err)
	}
	if err := p.check(); err != nil {
		return p, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return p, nil
}
