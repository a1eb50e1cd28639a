package accounts

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"
)

func addGC(t *testing.T, s *Store, serial string) uint32 {
	t.Helper()
	l, err := s.Add(Licence{Kind: KindGC, Serial: serial, AccessKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	return l.GuildCard
}

func TestMailIsKeptUntilTaken(t *testing.T) {
	s, dir := openTemp(t)
	to, other := addGC(t, s, "00000001"), addGC(t, s, "00000002")
	for i, text := range []string{"first", "second"} {
		if err := s.KeepMail(Mail{From: other, FromName: "Sam", To: to, Text: text, Sent: time.Unix(int64(i), 0)}); err != nil {
			t.Fatal(err)
		}
	}
	s.KeepMail(Mail{From: to, FromName: "Ann", To: other, Text: "for the other"})
	s.Close()
	s, err := OpenDir(dir, Options{Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	got, err := s.TakeMail(to)
	if err != nil {
		t.Fatal(err)
	}
	want := []Mail{
		{From: other, FromName: "Sam", To: to, Text: "first", Sent: fixedNow},
		{From: other, FromName: "Sam", To: to, Text: "second", Sent: fixedNow},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("taken after a reopen (-want +got):\n%s", diff)
	}
	if again, err := s.TakeMail(to); err != nil || len(again) != 0 {
		t.Errorf("second take: %v, %v; want nothing", again, err)
	}
	if left, _ := s.Mailbox(other); len(left) != 1 || left[0].Text != "for the other" {
		t.Errorf("the other recipient's mail: %+v", left)
	}
}

func TestMailLimits(t *testing.T) {
	s, _ := openTemp(t)
	to := addGC(t, s, "00000001")
	for i := range MaxMailbox {
		if err := s.KeepMail(Mail{From: 1, To: to, Text: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	for name, tc := range map[string]struct {
		m    Mail
		want error
	}{
		"mailbox full":  {Mail{To: to, Text: "one more"}, ErrMailboxFull},
		"unknown card":  {Mail{To: 12345, Text: "hi"}, ErrNoSuchGuildCard},
		"text too long": {Mail{To: to, Text: strings.Repeat("x", MaxMailText+1)}, ErrMailTooLong},
		"name too long": {Mail{To: to, FromName: strings.Repeat("n", MaxNameBytes+1)}, ErrMailTooLong},
		"not UTF-8":     {Mail{To: to, Text: "\xff"}, ErrMailTooLong},
	} {
		if err := s.KeepMail(tc.m); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
}

func TestProfileRoundTrip(t *testing.T) {
	s, dir := openTemp(t)
	if p, err := s.Profile(42); err != nil || p != (Profile{}) {
		t.Errorf("missing profile: %+v, %v", p, err)
	}
	want := Profile{Name: "Ann", InfoBoard: "Forest runs\nevery night", AutoReply: "Away"}
	if err := s.SetProfile(42, want); err != nil {
		t.Fatal(err)
	}
	if err := s.SetProfile(42, Profile{InfoBoard: strings.Repeat("x", MaxProfileText+1)}); err == nil {
		t.Error("an overlong info board was stored")
	}
	s.Close()
	s, err := OpenDir(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, err := s.Profile(42); err != nil || got != want {
		t.Errorf("after a reopen: %+v, %v; want %+v", got, err, want)
	}
}

// Damaged mail and profile records stop Open with the file named, like
// damaged licences.
func TestDamagedSocialRecordsAreReported(t *testing.T) {
	for name, put := range map[string]func(tx *bolt.Tx) error{
		"mail":      func(tx *bolt.Tx) error { return tx.Bucket(bucketMail).Put(mailKey(1, 1), []byte("{")) },
		"mail key":  func(tx *bolt.Tx) error { return tx.Bucket(bucketMail).Put([]byte("x"), []byte("{}")) },
		"mail to":   func(tx *bolt.Tx) error { return tx.Bucket(bucketMail).Put(mailKey(1, 1), []byte(`{"to":2}`)) },
		"profile":   func(tx *bolt.Tx) error { return tx.Bucket(bucketProfiles).Put(gcKey(1), []byte("[]")) },
		"profile 8": func(tx *bolt.Tx) error { return tx.Bucket(bucketProfiles).Put([]byte("12345678"), []byte("{}")) },
	} {
		t.Run(name, func(t *testing.T) {
			s, dir := openTemp(t)
			s.Close()
			path := filepath.Join(dir, FileName)
			db, err := bolt.Open(path, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Update(put); err != nil {
				t.Fatal(err)
			}
			db.Close()
			s, err = Open(path, Options{})
			if err == nil {
				s.Close()
				t.Fatal("Open accepted a damaged record")
			}
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), path) {
				t.Errorf("error %q: want ErrCorrupt naming the file", err)
			}
		})
	}
}

// FuzzDecodeRecords: any stored mail or profile value decodes or is
// reported as damaged, never a panic; what decodes passes the limits.
func FuzzDecodeRecords(f *testing.F) {
	f.Add([]byte(`{"from":1,"from_name":"Sam","to":2,"text":"hi","sent":"2025-05-22T20:15:50Z"}`))
	f.Add([]byte(`{"name":"Ann","info_board":"x","auto_reply":""}`))
	f.Add([]byte(`{"text":"\xff"}`))
	f.Fuzz(func(t *testing.T, v []byte) {
		if m, err := decodeMail(mailKey(2, 7), v); err == nil && (m.To != 2 || m.check() != nil) {
			t.Errorf("decoded %+v", m)
		} else if err != nil && !errors.Is(err, ErrCorrupt) {
			t.Errorf("error %v is not ErrCorrupt", err)
		}
		if p, err := decodeProfile(v); err == nil && p.check() != nil {
			t.Errorf("decoded %+v", p)
		}
	})
}
