package accounts

import (
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Credentials are what a console sent in one login command.
type Credentials struct {
	Kind      Kind
	Serial    string
	AccessKey string
	// Password is checked only when HasPassword is set: GameCube sends one in
	// DB and 9C but not in 9A/9D/9E.
	Password    string
	HasPassword bool
}

// Login checks credentials against the registered licence. When the licence
// is unknown and create is set (the server's open mode) it is registered on
// the spot and created reports it. Refusals wrap ErrNoSerial,
// ErrUnknownLicence, ErrBadAccessKey, ErrBadPassword or ErrBanned.
//
// A registered licence with an empty password accepts any password, so a
// licence added (Add) without one works on GameCube.
func (s *Store) Login(c Credentials, create bool) (l Licence, created bool, err error) {
	probe := Licence{Kind: c.Kind, Serial: c.Serial, AccessKey: c.AccessKey, Password: c.Password}
	if err := probe.normalize(); err != nil {
		return Licence{}, false, err
	}
	l, err = s.Get(probe.Kind, probe.Serial)
	switch {
	case err == nil:
		return l, false, check(l, probe, c.HasPassword)
	case !errors.Is(err, ErrUnknownLicence) || !create:
		return Licence{}, false, err
	}
	return s.register(probe, c.HasPassword)
}

// register adds a licence on first login. Concurrent logins share one
// transaction; the check inside makes a retried or raced registration return
// the licence the first one stored.
func (s *Store) register(probe Licence, hasPassword bool) (l Licence, created bool, err error) {
	err = s.db.Batch(func(tx *bolt.Tx) error {
		created = false
		existing, err := get(tx, probe.Kind, probe.Serial)
		if err == nil {
			l = existing
			return nil
		}
		if !errors.Is(err, ErrUnknownLicence) {
			return err
		}
		l, err = s.insert(tx, probe)
		created = err == nil
		return err
	})
	if err != nil {
		return Licence{}, false, s.wrap(err)
	}
	if !created {
		return l, false, check(l, probe, hasPassword)
	}
	return l, true, nil
}

// check compares presented credentials with a stored licence.
func check(l, presented Licence, hasPassword bool) error {
	switch {
	case l.AccessKey != presented.AccessKey:
		return fmt.Errorf("%w: %s %q", ErrBadAccessKey, l.Kind, l.Serial)
	case hasPassword && l.Password != "" && l.Password != presented.Password:
		return fmt.Errorf("%w: %s %q", ErrBadPassword, l.Kind, l.Serial)
	case l.Banned:
		return fmt.Errorf("%w: %s %q", ErrBanned, l.Kind, l.Serial)
	}
	return nil
}
