package accounts

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

// Simple mail for a player who is not online is kept here until the
// player's next login: one record per mail, keyed by the recipient's guild
// card number and a sequence number, so a recipient's mail is one ordered
// range of keys.

// Limits on kept mail: a recipient's mailbox holds at most MaxMailbox
// mails; each text is at most MaxMailText bytes of UTF-8 (the consoles
// show 170 characters) and each name MaxNameBytes.
const (
	MaxMailbox   = 50
	MaxMailText  = 1024
	MaxNameBytes = 64
)

var (
	// ErrMailboxFull is a recipient whose mailbox holds MaxMailbox mails.
	ErrMailboxFull = errors.New("accounts: the recipient's mailbox is full")
	// ErrNoSuchGuildCard is a guild card number no licence was given.
	ErrNoSuchGuildCard = errors.New("accounts: no player has this guild card number")
	// ErrMailTooLong is a text or name over the limits.
	ErrMailTooLong = errors.New("accounts: mail text or name too long")
)

var bucketMail = []byte("mail") // recipient (4, big-endian) + sequence (8) -> Mail JSON

// Mail is one simple mail kept for its recipient.
type Mail struct {
	From     uint32    `json:"from"`
	FromName string    `json:"from_name"`
	To       uint32    `json:"to"`
	Text     string    `json:"text"`
	Sent     time.Time `json:"sent"`
}

func (m *Mail) check() error {
	if len(m.Text) > MaxMailText || len(m.FromName) > MaxNameBytes || !utf8.ValidString(m.Text) || !utf8.ValidString(m.FromName) {
		return fmt.Errorf("%w (%d bytes of text, %d of name; at most %d and %d of UTF-8)",
			ErrMailTooLong, len(m.Text), len(m.FromName), MaxMailText, MaxNameBytes)
	}
	return nil
}

func mailKey(to uint32, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(gcKey(to), seq)
}

// KeepMail stores m for its recipient, stamped with the store's clock. The
// recipient must be a guild card number the store gave out
// (ErrNoSuchGuildCard) with room in the mailbox (ErrMailboxFull).
func (s *Store) KeepMail(m Mail) error {
	if err := m.check(); err != nil {
		return err
	}
	m.Sent = s.now().UTC()
	err := s.db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketGuildCard).Get(gcKey(m.To)) == nil {
			return fmt.Errorf("%w: %d", ErrNoSuchGuildCard, m.To)
		}
		b := tx.Bucket(bucketMail)
		if n := countPrefix(b, gcKey(m.To)); n >= MaxMailbox {
			return fmt.Errorf("%w: %d mails kept for %d", ErrMailboxFull, n, m.To)
		}
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		v, err := json.Marshal(m)
		if err != nil {
			return err
		}
		return b.Put(mailKey(m.To, seq), v)
	})
	return s.wrap(err)
}

// Mailbox returns the mail kept for guild card number to, oldest first.
func (s *Store) Mailbox(to uint32) ([]Mail, error) {
	var out []Mail
	err := s.db.View(func(tx *bolt.Tx) error {
		prefix := gcKey(to)
		c := tx.Bucket(bucketMail).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			m, err := decodeMail(k, v)
			if err != nil {
				return err
			}
			out = append(out, m)
		}
		return nil
	})
	return out, s.wrap(err)
}

// TakeMail returns the mail kept for guild card number to, oldest first,
// and removes it in the same transaction, so two sessions of one account
// never both deliver it. An empty mailbox costs a read, not a write.
func (s *Store) TakeMail(to uint32) ([]Mail, error) {
	var n int
	err := s.db.View(func(tx *bolt.Tx) error {
		n = countPrefix(tx.Bucket(bucketMail), gcKey(to))
		return nil
	})
	if err != nil || n == 0 {
		return nil, s.wrap(err)
	}
	var out []Mail
	err = s.db.Update(func(tx *bolt.Tx) error {
		prefix := gcKey(to)
		c := tx.Bucket(bucketMail).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Seek(prefix) {
			m, err := decodeMail(k, v)
			if err != nil {
				return err
			}
			out = append(out, m)
			if err := c.Delete(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, s.wrap(err)
	}
	return out, nil
}

func countPrefix(b *bolt.Bucket, prefix []byte) int {
	n := 0
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		n++
	}
	return n
}

func decodeMail(k, v []byte) (Mail, error) {
	var m Mail
	if len(k) != 12 {
		return m, fmt.Errorf("%w: mail key of %d bytes", ErrCorrupt, len(k))
	}
	if err := json.Unmarshal(v, &m); err != nil {
		return m, fmt.Errorf("%w: mail %X: %v", ErrCorrupt, k, err)
	}
	if m.To != binary.BigEndian.Uint32(k) {
		return m, fmt.Errorf("%w: mail %X is addressed to %d", ErrCorrupt, k, m.To)
	}
	if err := m.check(); err != nil {
		return m, fmt.Errorf("%w: mail %X: %v", ErrCorrupt, k, err)
	}
	return m, nil
}
