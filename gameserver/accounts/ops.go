package accounts

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Add registers a licence and gives it the next guild card number, which is
// returned in the stored copy. A licence of the same kind and serial that is
// already registered is ErrExists.
func (s *Store) Add(l Licence) (Licence, error) {
	if err := l.normalize(); err != nil {
		return Licence{}, err
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketLicences).Get(key(l.Kind, l.Serial)) != nil {
			return fmt.Errorf("%w: %s %q", ErrExists, l.Kind, l.Serial)
		}
		var err error
		l, err = s.insert(tx, l)
		return err
	})
	return l, s.wrap(err)
}

// Get returns the licence of kind k with that serial, or ErrUnknownLicence.
func (s *Store) Get(k Kind, serial string) (Licence, error) {
	var l Licence
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		l, err = get(tx, k, serial)
		return err
	})
	return l, s.wrap(err)
}

// List returns every licence, grouped by kind and sorted by serial.
func (s *Store) List() ([]Licence, error) {
	var out []Licence
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketLicences).ForEach(func(k, v []byte) error {
			l, err := decodeLicence(v)
			if err != nil {
				return fmt.Errorf("%w: licence %s: %v", ErrCorrupt, keyString(k), err)
			}
			out = append(out, l)
			return nil
		})
	})
	return out, s.wrap(err)
}

// Remove deletes a licence. Its guild card number stays allocated, so it is
// never handed to someone else.
func (s *Store) Remove(k Kind, serial string) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		l, err := get(tx, k, serial)
		if err != nil {
			return err
		}
		return tx.Bucket(bucketLicences).Delete(key(l.Kind, l.Serial))
	})
	return s.wrap(err)
}

// SetBanned bans or unbans a licence.
func (s *Store) SetBanned(k Kind, serial string, banned bool) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		l, err := get(tx, k, serial)
		if err != nil {
			return err
		}
		l.Banned = banned
		return put(tx, l)
	})
	return s.wrap(err)
}

func (s *Store) wrap(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w (database %s)", err, s.path)
}

func get(tx *bolt.Tx, k Kind, serial string) (Licence, error) {
	probe := Licence{Kind: k, Serial: serial}
	if err := probe.normalize(); err != nil {
		return Licence{}, err
	}
	v := tx.Bucket(bucketLicences).Get(key(probe.Kind, probe.Serial))
	if v == nil {
		return Licence{}, fmt.Errorf("%w: %s %q", ErrUnknownLicence, probe.Kind, probe.Serial)
	}
	l, err := decodeLicence(v)
	if err != nil {
		return Licence{}, fmt.Errorf("%w: licence %s %q: %v", ErrCorrupt, probe.Kind, probe.Serial, err)
	}
	return l, nil
}

func put(tx *bolt.Tx, l Licence) error {
	v, err := json.Marshal(l)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketLicences).Put(key(l.Kind, l.Serial), v)
}

// insert stores a new licence with a fresh guild card number.
func (s *Store) insert(tx *bolt.Tx, l Licence) (Licence, error) {
	n, err := allocGuildCard(tx)
	if err != nil {
		return Licence{}, err
	}
	l.GuildCard = n
	if l.Created.IsZero() {
		l.Created = s.now().UTC()
	}
	if err := tx.Bucket(bucketGuildCard).Put(gcKey(n), key(l.Kind, l.Serial)); err != nil {
		return Licence{}, err
	}
	return l, put(tx, l)
}

// allocGuildCard takes the next number from the counter, skipping any number
// already recorded as used.
func allocGuildCard(tx *bolt.Tx) (uint32, error) {
	meta, used := tx.Bucket(bucketMeta), tx.Bucket(bucketGuildCard)
	n := uint32(FirstGuildCard)
	if v := meta.Get(keyNextGC); len(v) == 4 {
		n = binary.BigEndian.Uint32(v)
	}
	for ; n <= lastGuildCard; n++ {
		if used.Get(gcKey(n)) == nil {
			return n, meta.Put(keyNextGC, gcKey(n+1))
		}
	}
	return 0, ErrNoGuildCards
}
