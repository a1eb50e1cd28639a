package wire

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// recordingTap keeps copies of what it sees, with the version of each.
type recordingTap struct {
	received, sent []tapped
}

type tapped struct {
	V    Version
	Data []byte
}

func (r *recordingTap) Received(v Version, b []byte) {
	r.received = append(r.received, tapped{v, bytes.Clone(b)})
}

func (r *recordingTap) Sent(v Version, b []byte) { r.sent = append(r.sent, tapped{v, bytes.Clone(b)}) }

// The tap sees plaintext on both sides, header included and padded as the
// header's size says, and the version that was in effect for each command.
func TestTapSeesPlaintextBothWays(t *testing.T) {
	w, r, _ := pipe(GCV3, true)
	wt, rt := &recordingTap{}, &recordingTap{}
	w.SetTap(wt)
	r.SetTap(rt)
	if err := w.WriteCommand(0x06, 0, []byte{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadCommand(); err != nil {
		t.Fatal(err)
	}
	w.SetVersion(DCV2)
	r.SetVersion(DCV2)
	if err := w.WriteCommand(0x61, 2, []byte{9, 9, 9, 9}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadCommand(); err != nil {
		t.Fatal(err)
	}
	want := []tapped{
		{GCV3, []byte{0x06, 0, 8, 0, 1, 2, 3, 0}},
		{DCV2, []byte{0x61, 2, 8, 0, 9, 9, 9, 9}},
	}
	if diff := cmp.Diff(want, wt.sent); diff != "" {
		t.Errorf("sent (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, rt.received); diff != "" {
		t.Errorf("received (-want +got):\n%s", diff)
	}
	if len(wt.received) != 0 || len(rt.sent) != 0 {
		t.Errorf("tap saw the wrong direction: %+v %+v", wt.received, rt.sent)
	}
}

// Before the ciphers are on, commands are not padded, and the tap sees them
// exactly as sent (the server init).
func TestTapSeesUnpaddedPlaintextCommands(t *testing.T) {
	w, _, _ := pipe(PCV2, false)
	tap := &recordingTap{}
	w.SetTap(tap)
	if err := w.WriteCommand(0x17, 0, []byte{1}); err != nil {
		t.Fatal(err)
	}
	want := []tapped{{PCV2, []byte{5, 0, 0x17, 0, 1}}}
	if diff := cmp.Diff(want, tap.sent); diff != "" {
		t.Errorf("sent (-want +got):\n%s", diff)
	}
}

type countingTap struct{ n int }

func (c *countingTap) Received(Version, []byte) { c.n++ }
func (c *countingTap) Sent(Version, []byte)     { c.n++ }

// BenchmarkFramerTap compares the read and write path without a tap (what
// every connection pays when capture is off: one nil check each way) and
// with one that does nothing. Both must report 0 allocs/op.
func BenchmarkFramerTap(b *testing.B) {
	for _, tc := range []struct {
		name string
		tap  Tap
	}{{"off", nil}, {"on", &countingTap{}}} {
		b.Run(tc.name, func(b *testing.B) {
			loop := &loopback{}
			f := NewFramer(loop, loop, GCV3)
			f.SetCiphers(nopCipher{4}, nopCipher{4})
			f.SetTap(tc.tap)
			payload := make([]byte, 0x1C)
			b.ReportAllocs()
			for b.Loop() {
				if err := f.WriteCommand(0x60, 0, payload); err != nil {
					b.Fatal(err)
				}
				if _, err := f.ReadCommand(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
