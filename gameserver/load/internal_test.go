package load

import (
	"errors"
	"fmt"
	"net/netip"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/gameserver/client"
)

// Quantiles are within a bucket's width (3%) of the exact ones.
func TestHistogramQuantiles(t *testing.T) {
	var h histogram
	for i := 1; i <= 100000; i++ {
		h.record(time.Duration(i) * time.Microsecond)
	}
	s := h.summary()
	for _, c := range []struct {
		name      string
		got, want time.Duration
	}{{"p50", s.P50, 50 * time.Millisecond}, {"p99", s.P99, 99 * time.Millisecond}, {"p99.9", s.P999, 99900 * time.Microsecond},
		{"max", s.Max, 100 * time.Millisecond}, {"mean", s.Mean, 50000500 * time.Nanosecond}} {
		if d := float64(c.got-c.want) / float64(c.want); d > 0.03 || d < -0.03 {
			t.Errorf("%s = %v, want %v within 3%%", c.name, c.got, c.want)
		}
	}
	if s.Samples != 100000 {
		t.Errorf("%d samples, want 100000", s.Samples)
	}
}

// Every bucket's middle maps back to the bucket, at every scale.
func TestHistogramBuckets(t *testing.T) {
	for i := range histBuckets {
		if got := bucketOf(bucketMid(i)); got != i {
			t.Fatalf("bucket %d: middle %d falls in bucket %d", i, bucketMid(i), got)
		}
	}
	if (&histogram{}).summary() != (Latency{}) {
		t.Error("an empty histogram has quantiles")
	}
}

func TestProbeRoundTrip(t *testing.T) {
	for _, size := range []int{probeMinSize, 64, probeMaxSize} {
		p := putProbe(make([]byte, size), 3, 77, 123456789)
		if sent, ok := readProbe(p); !ok || sent != 123456789 {
			t.Errorf("size %d: read %d, %v", size, sent, ok)
		}
		p[1]-- // a size that is not the payload's
		if _, ok := readProbe(p); ok {
			t.Errorf("size %d: a probe with a wrong size field was read", size)
		}
	}
	if _, ok := readProbe(make([]byte, 20)); ok {
		t.Error("zeros read as a probe")
	}
	if sent, ok := readChatLine(chatLine(0x1234abcd)); !ok || sent != 0x1234abcd {
		t.Errorf("chat line: %d, %v", sent, ok)
	}
	if _, ok := readChatLine("hello"); ok {
		t.Error("an ordinary chat line read as timed")
	}
}

func TestParseProcStat(t *testing.T) {
	line := "4242 (psobox (x) y) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 75 0 0 20 0 12 0 100 0 0"
	got, err := parseProcStat(line)
	if err != nil || got != 3250*time.Millisecond {
		t.Errorf("got %v, %v; want 3.25s", got, err)
	}
	if _, err := parseProcStat("4242 (psobox) S 1"); err == nil {
		t.Error("a short line parsed")
	}
}

func TestErrorKind(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{&client.StepError{Phase: "connect", Err: fmt.Errorf("dial: %w", syscall.ECONNREFUSED)}, "connection refused"},
		{&client.StepError{Phase: "game join", Err: &client.GameRefusedError{Message: "The game is full."}}, "refused: The game is full."},
		{&client.ClosedError{LastMessage: "Too many\nplayers"}, "closed by server: Too many players"},
		{&client.WaitError{Waiting: "67 (join lobby)"}, "timed out waiting for 67 (join lobby)"},
		{client.ErrInboxFull, "inbox full"},
		{errors.New("something else"), "something else"},
	} {
		if got := errorKind(c.err); got != c.want {
			t.Errorf("errorKind(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

// Playing groups are spread over the run, so every version plays; an
// incomplete group and groups with slow bots stay in the lobby.
func TestPlaysGame(t *testing.T) {
	o := Options{Clients: 42, GameShare: 0.5, Slow: 5}
	var playing []int
	for i := 0; i < o.Clients; i += groupSize {
		if o.playsGame(i) {
			playing = append(playing, i/groupSize)
		}
	}
	if diff := cmp.Diff([]int{1, 3, 5, 7}, playing); diff != "" {
		t.Errorf("playing groups (-want +got):\n%s", diff)
	}
}

func TestSourceAddr(t *testing.T) {
	o := Options{Sources: netip.MustParsePrefix("127.77.0.0/16")}
	for i, want := range map[int]string{0: "127.77.0.1", 254: "127.77.0.255", 255: "127.77.1.0", 999: "127.77.3.232"} {
		if got := o.sourceAddr(i).String(); got != want {
			t.Errorf("bot %d dials from %s, want %s", i, got, want)
		}
	}
	if _, err := (Options{Clients: 300, Consoles: []Console{{}}, Sources: netip.MustParsePrefix("127.77.0.0/24")}).withDefaults(); err == nil {
		t.Error("300 bots fit a /24")
	}
}
