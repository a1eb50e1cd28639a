package status

import (
	"os"
	"runtime"
	"strings"
	"testing"
)

func TestParseVmRSS(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     uint64
		wantErr  string
	}{
		{"linux", "Name:\tpsobox\nVmPeak:\t  20000 kB\nVmRSS:\t   14336 kB\nRssAnon:\t 9000 kB\n", 14336 * 1024, ""},
		{"zero", "VmRSS:\t0 kB\n", 0, ""},
		{"missing", "Name:\tkthreadd\nState:\tS (sleeping)\n", 0, "no VmRSS line"},
		{"no unit", "VmRSS:\t14336\n", 0, "want a number of kB"},
		{"other unit", "VmRSS:\t14 MB\n", 0, "want a number of kB"},
		{"not a number", "VmRSS:\t-1 kB\n", 0, "invalid syntax"},
		{"overflow", "VmRSS:\t18446744073709551615 kB\n", 0, "too large"},
		{"empty", "", 0, "no VmRSS line"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseVmRSS(strings.NewReader(tc.in))
			if got != tc.want || (err == nil) != (tc.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("parseVmRSS = %d, %v; want %d, error containing %q", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func FuzzParseVmRSS(f *testing.F) {
	f.Add([]byte("VmRSS:\t   14336 kB\n"))
	f.Add([]byte("Name:\tx\nVmRSS:\t1 kB\nVmRSS:\t2 kB\n"))
	f.Add([]byte("VmRSS: 99999999999999999999 kB"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := parseVmRSS(strings.NewReader(string(data)))
		if err != nil && got != 0 {
			t.Errorf("parseVmRSS = %d with error %v: want 0 on error", got, err)
		}
		if err == nil && got%1024 != 0 {
			t.Errorf("parseVmRSS = %d: not whole kB", got)
		}
	})
}

func TestReadProcessStats(t *testing.T) {
	st := ReadProcessStats()
	if st.Goroutines < 1 || st.GoVersion != runtime.Version() || st.HeapBytes == 0 {
		t.Errorf("ReadProcessStats = %+v", st)
	}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc here: RSS and open files are not read")
	}
	// A Go test binary is always larger than 1 MiB resident and has at
	// least stdin, stdout and stderr open.
	if st.RSSBytes < 1<<20 || st.OpenFDs < 3 {
		t.Errorf("ReadProcessStats = %+v: RSS or open files not read from /proc", st)
	}
	// Many more, so that connections other tests leave behind closing
	// meanwhile cannot hide them.
	const opened = 50
	for range opened {
		f, err := os.Open(os.DevNull)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
	}
	if more := ReadProcessStats().OpenFDs; more < st.OpenFDs+opened-10 {
		t.Errorf("open files %d after opening %d more, %d before", more, opened, st.OpenFDs)
	}
}

func TestOpenFDsWithoutProc(t *testing.T) {
	if got := openFDs("/nonexistent/fd"); got != -1 {
		t.Errorf("openFDs of a missing directory = %d, want -1", got)
	}
}
