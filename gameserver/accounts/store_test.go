package accounts

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var fixedNow = time.Date(2025, 5, 22, 20, 15, 50, 0, time.UTC)

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := OpenDir(dir, Options{Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

func TestAddGetListRemove(t *testing.T) {
	s, _ := openTemp(t)
	gc, err := s.Add(Licence{Kind: KindGC, Serial: " 1705B11E ", AccessKey: "145756008422", Password: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	dc, err := s.Add(Licence{Kind: KindDC, Serial: "ABCD1234", AccessKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Licence{
		{Kind: KindDC, Serial: "ABCD1234", AccessKey: "k", GuildCard: FirstGuildCard + 1, Created: fixedNow},
		{Kind: KindGC, Serial: "1705B11E", AccessKey: "145756008422", Password: "pw", GuildCard: FirstGuildCard, Created: fixedNow},
	}
	got, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}
	if g, err := s.Get(KindGC, "1705B11E"); err != nil || g != gc {
		t.Errorf("Get = %+v, %v; want %+v", g, err, gc)
	}
	if _, err := s.Add(Licence{Kind: KindDC, Serial: "ABCD1234"}); !errors.Is(err, ErrExists) {
		t.Errorf("second Add: %v, want ErrExists", err)
	}
	if err := s.Remove(KindDC, dc.Serial); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(KindDC, dc.Serial); !errors.Is(err, ErrUnknownLicence) {
		t.Errorf("Get after Remove: %v, want ErrUnknownLicence", err)
	}
	again, err := s.Add(Licence{Kind: KindDC, Serial: "ABCD1234"})
	if err != nil || again.GuildCard != FirstGuildCard+2 {
		t.Errorf("re-added licence got %d, %v; a removed licence's number must not be reused", again.GuildCard, err)
	}
}

func TestAddRejectsBadLicences(t *testing.T) {
	s, _ := openTemp(t)
	for _, l := range []Licence{
		{Kind: KindGC},
		{Kind: 0, Serial: "1"},
		{Kind: KindPC, Serial: string(make([]byte, 100))},
		{Kind: KindPC, Serial: "a\x00b"},
	} {
		if _, err := s.Add(l); err == nil {
			t.Errorf("Add(%+v) succeeded", l)
		}
	}
}

func TestLogin(t *testing.T) {
	s, _ := openTemp(t)
	gc := Credentials{Kind: KindGC, Serial: "1705B11E", AccessKey: "145756008422", Password: "pw", HasPassword: true}
	if _, _, err := s.Login(gc, false); !errors.Is(err, ErrUnknownLicence) {
		t.Fatalf("registered mode, unknown licence: %v", err)
	}
	l, created, err := s.Login(gc, true)
	if err != nil || !created || l.GuildCard != FirstGuildCard {
		t.Fatalf("open mode first login: %+v %v %v", l, created, err)
	}
	for name, tc := range map[string]struct {
		cred Credentials
		want error
	}{
		"same":           {gc, nil},
		"no password":    {Credentials{Kind: KindGC, Serial: gc.Serial, AccessKey: gc.AccessKey}, nil},
		"bad access key": {Credentials{Kind: KindGC, Serial: gc.Serial, AccessKey: "x"}, ErrBadAccessKey},
		"bad password":   {Credentials{Kind: KindGC, Serial: gc.Serial, AccessKey: gc.AccessKey, Password: "no", HasPassword: true}, ErrBadPassword},
		"empty serial":   {Credentials{Kind: KindGC, Serial: " "}, ErrNoSerial},
		"other kind":     {Credentials{Kind: KindDC, Serial: gc.Serial, AccessKey: gc.AccessKey}, ErrUnknownLicence},
	} {
		got, created, err := s.Login(tc.cred, false)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: err %v, want %v", name, err, tc.want)
		}
		if err == nil && (created || got.GuildCard != l.GuildCard) {
			t.Errorf("%s: got %+v created=%v, want the first licence", name, got, created)
		}
	}
	if err := s.SetBanned(KindGC, gc.Serial, true); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Login(gc, true); !errors.Is(err, ErrBanned) {
		t.Errorf("banned licence: %v", err)
	}
}

func TestGuildCardsSurviveReopen(t *testing.T) {
	s, dir := openTemp(t)
	var want []uint32
	for i := range 5 {
		l, _, err := s.Login(Credentials{Kind: KindPC, Serial: fmt.Sprint(i), AccessKey: "k"}, true)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, l.GuildCard)
	}
	s.Close()
	s2, err := OpenDir(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	for i, n := range want {
		l, created, err := s2.Login(Credentials{Kind: KindPC, Serial: fmt.Sprint(i), AccessKey: "k"}, true)
		if err != nil || created || l.GuildCard != n {
			t.Errorf("licence %d after reopen: %d created=%v %v, want %d", i, l.GuildCard, created, err, n)
		}
	}
	l, _ := s2.Add(Licence{Kind: KindPC, Serial: "new"})
	if l.GuildCard != want[len(want)-1]+1 {
		t.Errorf("next number after reopen = %d, want %d", l.GuildCard, want[len(want)-1]+1)
	}
}

// Many consoles registering at once (open mode) must each get one stable,
// unique number, also when several present the same licence.
func TestConcurrentRegistration(t *testing.T) {
	s, _ := openTemp(t)
	const n = 40
	got := make([]uint32, 2*n)
	var wg sync.WaitGroup
	for i := range 2 * n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, _, err := s.Login(Credentials{Kind: KindGC, Serial: fmt.Sprint(i % n), AccessKey: "k"}, true)
			if err != nil {
				t.Error(err)
			}
			got[i] = l.GuildCard
		}()
	}
	wg.Wait()
	seen := map[uint32]int{}
	for i := range n {
		if got[i] != got[i+n] {
			t.Errorf("serial %d got two numbers: %d and %d", i, got[i], got[i+n])
		}
		if j, dup := seen[got[i]]; dup {
			t.Errorf("serials %d and %d share number %d", j, i, got[i])
		}
		seen[got[i]] = i
	}
}

func TestFileInUse(t *testing.T) {
	_, dir := openTemp(t)
	_, err := Open(filepath.Join(dir, FileName), Options{LockTimeout: 50 * time.Millisecond})
	if err == nil {
		t.Fatal("second Open of a locked file succeeded")
	}
	if !containsAll(err.Error(), "in use", dir) {
		t.Errorf("error %q should say the file is in use and name it", err)
	}
}
