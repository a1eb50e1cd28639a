package accounts

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// populated returns the path of a closed database holding n licences.
func populated(t *testing.T, n int) string {
	t.Helper()
	s, dir := openTemp(t)
	for i := range n {
		if _, err := s.Add(Licence{Kind: KindDC, Serial: fmt.Sprintf("%08X", i), AccessKey: "key"}); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	return filepath.Join(dir, FileName)
}

func TestDamagedFilesAreReported(t *testing.T) {
	for name, damage := range map[string]func(t *testing.T, path string){
		"garbage": func(t *testing.T, path string) {
			writeFile(t, path, []byte(strings.Repeat("not a database ", 500)))
		},
		"truncated": func(t *testing.T, path string) {
			if err := os.Truncate(path, 100); err != nil {
				t.Fatal(err)
			}
		},
		"meta pages overwritten": func(t *testing.T, path string) {
			data := readFile(t, path)
			for i := 16; i < 2*4096 && i < len(data); i++ {
				data[i] ^= 0x5A
			}
			writeFile(t, path, data)
		},
		"bad record": func(t *testing.T, path string) {
			db, err := bolt.Open(path, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			db.Update(func(tx *bolt.Tx) error {
				return tx.Bucket(bucketLicences).Put(key(KindGC, "x"), []byte("{not json"))
			})
			db.Close()
		},
	} {
		t.Run(name, func(t *testing.T) {
			path := populated(t, 20)
			damage(t, path)
			s, err := Open(path, Options{LockTimeout: time.Second})
			if err == nil {
				s.Close()
				t.Fatal("Open accepted a damaged file")
			}
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("error %q is not ErrCorrupt", err)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name the file", err)
			}
			t.Logf("reported: %v", err)
		})
	}
}

func TestDamagedRecordIsErrCorrupt(t *testing.T) {
	path := populated(t, 1)
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketLicences).Put(key(KindGC, "x"), []byte(`{"kind":4}`))
	})
	db.Close()
	if _, err := Open(path, Options{}); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Open = %v, want ErrCorrupt", err)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

const crashHelperEnv = "PSOBOX_ACCOUNTS_CRASH_HELPER"

// TestCrashDuringRegistrations kills a process that is registering licences
// as fast as it can, at several moments, and checks after each kill that the
// database opens cleanly, every record is whole and no guild card number is
// shared or behind the counter.
func TestCrashDuringRegistrations(t *testing.T) {
	if path := os.Getenv(crashHelperEnv); path != "" {
		registerForever(path)
		return
	}
	if testing.Short() {
		t.Skip("spawns helper processes")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	path := filepath.Join(t.TempDir(), FileName)
	total := 0
	for round, delay := range []time.Duration{30, 70, 120, 200} {
		cmd := exec.Command(exe, "-test.run=^TestCrashDuringRegistrations$")
		cmd.Env = append(os.Environ(), crashHelperEnv+"="+path, fmt.Sprintf("PSOBOX_ROUND=%d", round))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()
		total = checkConsistent(t, path)
	}
	t.Logf("%d licences survived 4 kills, all consistent", total)
}

// registerForever is the helper process: it registers licences until killed.
func registerForever(path string) {
	s, err := Open(path, Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	round := os.Getenv("PSOBOX_ROUND")
	for i := 0; ; i++ {
		s.Login(Credentials{Kind: KindGC, Serial: fmt.Sprintf("r%s-%d", round, i), AccessKey: "k"}, true)
	}
}

func checkConsistent(t *testing.T, path string) int {
	t.Helper()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("database after a kill: %v", err)
	}
	defer s.Close()
	all, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[uint32]bool{}
	var maxGC uint32
	for _, l := range all {
		if seen[l.GuildCard] {
			t.Errorf("guild card %d used twice", l.GuildCard)
		}
		seen[l.GuildCard] = true
		maxGC = max(maxGC, l.GuildCard)
	}
	next, err := s.Add(Licence{Kind: KindPC, Serial: fmt.Sprintf("probe-%d", len(all)), AccessKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	if next.GuildCard <= maxGC {
		t.Errorf("counter %d is behind the highest number %d", next.GuildCard, maxGC)
	}
	return len(all)
}
