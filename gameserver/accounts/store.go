package accounts

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// FileName is the database's name inside the state directory.
const FileName = "accounts.db"

// FirstGuildCard is the first guild card number handed out. Numbers are
// allocated upwards from here and never reused.
const FirstGuildCard = 10000001

// lastGuildCard keeps numbers clear of 0xFFFFFFFF, which clients use for
// "no guild card yet", and of the sign bit some clients mishandle.
const lastGuildCard = 0x7FFFFFFF

// Errors callers tell apart with errors.Is.
var (
	ErrNoSerial       = errors.New("accounts: empty serial number or user name")
	ErrUnknownLicence = errors.New("accounts: licence not registered")
	ErrBadAccessKey   = errors.New("accounts: wrong access key")
	ErrBadPassword    = errors.New("accounts: wrong password")
	ErrBanned         = errors.New("accounts: licence is banned")
	ErrExists         = errors.New("accounts: licence already registered")
	ErrCorrupt        = errors.New("database file is damaged")
	ErrNoGuildCards   = errors.New("accounts: no guild card numbers left")
)

var (
	bucketLicences  = []byte("licences")
	bucketGuildCard = []byte("guild_cards") // number (big-endian) -> licence key; keeps numbers unique
	bucketMeta      = []byte("meta")
	keyNextGC       = []byte("next_guild_card")
)

// Store is the licence database. It is safe for concurrent use.
type Store struct {
	db   *bolt.DB
	path string
	now  func() time.Time
}

// Options tune Open. The zero value is fine.
type Options struct {
	// LockTimeout bounds the wait for the file lock another process may hold
	// (default 2 s); the error then says the file is in use.
	LockTimeout time.Duration
	// Now stamps new licences (default time.Now).
	Now func() time.Time
}

// OpenDir opens (creating if needed) the database in the state directory dir.
func OpenDir(dir string, opts Options) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("accounts: state directory: %w", err)
	}
	return Open(filepath.Join(dir, FileName), opts)
}

// Open opens (creating if needed) the database file at path and checks its
// consistency. Every error names the file.
func Open(path string, opts Options) (s *Store, err error) {
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = 2 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	defer func() {
		// bbolt panics on some kinds of page damage; that is a bad file, not
		// a bug in the caller.
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("accounts: %s: %w (%v)", path, ErrCorrupt, r)
		}
	}()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opts.LockTimeout})
	if err != nil {
		return nil, openError(path, err)
	}
	s = &Store{db: db, path: path, now: opts.Now}
	if err := s.init(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// openError explains why bbolt could not open the file. An existing file
// that is not locked and is readable but still fails is damaged (bbolt says
// "invalid database", "file size too small", a checksum error...).
func openError(path string, err error) error {
	_, statErr := os.Stat(path)
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return fmt.Errorf("accounts: %s is in use by another process: %w", path, err)
	case os.IsPermission(err) || statErr != nil:
		return fmt.Errorf("accounts: opening %s: %w", path, err)
	}
	return fmt.Errorf("accounts: %s: %w: %v (move it away to start with an empty database)", path, ErrCorrupt, err)
}

// init creates the buckets and checks every page of the file.
func (s *Store) init() error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketLicences, bucketGuildCard, bucketMeta, bucketMail, bucketProfiles} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		if err := firstCheckError(tx); err != nil {
			return err
		}
		return s.checkRecords(tx)
	})
	if err != nil {
		return fmt.Errorf("accounts: %s: %w", s.path, err)
	}
	return nil
}

// firstCheckError runs bbolt's page consistency check and returns its first
// finding; the channel is drained so the checker goroutine ends.
func firstCheckError(tx *bolt.Tx) error {
	var first error
	for err := range tx.Check() {
		if first == nil {
			first = fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
	}
	return first
}

// checkRecords decodes every licence, kept mail and profile, so that a
// record damaged by hand editing or another program is reported at start,
// not at someone's login.
func (s *Store) checkRecords(tx *bolt.Tx) error {
	err := tx.Bucket(bucketLicences).ForEach(func(k, v []byte) error {
		if _, err := decodeLicence(v); err != nil {
			return fmt.Errorf("%w: licence %s: %v", ErrCorrupt, keyString(k), err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = tx.Bucket(bucketMail).ForEach(func(k, v []byte) error {
		_, err := decodeMail(k, v)
		return err
	})
	if err != nil {
		return err
	}
	return tx.Bucket(bucketProfiles).ForEach(func(k, v []byte) error {
		if len(k) != 4 {
			return fmt.Errorf("%w: profile key of %d bytes", ErrCorrupt, len(k))
		}
		_, err := decodeProfile(v)
		return err
	})
}

// keyString shows a licences-bucket key as kind and serial.
func keyString(k []byte) string {
	if len(k) == 0 {
		return `""`
	}
	return fmt.Sprintf("%s %q", Kind(k[0]), k[1:])
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

func decodeLicence(v []byte) (Licence, error) {
	var l Licence
	if err := json.Unmarshal(v, &l); err != nil {
		return l, err
	}
	if !l.Kind.valid() || l.Serial == "" || l.GuildCard == 0 {
		return l, fmt.Errorf("incomplete record")
	}
	return l, nil
}

func gcKey(n uint32) []byte { return binary.BigEndian.AppendUint32(nil, n) }
